// A village page's small map: its boundary (or centre), fitted to view.
const config = JSON.parse(document.getElementById("map-config").textContent);

window.addEventListener("map:init", async (event) => {
  const map = event.detail.map;
  const response = await fetch(config.villageUrl);
  if (!response.ok) return;
  const feature = await response.json();
  const layer = L.geoJSON(feature, { style: { color: "#2f6b3a", weight: 2, fillOpacity: 0.2 } }).addTo(map);
  const bounds = layer.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 15, padding: [12, 12] });
});
