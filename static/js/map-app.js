// The home map: villages and the tourism layers, filters, "near me" and a shareable URL.
// django-leaflet runs with NO_GLOBALS, so we hook in through "map:init".
// Every layer is drawn from vector tiles (map-tiles.js): only what is in view travels, points
// come clustered by the server, shapes simplified for the zoom. A click fetches the
// feature's details from the GeoJSON API (map-details.js) for the same popup as ever.
import { PointLayer } from "./map-cluster.js";
import { featureDetails, matchCount } from "./map-details.js";
import { format, popupContent } from "./map-popups.js";
import { SOUNDS_COLOUR } from "./map-sounds.js";
import { FORM_FILTERS, LAYERS, layerQuery, readState, writeState } from "./map-state.js";
import { TileFeed } from "./map-tiles.js";

const config = JSON.parse(document.getElementById("map-config").textContent);
const labels = config.labels;
const status = document.getElementById("map-status");
const form = document.getElementById("map-filters");
const state = readState(window.location.search);
// On a phone a popup floating over the map would hide the markers around the one tapped;
// details open in a sheet docked at the bottom instead, and the map moves the place above it.
const PHONE = window.matchMedia("(max-width: 700px)");
const POINT_LAYERS = ["attractions", "homestays", "events", "sounds"];
const SAME_SPOT_PX = 6; // markers closer than this on screen are "here" together

// Events often sit on their attraction's spot: drawn smaller, on top, both stay clickable.
const RADIUS = { attractions: 10, homestays: 8, events: 5, sounds: 7 };
const COLOURS = {
  villages: "#5b6f8a", attractions: "#b4441f", homestays: "#2a6fb0", events: "#8a3fa0", trails: "#2f6b3a",
  actions: "#3d8b3d", sounds: SOUNDS_COLOUR,
};
// Layers whose API and tiles this installation serves (the actions layer needs greenscore).
const AVAILABLE = LAYERS.filter((name) => config.urls[name] && config.tiles[name]);

function say(text) {
  status.textContent = text || "";
}

function saveState(map) {
  const centre = map.getCenter();
  state.view = { lat: centre.lat, lon: centre.lng, zoom: map.getZoom() };
  const query = writeState(state);
  const url = `${window.location.pathname}${query ? `?${query}` : ""}`;
  window.history.replaceState(null, "", url);
  // The language switch posts "next": keep the view across a change of language.
  for (const input of document.querySelectorAll('.language-switch input[name="next"]')) input.value = url;
}

function fillForm() {
  for (const element of form.elements) {
    if (element.name && element.name in state.filters) element.value = state.filters[element.name];
  }
}

function readForm() {
  const data = new FormData(form);
  for (const name of FORM_FILTERS) {
    const value = (data.get(name) || "").toString().trim();
    if (value) state.filters[name] = value;
    else delete state.filters[name];
  }
}

function pointMarker(name, showDetails) {
  return (feature, latlng) => {
    const marker = L.circleMarker(latlng, {
      radius: RADIUS[name], color: "#fff", weight: 2, fillColor: COLOURS[name], fillOpacity: 0.95,
      className: `marker marker-${name} slug-${feature.properties.slug}`, pane: name === "events" ? "sog-events" : "sog-markers",
    });
    marker.feature = feature;
    marker.on("click", (e) => {
      L.DomEvent.stop(e); // not also a tap on the map, which closes the details
      showDetails(marker, feature, latlng);
    });
    return marker;
  };
}

window.addEventListener("map:init", (event) => {
  const map = event.detail.map;
  const container = map.getContainer();
  // Without animation, so the view is in place before anything reads it back.
  if (state.view) map.setView([state.view.lat, state.view.lon], state.view.zoom, { animate: false });
  fillForm();

  // Village shapes under trails under markers, whichever layer loads last:
  // a polygon drawn on top would swallow the clicks meant for the markers.
  map.createPane("sog-villages").style.zIndex = 350;
  map.createPane("sog-trails").style.zIndex = 380;
  map.createPane("sog-markers").style.zIndex = 420;
  map.createPane("sog-events").style.zIndex = 430;

  const overlays = {};
  const clusters = {};
  const sheet = document.getElementById("map-sheet");
  const sheetBody = sheet.querySelector(".map-sheet-body");
  let selected = null; // the marker whose details are open

  function select(layer) {
    if (selected?.getElement()) selected.getElement().classList.remove("selected");
    selected = layer;
    if (layer?.getElement()) layer.getElement().classList.add("selected");
  }

  // The other points drawn on the same spot as `latlng` (an event at its attraction, two
  // events at one place): one may hide another, so the details list them all.
  function sameSpot(feature, latlng) {
    const here = map.latLngToLayerPoint(latlng);
    const others = [];
    for (const name of POINT_LAYERS) {
      if (!clusters[name] || !map.hasLayer(overlays[name])) continue;
      for (const p of clusters[name].points) {
        if (p.feature !== feature && map.latLngToLayerPoint(p.latlng).distanceTo(here) < SAME_SPOT_PX) {
          others.push(p.feature);
        }
      }
    }
    return others;
  }

  async function detailsContent(features) {
    const box = document.createElement("div");
    box.className = "details";
    const described = await Promise.all(features.map((f) => featureDetails(config, f)));
    described.forEach((properties, index) => {
      if (index === 1) {
        const also = document.createElement("p");
        also.className = "details-also";
        also.textContent = labels.alsoHere;
        box.append(also);
      }
      box.append(popupContent(properties, labels));
    });
    return box;
  }

  function closeSheet() {
    if (sheet.hidden) return;
    sheet.hidden = true;
    sheetBody.replaceChildren();
    delete container.dataset.details;
    select(null);
  }

  let asked = 0; // the last tap wins when details arrive out of order
  async function showDetails(layer, feature, latlng, { point = true } = {}) {
    const features = point ? [feature, ...sameSpot(feature, latlng)] : [feature];
    const ask = ++asked;
    let content;
    try {
      content = await detailsContent(features);
    } catch (err) {
      say(`⚠ ${format(labels.loadFailed, { layer: labels[feature.layerName] || "" })} ${err.message}`);
      return;
    }
    if (ask !== asked) return;
    const shown = () => { container.dataset.details = feature.properties.slug || feature.properties.code || ""; };
    if (!PHONE.matches) {
      closeSheet();
      // Anchored on a marker's centre with the tip resting on its rim, so the marker stays in
      // sight and can be tapped again; a shape's popup opens where it was clicked.
      const radius = point ? layer.getRadius() : 0;
      L.popup({ maxWidth: 260, offset: [0, 7 - radius], autoPanPadding: [24, 24] })
        .setLatLng(latlng).setContent(content).openOn(map); // closes the last one first
      select(point ? layer : null);
      shown();
      return;
    }
    map.closePopup();
    sheetBody.replaceChildren(content);
    sheet.hidden = false;
    sheet.scrollTop = 0;
    select(point ? layer : null);
    shown();
    // Keep the place in sight above the sheet (and below the filter bar).
    const at = map.latLngToContainerPoint(latlng);
    const free = container.clientHeight - sheet.offsetHeight;
    if (at.y > free - 24 || at.y < 56) map.panBy([0, at.y - free / 2]);
  }

  sheet.querySelector(".map-sheet-close").addEventListener("click", closeSheet);
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") closeSheet(); });
  map.on("click", closeSheet);
  map.on("popupclose", () => { select(null); delete container.dataset.details; });
  // Turning the phone (or resizing a window) across the breakpoint: start clean.
  PHONE.addEventListener("change", () => { closeSheet(); map.closePopup(); });

  const feeds = {};
  for (const name of AVAILABLE) {
    overlays[name] = L.layerGroup();
    feeds[name] = new TileFeed(map, config.tileLayers[name], config.tiles[name]);
    if (POINT_LAYERS.includes(name)) {
      clusters[name] = new PointLayer(map, overlays[name], pointMarker(name, showDetails), name);
    }
    if (state.layers.has(name)) overlays[name].addTo(map);
  }
  // Each layer's name with its colour, so the control doubles as the legend.
  const legend = (name) => {
    const text = document.createElement("span");
    text.textContent = labels[name];
    return `<span class="swatch swatch-${name}"></span>${text.innerHTML}`;
  };
  const control = L.control.layers(null, Object.fromEntries(AVAILABLE.map((n) => [legend(n), overlays[n]])),
    { collapsed: window.innerWidth < 700 });
  control.addTo(map);

  let nearCircle = null;
  const loads = {};

  const counted = {}; // layer -> the query its count is for

  // Draw the tiles in view; with new filters, also count what matches (the whole layer, not
  // only the view: data-<layer> on the map, and "nothing matches" when every count is 0).
  async function load(name) {
    const query = layerQuery(name, state.filters);
    const token = {};
    loads[name] = token;
    container.dataset[`${name}Loading`] = "1";
    try {
      const recount = counted[name] !== query;
      const matched = recount ? await matchCount(config.urls[name], query) : null;
      if (loads[name] !== token) return null; // a newer request replaced this one
      // Nothing matches anywhere: no tile needs asking for.
      const drawn = matched === 0 ? { features: [], z: 0 } : await feeds[name].features(query);
      if (loads[name] !== token) return null;
      draw(name, drawn.features, drawn.z);
      if (recount) {
        counted[name] = query;
        container.dataset[name] = String(matched);
        return matched;
      }
      return null;
    } catch (err) {
      delete counted[name];
      say(`⚠ ${format(labels.loadFailed, { layer: labels[name] })} ${err.message}`);
      return null;
    } finally {
      if (loads[name] === token) delete container.dataset[`${name}Loading`];
    }
  }

  const shapes = {}; // layer -> Map(key -> Leaflet layer) of the shapes drawn
  const villageGroups = new PointLayer(map, overlays.villages, null, "villages");

  function draw(name, features, z) {
    for (const feature of features) feature.layerName = name;
    if (clusters[name]) {
      clusters[name].setFeatures(features, z);
      return;
    }
    if (name === "villages") {
      // Below view zoom 11 the server sends villages too small to see as points grouped per
      // cell (villages/tiles.py): the groups are bubbles with their count, like the places.
      villageGroups.setFeatures(features.filter((f) => f.properties.count > 1), z);
      features = features.filter((f) => !(f.properties.count > 1));
    }
    // A shape comes whole from each tile it touches, simplified for the zoom: keep one per
    // id and zoom, and leave those already drawn in place (an open popup stays).
    const drawn = shapes[name] || (shapes[name] = new Map());
    const wanted = new Map(features.map((f) => [`${z}:${f.id}`, f]));
    for (const [key, layer] of drawn) {
      if (!wanted.has(key)) {
        overlays[name].removeLayer(layer);
        drawn.delete(key);
      }
    }
    const fresh = features.filter((f) => !drawn.has(`${z}:${f.id}`));
    const isVillages = name === "villages";
    const pane = isVillages ? "sog-villages" : "sog-trails";
    const STYLES = {
      trails: { color: COLOURS.trails, weight: 5, opacity: 0.85, dashArray: "8 6", className: "trail-line" },
      actions: { color: COLOURS.actions, weight: 3, fillOpacity: 0.35, className: "action-site" },
    };
    L.geoJSON({ type: "FeatureCollection", features: fresh }, {
      pane,
      style: (f) => (isVillages
        ? { color: f.properties.is_sog_site ? "#2f6b3a" : COLOURS.villages, weight: 2, fillOpacity: 0.12, className: "village-shape" }
        : STYLES[name]),
      pointToLayer: (f, latlng) => (isVillages
        ? L.circleMarker(latlng, {
          radius: f.properties.is_sog_site ? 9 : 6, color: COLOURS.villages, fillOpacity: 0.5, className: "village-centre", pane,
        })
        : L.circleMarker(latlng, { radius: 5, color: COLOURS[name], fillOpacity: 0.8, className: `marker-${name}`, pane })),
      onEachFeature: (f, layer) => {
        layer.on("click", (e) => {
          L.DomEvent.stop(e);
          showDetails(layer, f, e.latlng, { point: false });
        });
        // Village names on the map: always bound, shown by CSS from LABEL_ZOOM on (nameVillages).
        if (isVillages) {
          const point = f.geometry?.type === "Point";
          layer.bindTooltip(f.properties.name, {
            permanent: true, interactive: false, className: "village-label",
            direction: point ? "top" : "center", offset: point ? [0, -8] : [0, 0],
          });
        }
      },
    }).eachLayer((layer) => {
      drawn.set(`${z}:${layer.feature.id}`, layer);
      overlays[name].addLayer(layer);
    });
  }

  // Names fit from LABEL_ZOOM on (a kelurahan of Ambon is about a kilometre across,
  // some 100 px at zoom 14); below it they would pile up, so the map hides them.
  const LABEL_ZOOM = 14;
  function nameVillages() {
    const show = map.getZoom() >= LABEL_ZOOM;
    container.classList.toggle("show-village-labels", show);
    container.dataset.villageLabels = show ? "1" : "0";
  }
  nameVillages();
  map.on("zoomend", nameVillages);

  async function refresh() {
    say("");
    drawNear();
    saveState(map);
    if (state.layers.has("villages")) load("villages");
    const filtered = AVAILABLE.filter((n) => n !== "villages" && state.layers.has(n));
    const counts = (await Promise.all(filtered.map(load))).filter((c) => typeof c === "number");
    if (Object.keys(state.filters).length && counts.length && counts.every((c) => c === 0)) say(labels.noResults);
  }

  function drawNear() {
    if (nearCircle) nearCircle.remove();
    nearCircle = null;
    if (!state.filters.near) return;
    const [lon, lat] = state.filters.near.split(",").map(Number);
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) return;
    nearCircle = L.circle([lat, lon], {
      radius: Number(state.filters.radius_m) || 5000, color: "#b4441f", weight: 1, fillOpacity: 0.05,
      interactive: false, className: "near-circle",
    }).addTo(map);
  }

  map.on("overlayadd overlayremove", (e) => {
    const name = AVAILABLE.find((n) => overlays[n] === e.layer);
    if (!name) return;
    if (e.type === "overlayadd") {
      state.layers.add(name);
      load(name);
    } else {
      state.layers.delete(name);
    }
    container.dataset.layers = [...state.layers].join(",");
    saveState(map);
  });
  // A pan or a zoom brings other tiles into view (counts stay: the filters did not change).
  let moving = false; // a move made by the code that loads afterwards anyway
  map.on("moveend", () => {
    saveState(map);
    if (moving) return;
    for (const name of AVAILABLE) if (state.layers.has(name) && counted[name] !== undefined) load(name);
  });

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    readForm();
    refresh();
  });
  form.addEventListener("reset", () => {
    setTimeout(() => {
      state.filters = {};
      refresh();
    });
  });

  document.getElementById("near-me").addEventListener("click", () => {
    const radius = document.getElementById("near-radius").value || "5000";
    if (!("geolocation" in navigator)) {
      say(labels.nearMeUnavailable);
      return;
    }
    say(labels.nearMeLocating);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const { longitude, latitude } = position.coords;
        state.filters.near = `${longitude.toFixed(5)},${latitude.toFixed(5)}`;
        state.filters.radius_m = radius;
        readForm();
        // Move first, then load once, for the circle's view (not the old view, then the new).
        moving = true;
        map.fitBounds(L.latLng(latitude, longitude).toBounds(Number(radius) * 2), { animate: false });
        moving = false;
        refresh();
        say(format(labels.nearMeFound, { km: Number(radius) / 1000 }));
      },
      () => {
        delete state.filters.near;
        delete state.filters.radius_m;
        say(labels.nearMeUnavailable);
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 60000 },
    );
  });

  container.dataset.layers = [...state.layers].join(",");
  refresh();
  container.dataset.ready = "1";
});
