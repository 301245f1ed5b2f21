// The action form's map: django-leaflet's draw widget (tap a point, draw a line or an area)
// plus a "use my location" button that puts the phone's GPS position into the same widget.
// NO_GLOBALS is on, so the map comes from the "map:init" event and the widget's
// geometry field from "map:loadfield" (fired right after).

// Leaflet.draw 1.0.4 with Leaflet 1.9 in Chrome (phones included) handles each tap twice,
// as a touch and as a click, and a polygon's second tap reads as crossing edges
// (Leaflet/Leaflet.draw#789, #935). The maintainers' suggested fix: ignore the touch path.
if (window.L && L.Draw && L.Draw.Polyline) L.Draw.Polyline.prototype._onTouch = L.Util.falseFn;

const button = document.getElementById("use-my-location");
const status = document.getElementById("location-status");
let formMap = null;
let geometryField = null;

window.addEventListener("map:init", (event) => {
  formMap = event.detail.map;
  formMap.on("map:loadfield", (e) => { geometryField = e.field; });
});

function placePoint(lat, lon) {
  // Leaflet takes [latitude, longitude]; the stored GeoJSON is [longitude, latitude].
  const marker = L.marker([lat, lon]);
  if (geometryField) {
    // Replace what was drawn, as drawing a new shape does, and let the widget write the field.
    geometryField.drawnItems.eachLayer((layer) => formMap.removeLayer(layer));
    geometryField.drawnItems.clearLayers();
    formMap.addLayer(marker);
    geometryField.drawnItems.addLayer(marker);
    geometryField.store.save(geometryField.drawnItems);
  } else {
    document.getElementById(button.dataset.target).value = JSON.stringify({ type: "Point", coordinates: [lon, lat] });
    if (formMap) marker.addTo(formMap);
  }
  if (formMap) formMap.setView([lat, lon], 17);
}

function useLocation() {
  if (!navigator.geolocation) {
    status.textContent = button.dataset.failed;
    return;
  }
  status.textContent = button.dataset.locating;
  navigator.geolocation.getCurrentPosition(
    (position) => {
      placePoint(Number(position.coords.latitude.toFixed(6)), Number(position.coords.longitude.toFixed(6)));
      status.textContent = `${button.dataset.found} ${Math.round(position.coords.accuracy)}`;
    },
    () => { status.textContent = button.dataset.failed; },
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
  );
}

if (button) button.addEventListener("click", useLocation);
