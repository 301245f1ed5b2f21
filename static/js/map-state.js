// The map's state lives in the query string, so a shared link reopens the same view
// and the language switch (which posts the current path) keeps it too.
// Leaflet takes (lat, lon); the API's near= takes lon,lat: converted here only.

// "actions": verified conservation actions (greenscore), only when that API is installed.
// "sounds": verified recordings (recordings app), only when that API is installed.
export const LAYERS = ["villages", "attractions", "homestays", "events", "trails", "actions", "sounds"];
export const FORM_FILTERS = ["q", "category", "instrument", "village", "from", "to", "min_beds", "max_price"];
export const FILTERS = [...FORM_FILTERS, "near", "radius_m"];

// Which filters each layer's API understands.
export const LAYER_FILTERS = {
  villages: [],
  attractions: ["q", "category", "instrument", "village", "near", "radius_m"],
  homestays: ["q", "village", "min_beds", "max_price", "near", "radius_m"],
  events: ["q", "village", "from", "to", "near", "radius_m"],
  trails: ["q", "village", "near", "radius_m"],
  actions: ["village"],
  sounds: ["village"],
};

/** Read the state from a query string; unknown or malformed values are dropped. */
export function readState(search) {
  const params = new URLSearchParams(search);
  const state = { view: null, layers: new Set(LAYERS), filters: {} };
  const lat = Number.parseFloat(params.get("lat"));
  const lon = Number.parseFloat(params.get("lon"));
  const zoom = Number.parseInt(params.get("z"), 10);
  if (Number.isFinite(lat) && Number.isFinite(lon) && Number.isFinite(zoom)
      && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
    state.view = { lat, lon, zoom };
  }
  if (params.has("layers")) {
    state.layers = new Set(params.get("layers").split(",").filter((name) => LAYERS.includes(name)));
  }
  for (const name of FILTERS) {
    const value = (params.get(name) || "").trim();
    if (value) state.filters[name] = value;
  }
  return state;
}

/** The query string for a state (without "?"). */
export function writeState(state) {
  const params = new URLSearchParams();
  if (state.view) {
    params.set("lat", state.view.lat.toFixed(5));
    params.set("lon", state.view.lon.toFixed(5));
    params.set("z", String(state.view.zoom));
  }
  const layers = LAYERS.filter((name) => state.layers.has(name));
  if (layers.length !== LAYERS.length) params.set("layers", layers.join(","));
  for (const name of FILTERS) {
    if (state.filters[name]) params.set(name, state.filters[name]);
  }
  return params.toString();
}

/** The API query for one layer: only the filters it understands. */
export function layerQuery(layer, filters) {
  const params = new URLSearchParams();
  for (const name of LAYER_FILTERS[layer]) {
    if (filters[name]) params.set(name, filters[name]);
  }
  return params.toString();
}
