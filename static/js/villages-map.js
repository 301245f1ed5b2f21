// The home map: village shapes and centres from /api/v1/villages/.
// django-leaflet runs with NO_GLOBALS, so we hook in through "map:init".
const config = JSON.parse(document.getElementById("map-config").textContent);
const status = document.getElementById("map-status");

function popupContent(props) {
  const box = document.createElement("div");
  const link = document.createElement("a");
  link.href = props.url;
  link.textContent = props.name;
  box.append(link);
  if (props.district) box.append(document.createElement("br"), props.district);
  return box;
}

window.addEventListener("map:init", async (event) => {
  const map = event.detail.map;
  try {
    const response = await fetch(config.villagesUrl, { headers: { Accept: "application/geo+json" } });
    if (!response.ok) throw new Error(response.statusText);
    const data = await response.json();
    const layer = L.geoJSON(data, {
      style: (f) => ({ color: f.properties.is_sog_site ? "#2f6b3a" : "#5b6f8a", weight: 2, fillOpacity: 0.15 }),
      pointToLayer: (f, latlng) => L.circleMarker(latlng, {
        radius: f.properties.is_sog_site ? 9 : 6,
        color: f.properties.is_sog_site ? "#2f6b3a" : "#5b6f8a",
        fillOpacity: 0.7,
      }),
      onEachFeature: (f, l) => l.bindPopup(() => popupContent(f.properties)),
    }).addTo(map);
    map.getContainer().dataset.villages = String(data.features.length);
  } catch (err) {
    status.textContent = `⚠ ${err.message}`;
  }
});
