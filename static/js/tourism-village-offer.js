// On a village page, add what the village offers (attractions, homestays, trails)
// to the village's own small map. Hooks into the same "map:init" as village-map.js.
const config = JSON.parse(document.getElementById("village-offer-config").textContent);
const COLOURS = { attractions: "#b4441f", homestays: "#2a6fb0", trails: "#2f6b3a" };

window.addEventListener("map:init", (event) => {
  const map = event.detail.map;
  for (const [layer, url] of Object.entries(config.urls)) {
    fetch(url, { headers: { Accept: "application/geo+json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        if (!data) return;
        L.geoJSON(data, {
          style: { color: COLOURS[layer], weight: 4 },
          pointToLayer: (f, latlng) => L.circleMarker(latlng, {
            radius: 7, color: "#fff", weight: 2, fillColor: COLOURS[layer], fillOpacity: 0.95,
            className: `marker marker-${layer}`,
          }),
          onEachFeature: (f, l) => {
            const link = document.createElement("a");
            link.href = f.properties.url;
            link.textContent = f.properties.name;
            l.bindPopup(link);
          },
        }).addTo(map);
      });
  }
});
