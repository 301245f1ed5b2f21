// Every Leaflet map of the site from the keyboard, and named for screen readers (loaded by
// templates/base.html, so the home map, the village, place, scorecard and form maps alike).
//
// Leaflet 1.9 already makes the map focusable (arrow keys pan it, + and - zoom) and its zoom
// buttons links. This module adds what it leaves out:
//  - names in the page's language: the map (a region), the zoom buttons, the layer switcher,
//    a popup's close button, a cluster ("4 places here: zoom in");
//  - the controls come first in the Tab order, before the shapes and markers;
//  - Space works on the controls that play buttons (<a role="button">), as Enter does;
//  - the layer switcher (collapsed on a phone) opens with Enter or Space and puts the focus on
//    its first layer; Escape, or the focus leaving it, closes it;
//  - every clickable shape or marker is a button: reached by Tab, named after its place;
//    Enter or Space opens its details (its popup, or on the home map the phone's sheet
//    #map-sheet of static/js/map-app.js);
//  - details opened from the keyboard take the focus (their title link); Escape closes them
//    and gives the focus back to the marker (or to the map, if the marker has gone).
// The words come from data-* attributes of this script's tag (translated by Django).

const script = document.querySelector("script[data-map-keyboard]");
const TEXT = script ? script.dataset : {};
const ACTIVATE = new Set(["Enter", " "]);
const layerControls = new Set();

if (window.L?.Control?.Layers) L.Control.Layers.addInitHook(function remember() { layerControls.add(this); });

function nameOf(layer) {
  const p = layer.feature?.properties || {};
  return p.name || p.title || p.village_name || p.kind_label || p.slug || "";
}

function clickable(layer) {
  return Boolean(layer.getPopup?.()) || Boolean(layer.listens?.("click"));
}

function centreOf(layer) {
  if (layer.getLatLng) return layer.getLatLng();
  try {
    return layer.getCenter();
  } catch {
    return layer.getBounds().getCenter();
  }
}

function label(element, text) {
  if (!element || !text) return;
  element.setAttribute("aria-label", text);
  element.title = text;
}

function setUp(map) {
  const container = map.getContainer();
  const features = new WeakMap(); // focusable element -> its layer
  const sheet = document.getElementById("map-sheet");
  let returnTo = null; // the marker whose details were opened from the keyboard
  let openPopup = null;

  container.setAttribute("role", "region");
  label(container, TEXT.mapLabel);
  container.removeAttribute("title");
  // Controls before the panes: Tab reaches the zoom and the layers before hundreds of markers.
  const controls = container.querySelector(":scope > .leaflet-control-container");
  if (controls) container.insertBefore(controls, container.firstChild);
  label(container.querySelector(".leaflet-control-zoom-in"), TEXT.zoomIn);
  label(container.querySelector(".leaflet-control-zoom-out"), TEXT.zoomOut);

  function enhance(layer) {
    const element = layer.getElement?.();
    if (!element || !clickable(layer)) return;
    if (layer instanceof L.Marker) {
      if (!layer.options.keyboard) return;
      if (element.classList.contains("cluster") && TEXT.cluster) {
        label(element, TEXT.cluster.replace("%(count)s", layer.options.title));
      }
    } else if (layer instanceof L.Path && layer.feature && layer.options.interactive !== false) {
      element.setAttribute("tabindex", "0");
      element.setAttribute("role", "button");
      element.setAttribute("aria-label", nameOf(layer));
    } else {
      return;
    }
    features.set(element, layer);
  }
  map.eachLayer(enhance);
  map.on("layeradd", (e) => enhance(e.layer));

  // Details arrive after a fetch (map-details.js): what the keyboard opened takes the focus
  // when its popup or sheet shows, not before.
  let focusPending = false;
  function focusDetails() {
    const box = sheet && !sheet.hidden ? sheet : openPopup?.getElement();
    if (!box) return;
    const target = box.querySelector(".popup-title, .leaflet-popup-content a[href]")
      || box.querySelector("a[href], button");
    if (!target) return;
    focusPending = false;
    target.focus({ preventScroll: true });
  }

  function activate(layer, element) {
    returnTo = element;
    const latlng = centreOf(layer);
    if (layer.getPopup?.()) {
      layer.openPopup(latlng);
    } else {
      layer.fire("click", {
        latlng,
        layerPoint: map.latLngToLayerPoint(latlng),
        containerPoint: map.latLngToContainerPoint(latlng),
        originalEvent: new MouseEvent("click"),
      }, true);
    }
    focusPending = true;
    focusDetails();
  }

  function giveFocusBack() {
    const target = returnTo?.isConnected ? returnTo : container;
    returnTo = null;
    target.focus({ preventScroll: true });
  }

  // A pointer takes over: no focus is given back to what the keyboard opened last.
  container.addEventListener("pointerdown", () => { returnTo = null; focusPending = false; });
  if (sheet) sheet.addEventListener("pointerdown", () => { returnTo = null; focusPending = false; });

  container.addEventListener("keydown", (event) => {
    const target = event.target;
    const layer = features.get(target);
    if (layer && ACTIVATE.has(event.key)) {
      event.preventDefault(); // and so no keypress: Leaflet would open a bound popup again
      activate(layer, target);
      return;
    }
    const toggle = target.closest?.(".leaflet-control-layers-toggle");
    if (toggle && ACTIVATE.has(event.key)) {
      event.preventDefault();
      const control = [...layerControls].find((c) => c.getContainer()?.contains(toggle));
      control?.expand();
      control?.getContainer().querySelector("input")?.focus();
      return;
    }
    if (event.key === " " && target.matches?.('a[role="button"]')) {
      event.preventDefault();
      target.click();
    }
  });

  // A cluster opened from the keyboard zooms in and is replaced: the map keeps the focus.
  map.on("moveend", () => {
    setTimeout(() => {
      if (returnTo && !returnTo.isConnected && document.activeElement === document.body) giveFocusBack();
    });
  });

  map.on("popupopen", (e) => {
    openPopup = e.popup;
    label(e.popup.getElement()?.querySelector(".leaflet-popup-close-button"), TEXT.close);
    if (focusPending) focusDetails();
  });
  map.on("popupclose", (e) => {
    const element = e.popup.getElement();
    const active = document.activeElement;
    if (openPopup === e.popup) openPopup = null;
    if (returnTo && (active === document.body || element?.contains(active))) giveFocusBack();
  });

  if (sheet) {
    new MutationObserver(() => {
      if (!sheet.hidden && focusPending) {
        focusDetails();
        return;
      }
      const active = document.activeElement;
      if (sheet.hidden && returnTo && (!active || active === document.body || sheet.contains(active))) {
        giveFocusBack();
      }
    }).observe(sheet, { attributes: true, attributeFilter: ["hidden"], childList: true, subtree: true });
  }

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const inControl = [...layerControls].find(
      (c) => c.options.collapsed && c.getContainer()?.contains(document.activeElement),
    );
    if (inControl) {
      inControl.collapse();
      inControl.getContainer().querySelector(".leaflet-control-layers-toggle")?.focus();
      return;
    }
    if (openPopup) map.closePopup();
  });

  // The layer switchers: named, with aria-expanded; a collapsed one closes when the focus leaves.
  // (Added by the page's own "map:init" listener, after this one: hence the timeout.)
  setTimeout(() => {
    for (const control of layerControls) {
      const box = control.getContainer();
      if (!box || !container.contains(box)) continue;
      const toggle = box.querySelector(".leaflet-control-layers-toggle");
      label(toggle, TEXT.layers);
      const list = box.querySelector(".leaflet-control-layers-list");
      if (list && TEXT.layers) {
        list.setAttribute("role", "group");
        list.setAttribute("aria-label", TEXT.layers);
      }
      const expanded = () => toggle?.setAttribute(
        "aria-expanded", String(box.classList.contains("leaflet-control-layers-expanded")),
      );
      expanded();
      new MutationObserver(expanded).observe(box, { attributes: true, attributeFilter: ["class"] });
      if (control.options.collapsed) {
        box.addEventListener("focusout", (event) => {
          if (!box.contains(event.relatedTarget)) control.collapse();
        });
      }
    }
  });
}

window.addEventListener("map:init", (event) => setUp(event.detail.map));

// The home map's filter panel (a <details>): Escape closes it and gives the focus to its summary.
const filters = document.getElementById("filters-panel");
if (filters) {
  filters.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && filters.open) {
      filters.open = false;
      filters.querySelector("summary").focus();
    }
  });
}
