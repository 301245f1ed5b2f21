// The review map: the queued actions' places, each linked to its row in the queue.
const config = JSON.parse(document.getElementById("map-config").textContent);

window.addEventListener("map:init", (event) => {
  const map = event.detail.map;
  const layer = L.geoJSON(config.features, {
    style: { color: "#9b5d00", weight: 2, fillOpacity: 0.2 },
    pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 7, color: "#9b5d00", fillOpacity: 0.6 }),
    onEachFeature: (f, l) => l.bindPopup(() => {
      const link = document.createElement("a");
      link.href = `#log-${f.properties.id}`;
      link.textContent = `${f.properties.village} · ${f.properties.date}`;
      return link;
    }),
  }).addTo(map);
  const bounds = layer.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 16, padding: [12, 12] });
});
