// Vector tiles for the home map: which tiles of /tiles/<layer>/{z}/{x}/{y}.pbf cover the view,
// fetched once each, decoded with @mapbox/vector-tile and merged into one list of features.
// Tiles are drawn 512 pixels wide (the vector-tile convention): the view at zoom 12 asks for
// zoom-11 tiles, a quarter as many requests as 256-pixel tiles. The server clusters points
// below view zoom 17 (a feature with `count`) and sends each shape whole in every tile it
// touches, simplified for the zoom: a feature is kept once, by its id.
import { VectorTile } from "@mapbox/vector-tile";
import { PbfReader } from "pbf";

const TILE_PX = 256; // at the tile's own zoom; 512 on screen, one zoom level up
const MAX_ZOOM = 22;
const CACHE_TILES = 256; // decoded tiles kept for panning back

/** The zoom of the tiles that draw the map at `zoom` (512-pixel tiles: one level below). */
export function tileZoom(zoom) {
  return Math.max(0, Math.min(MAX_ZOOM, Math.round(zoom) - 1));
}

/** [z, x, y] of every tile covering `bounds` (L.LatLngBounds) at zoom z. */
export function tilesFor(map, bounds, z) {
  const nw = map.project(bounds.getNorthWest(), z);
  const se = map.project(bounds.getSouthEast(), z);
  const last = 2 ** z - 1;
  const clamp = (v) => Math.max(0, Math.min(last, Math.floor(v / TILE_PX)));
  const tiles = [];
  for (let x = clamp(nw.x); x <= clamp(se.x); x += 1) {
    for (let y = clamp(nw.y); y <= clamp(se.y); y += 1) tiles.push([z, x, y]);
  }
  return tiles;
}

function decode(buffer, layerName, z, x, y) {
  const tile = new VectorTile(new PbfReader(new Uint8Array(buffer)));
  const layer = tile.layers[layerName];
  const features = [];
  if (!layer) return features;
  for (let i = 0; i < layer.length; i += 1) {
    const feature = layer.feature(i).toGeoJSON(x, y, z);
    if (feature.properties.count > 1) feature.cluster = { z, x, y, index: i };
    features.push(feature);
  }
  return features;
}

export class TileFeed {
  /**
   * @param layerName  the tile layer's name (the MVT layer inside each tile)
   * @param template   URL template with {z}, {x}, {y}
   */
  constructor(map, layerName, template) {
    this.map = map;
    this.layerName = layerName;
    this.template = template;
    this.query = "";
    this.cache = new Map(); // url -> Promise of features (insertion order = age)
  }

  url(z, x, y) {
    const path = this.template.replace("{z}", z).replace("{x}", x).replace("{y}", y);
    return this.query ? `${path}?${this.query}` : path;
  }

  fetchTile(z, x, y) {
    const url = this.url(z, x, y);
    let pending = this.cache.get(url);
    if (pending) {
      this.cache.delete(url); // refresh its age
    } else {
      pending = fetch(url, { headers: { Accept: "application/vnd.mapbox-vector-tile" } })
        .then(async (response) => {
          if (response.status === 204) return [];
          if (!response.ok) {
            const body = await response.json().catch(() => ({}));
            throw new Error(Object.values(body).flat().join(" ") || response.statusText);
          }
          return decode(await response.arrayBuffer(), this.layerName, z, x, y);
        });
      pending.catch(() => this.cache.delete(url)); // a failed tile is asked again next time
    }
    this.cache.set(url, pending);
    while (this.cache.size > CACHE_TILES) this.cache.delete(this.cache.keys().next().value);
    return pending;
  }

  /** The features of every tile covering the view (padded), once each; with the zoom used. */
  async features(query) {
    this.query = query;
    const z = tileZoom(this.map.getZoom());
    const tiles = tilesFor(this.map, this.map.getBounds(), z);
    const lists = await Promise.all(tiles.map(([tz, tx, ty]) => this.fetchTile(tz, tx, ty)));
    const seen = new Set();
    const merged = [];
    for (const list of lists) {
      for (const feature of list) {
        const key = feature.cluster ? null : feature.id;
        if (key) {
          if (seen.has(key)) continue;
          seen.add(key);
        }
        merged.push(feature);
      }
    }
    return { z, features: merged };
  }
}
