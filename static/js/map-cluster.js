// Point layers drawn from vector tiles. The server groups points per 64-pixel cell below
// zoom 17 (villages/tiles.py): a tile feature with `count` is a bubble, any other is one point.
// Markers already drawn are kept across redraws, so an open popup survives a pan.

export const CLUSTER_UNTIL_ZOOM = 17; // from this zoom on every point is drawn on its own

export class PointLayer {
  /**
   * @param map        Leaflet map
   * @param group      L.LayerGroup that receives the drawn markers (the toggled overlay)
   * @param makeMarker (feature, latlng) -> Leaflet layer for one point
   * @param name       layer name, used in CSS classes
   */
  constructor(map, group, makeMarker, name) {
    this.map = map;
    this.group = group;
    this.makeMarker = makeMarker;
    this.name = name;
    this.points = []; // single points drawn: { feature, latlng }
    this.drawn = new Map(); // key -> layer currently in the group
  }

  /** Draw the features of the tiles in view at tile zoom z. */
  setFeatures(features, z) {
    const wanted = new Map();
    this.points = [];
    for (const feature of features) {
      if (feature.geometry?.type !== "Point") continue;
      const [lon, lat] = feature.geometry.coordinates;
      const latlng = L.latLng(lat, lon);
      const count = feature.properties.count || 1;
      if (count > 1) {
        const { x, y, index } = feature.cluster;
        wanted.set(`c:${z}:${x}:${y}:${index}:${count}`, () => this.clusterMarker(latlng, count));
      } else {
        const point = { feature, latlng };
        this.points.push(point);
        wanted.set(`p:${feature.id ?? feature.properties.slug}`, () => this.makeMarker(feature, latlng));
      }
    }
    this.sync(wanted);
  }

  clear() {
    this.points = [];
    this.sync(new Map());
  }

  /** Draw `wanted` (key -> factory), keeping layers already drawn. */
  sync(wanted) {
    for (const [key, layer] of this.drawn) {
      if (!wanted.has(key)) {
        this.group.removeLayer(layer);
        this.drawn.delete(key);
      }
    }
    for (const [key, make] of wanted) {
      if (!this.drawn.has(key)) {
        const layer = make();
        this.drawn.set(key, layer);
        this.group.addLayer(layer);
      }
    }
  }

  clusterMarker(latlng, count) {
    const size = count < 10 ? 30 : count < 100 ? 36 : 44;
    const icon = L.divIcon({
      html: `<span>${count}</span>`,
      className: `cluster cluster-${this.name}`,
      iconSize: [size, size],
    });
    const marker = L.marker(latlng, { icon, keyboard: true, title: String(count), pane: "markerPane" });
    marker.on("click", () => {
      // Two levels closer splits a 64-pixel cell into sixteen; the last level shows every point.
      this.map.setView(latlng, Math.min(this.map.getZoom() + 2, CLUSTER_UNTIL_ZOOM));
    });
    return marker;
  }
}
