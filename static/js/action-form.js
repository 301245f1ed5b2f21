// The action form's map: django-leaflet's draw widget (tap a point, draw a line or an area)
// plus a "use my location" button that fills the geometry from the phone's GPS.
// NO_GLOBALS is on, so the map comes from the "map:init" event.
// Leaflet.draw 1.0.4 with Leaflet 1.9 in Chrome (phones included) handles each tap twice,
// as a touch and as a click, and ends a polygon after its second point
// (Leaflet/Leaflet.draw#789, #935). The maintainers' suggested fix: ignore the touch path.
if (window.L && L.Draw && L.Draw.Polyline) L.Draw.Polyline.prototype._onTouch = L.Util.falseFn;

const button = document.getElementById("use-my-location");
const status = document.getElementById("location-status");
let formMap = null;
let marker = null;

window.addEventListener("map:init", (event) => {
  formMap = event.detail.map;
});

function useLocation() {
  const field = document.getElementById(button.dataset.target);
  if (!navigator.geolocation || !field) {
    status.textContent = button.dataset.failed;
    return;
  }
  status.textContent = button.dataset.locating;
  navigator.geolocation.getCurrentPosition(
    (position) => {
      const lon = Number(position.coords.longitude.toFixed(6));
      const lat = Number(position.coords.latitude.toFixed(6));
      // GeoJSON is [longitude, latitude]; Leaflet takes [latitude, longitude].
      field.value = JSON.stringify({ type: "Point", coordinates: [lon, lat] });
      if (formMap) {
        if (marker) marker.remove();
        marker = L.marker([lat, lon]).addTo(formMap);
        formMap.setView([lat, lon], 17);
      }
      status.textContent = `${button.dataset.found} ${Math.round(position.coords.accuracy)}`;
    },
    () => { status.textContent = button.dataset.failed; },
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
  );
}

if (button) button.addEventListener("click", useLocation);
