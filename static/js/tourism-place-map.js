// A place page's small map: the place (point or path) and, for a trail, its numbered stops.
const config = JSON.parse(document.getElementById("map-config").textContent);

window.addEventListener("map:init", async (event) => {
  const map = event.detail.map;
  const response = await fetch(config.featureUrl, { headers: { Accept: "application/geo+json" } });
  if (!response.ok) return;
  const feature = await response.json();
  const layer = L.geoJSON(feature, {
    style: { color: "#2f6b3a", weight: 5, opacity: 0.85 },
    pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 9, color: "#fff", weight: 2, fillColor: "#b4441f", fillOpacity: 0.95 }),
  }).addTo(map);
  for (const stop of config.stops || []) {
    L.marker([stop.lat, stop.lon], {
      icon: L.divIcon({ className: "cluster cluster-attractions", html: `<span>${stop.order}</span>`, iconSize: [24, 24] }),
      title: stop.name,
    }).bindTooltip(stop.name).addTo(map);
  }
  const bounds = layer.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 17, padding: [24, 24] });
});
