// A small grid clustering for point layers: thousands of markers stay smooth because
// only the points in view are drawn, and points sharing a screen cell become one bubble.
// Re-run on every move and zoom; O(n) per run with plain arrays, no DOM until drawing.

const CELL_PX = 64;
const CLUSTER_UNTIL_ZOOM = 17; // from this zoom on every point is drawn on its own

export class GridCluster {
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
    this.points = [];
    this.drawn = new Map(); // key -> layer currently in the group
    this.redraw = this.redraw.bind(this);
    map.on("moveend zoomend", this.redraw);
  }

  setFeatures(features) {
    this.points = features
      .filter((f) => f.geometry && f.geometry.type === "Point")
      .map((f) => ({ feature: f, latlng: L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]) }));
    this.group.clearLayers();
    this.drawn.clear();
    this.redraw();
  }

  /** Draw `wanted` (key -> factory), keeping layers already drawn so an open popup survives a pan. */
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

  single(p) {
    return [`p:${p.feature.id ?? p.feature.properties.slug}`, () => this.makeMarker(p.feature, p.latlng)];
  }

  redraw() {
    if (!this.map.hasLayer(this.group)) {
      this.group.clearLayers();
      this.drawn.clear();
      return;
    }
    const zoom = this.map.getZoom();
    const bounds = this.map.getBounds().pad(0.25);
    const visible = this.points.filter((p) => bounds.contains(p.latlng));
    if (zoom >= CLUSTER_UNTIL_ZOOM) {
      this.sync(new Map(visible.map((p) => this.single(p))));
      return;
    }
    const cells = new Map();
    for (const p of visible) {
      const px = this.map.project(p.latlng, zoom);
      const key = `${Math.floor(px.x / CELL_PX)}:${Math.floor(px.y / CELL_PX)}`;
      let cell = cells.get(key);
      if (!cell) cells.set(key, (cell = []));
      cell.push(p);
    }
    const wanted = new Map();
    for (const [cell, members] of cells) {
      if (members.length === 1) {
        const [key, make] = this.single(members[0]);
        wanted.set(key, make);
      } else {
        wanted.set(`c:${zoom}:${cell}:${members.length}`, () => this.clusterMarker(members));
      }
    }
    this.sync(wanted);
  }

  clusterMarker(members) {
    let lat = 0;
    let lng = 0;
    for (const p of members) { lat += p.latlng.lat; lng += p.latlng.lng; }
    const centre = L.latLng(lat / members.length, lng / members.length);
    const size = members.length < 10 ? 30 : members.length < 100 ? 36 : 44;
    const icon = L.divIcon({
      html: `<span>${members.length}</span>`,
      className: `cluster cluster-${this.name}`,
      iconSize: [size, size],
    });
    const marker = L.marker(centre, { icon, keyboard: true, title: String(members.length), pane: "markerPane" });
    marker.on("click", () => {
      const bounds = L.latLngBounds(members.map((p) => p.latlng));
      const target = Math.min(this.map.getBoundsZoom(bounds, false, L.point(40, 40)), CLUSTER_UNTIL_ZOOM);
      // Points on the same spot cannot be told apart by zooming: go straight to the last level.
      const zoom = bounds.getNorthEast().equals(bounds.getSouthWest()) ? CLUSTER_UNTIL_ZOOM
        : Math.max(target, this.map.getZoom() + 1);
      this.map.setView(bounds.getCenter(), zoom);
    });
    return marker;
  }
}
