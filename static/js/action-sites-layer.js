// The home map's layer of verified conservation actions (plantings, clean-ups, music
// sessions) from /api/v1/action-sites/: what, when, where, how much; no personal data.
const url = JSON.parse(document.getElementById("action-sites-url").textContent);
const label = JSON.parse(document.getElementById("action-sites-label").textContent);

function popup(props) {
  const box = document.createElement("div");
  const title = document.createElement("strong");
  title.textContent = props.kind_label;
  box.append(title, document.createElement("br"), `${props.village_name} · ${props.date}`);
  if (props.quantity !== null) box.append(document.createElement("br"), `${Number(props.quantity)} ${props.unit_label}`);
  return box;
}

window.addEventListener("map:init", async (event) => {
  const map = event.detail.map;
  const response = await fetch(url, { headers: { Accept: "application/geo+json" } });
  if (!response.ok) return;
  const data = await response.json();
  const layer = L.geoJSON(data, {
    style: { color: "#3d8b3d", weight: 3, fillOpacity: 0.35 },
    pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 5, color: "#3d8b3d", fillOpacity: 0.8 }),
    onEachFeature: (f, l) => l.bindPopup(() => popup(f.properties)),
  }).addTo(map);
  L.control.layers(null, { [label]: layer }, { collapsed: true }).addTo(map);
  map.getContainer().dataset.actionSites = String(data.features.length);
});
