// A new log's form, offline-first: saving checks what the device can check, puts the log in
// the outbox (IndexedDB) with its client_uuid, then sends it at once when there is a network.
// "?outbox=<client_uuid>" reopens a log the server refused, with its messages per field.
// An edit of a stored log (its page kept from an online visit) goes to the server as before
// when there is a network; without one it waits in the outbox and is sent as a PUT.
// The action form's map also gets the land outline and the village boundaries (under and
// over the tiles), so it is never blank without a network.
import { QuotaError, getItem, getMeta, newUuid, putItem, setMeta } from "./db.js";
import { distanceToVillage } from "./geo.js";
import { t } from "./strings.js";
import { sync } from "./queue.js";

const form = document.querySelector("form.log-form");
const kind = form.dataset.kind;
const isNew = form.dataset.new === "1";
const logId = form.dataset.log || "";
const reopen = new URLSearchParams(location.search).get("outbox");
const MAX_LONG_SIDE = Number(form.dataset.maxLongSide || 2048);
const SKIP = new Set(["csrfmiddlewaretoken", "photo"]);
const LOOKUPS = { village: "villages", homestay: "homestays", event: "events" };
let reopened = null;

function field(name) {
  return form.elements.namedItem(name);
}

function clearErrors() {
  for (const el of form.querySelectorAll(".offline-errors")) el.remove();
}

function showErrors(errors) {
  clearErrors();
  let first = null;
  for (const [name, raw] of Object.entries(errors || {})) {
    const messages = (Array.isArray(raw) ? raw : [raw]).map((m) => (typeof m === "string" ? m : JSON.stringify(m)));
    const target = name === "species" ? "species_1" : name === "image" ? "photo" : name;
    const list = document.createElement("ul");
    list.className = "errorlist offline-errors";
    list.setAttribute("role", "alert");
    list.dataset.field = target;
    for (const message of messages) {
      const li = document.createElement("li");
      li.textContent = message;
      list.append(li);
    }
    const el = field(target);
    const anchor = el && !(el instanceof RadioNodeList)
      ? (target === "geometry" ? form.querySelector(".form-map") : el)
      : null;
    if (anchor) anchor.before(list);
    else form.prepend(list);
    first = first || list;
  }
  if (first) first.scrollIntoView({ block: "center" });
}

function values() {
  const out = {};
  for (const [name, value] of new FormData(form).entries()) {
    if (SKIP.has(name) || typeof value !== "string") continue;
    out[name] = value;
  }
  return out;
}

function validate(v, refdata) {
  const errors = {};
  const add = (name, message) => (errors[name] = errors[name] || []).push(message);
  for (const el of form.elements) {
    if (el.required && el.name && !SKIP.has(el.name) && !String(v[el.name] || "").trim()) add(el.name, t("required"));
  }
  if (field("geometry") && !v.geometry) add("geometry", t("required"));
  if (kind === "actions" && refdata) {
    const allowed = (refdata.kindUnits || {})[v.kind];
    const unit = v.unit || "";
    if (allowed && !allowed.includes(unit)) {
      add("unit", t("unitForKind", { units: allowed.map((u) => refdata.unitLabels[u] || u).join(", ") }));
    } else if (v.quantity && !unit) add("unit", t("unitNeeded"));
    else if (unit && !v.quantity && v.kind !== "other") add("quantity", t("quantityNeeded", { unit: refdata.unitLabels[unit] || unit }));
    const total = Number(v.participants_total || 0);
    for (const part of ["participants_women", "participants_youth", "participants_visitors"]) {
      if (Number(v[part] || 0) > total) add(part, t("moreThanTotal", { total }));
    }
    for (let n = 1; field(`species_${n}`); n += 1) {
      if (v[`species_${n}`] && !v[`count_${n}`]) add(`count_${n}`, t("count"));
      if (!v[`species_${n}`] && v[`count_${n}`]) add(`species_${n}`, t("species"));
    }
    const village = refdata.villages.find((row) => String(row.id) === v.village);
    if (village && village.boundary && v.geometry) {
      try {
        const metres = distanceToVillage(JSON.parse(v.geometry), village.boundary);
        if (metres > refdata.boundaryToleranceM) {
          add("geometry", t("outsideVillage", {
            km: (metres / 1000).toFixed(1), village: village.name, limit: (refdata.boundaryToleranceM / 1000).toFixed(1),
          }));
        }
      } catch (error) {
        // Not GeoJSON the device can read: the server says what is wrong with it.
      }
    }
  }
  return errors;
}

function payload(v, refdata) {
  const out = {};
  for (const [name, value] of Object.entries(v)) {
    if (value === "" || /^(species|count)_\d+$/.test(name)) continue;
    if (LOOKUPS[name]) {
      const row = ((refdata || {})[LOOKUPS[name]] || []).find((r) => String(r.id) === value);
      out[name] = row ? row.slug : value;
    } else if (name === "geometry") {
      try {
        out.geometry = JSON.parse(value);
      } catch (error) {
        out.geometry = value;
      }
    } else out[name] = value;
  }
  const species = [];
  for (let n = 1; field(`species_${n}`); n += 1) {
    if (v[`species_${n}`] && v[`count_${n}`]) species.push({ species: Number(v[`species_${n}`]), count: Number(v[`count_${n}`]) });
  }
  if (field("species_1")) out.species = species;
  return out;
}

// The photo, scaled on the device to the server's limit on its long side, as a JPEG blob.
async function scaledPhoto() {
  const input = field("photo");
  const file = input && input.files && input.files[0];
  if (!file) return null;
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch (error) {
    return { error: true };
  }
  const scale = Math.min(1, MAX_LONG_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
  return { blob, name: (file.name || "photo").replace(/\.[^.]*$/, "") + ".jpg" };
}

function say(text) {
  let box = form.querySelector(".offline-message");
  if (!box) {
    box = document.createElement("p");
    box.className = "offline-message note";
    box.setAttribute("role", "status");
    form.prepend(box);
  }
  box.textContent = text;
}

async function save(event) {
  // An online edit is an ordinary form post (the server's page answers), unless it is an
  // outbox item being fixed.
  if (!isNew && navigator.onLine && !reopened) return;
  event.preventDefault();
  const refdata = await getMeta("refdata");
  const v = values();
  const errors = validate(v, refdata);
  if (Object.keys(errors).length) {
    showErrors(errors);
    return;
  }
  clearErrors();
  const photo = await scaledPhoto();
  if (photo && photo.error) {
    showErrors({ photo: [t("photo")] });
    return;
  }
  // An edit waits under a key of its own (a second edit of the same log replaces it); the
  // log keeps its client_uuid.
  const uuid = isNew ? v.client_uuid : `edit-${kind}-${logId}`;
  const item = {
    ...(reopened || {}),
    client_uuid: uuid,
    edit_of: isNew ? null : Number(logId),
    kind,
    payload: payload(v, refdata),
    form: v,
    state: "waiting",
    errors: null,
    attempts: 0,
    next_try: 0,
    created_at: (reopened && reopened.created_at) || Date.now(),
  };
  if (photo) Object.assign(item, { photo: photo.blob, photo_name: photo.name, photo_tried: false });
  try {
    await putItem(item);
  } catch (error) {
    say(error instanceof QuotaError ? t("quota") : String(error));
    return;
  }
  window.dispatchEvent(new CustomEvent("sog:saved-on-device")); // app.js: not a dirty form now
  window.onbeforeunload = null; // Leaflet.draw's "unsaved changes" prompt: the log is saved
  if (navigator.onLine) {
    say(t("sending"));
    await sync({ force: true });
    const after = await getItem(uuid);
    if (!after) {
      location.assign(isNew ? `/coordinator/${kind}/` : `/coordinator/${kind}/${logId}/`);
      return;
    }
    if (after.state === "needs_fixing") {
      reopened = after;
      say(t("fixingThis"));
      showErrors(after.errors);
      return;
    }
    if (after.state === "conflict") {
      location.assign("/coordinator/outbox/");
      return;
    }
  }
  await setMeta("flash", t("savedOnDevice"));
  window.dispatchEvent(new CustomEvent("sog:outbox-saved"));
  location.assign("/coordinator/outbox/");
}

function fill(v) {
  for (const [name, value] of Object.entries(v)) {
    const el = field(name);
    if (el && !(el instanceof RadioNodeList) && el.type !== "file") el.value = value;
  }
  const loaded = window.sogFormField;
  if (loaded && v.geometry) {
    loaded.drawnItems.clearLayers();
    loaded.load();
  }
}

// Land (Natural Earth, clipped to Maluku) under the tiles, village boundaries over them.
async function drawBackground(map) {
  const refdata = await getMeta("refdata");
  map.createPane("sog-land");
  map.getPane("sog-land").style.zIndex = 150; // under the tile pane (200)
  map.getContainer().classList.add("has-land");
  try {
    const response = await fetch(form.dataset.land);
    if (response.ok) {
      L.geoJSON(await response.json(), {
        pane: "sog-land", interactive: false,
        style: { color: "#8a9a7b", weight: 1, fillColor: "#e9e4d4", fillOpacity: 1 },
      }).addTo(map);
    }
  } catch (error) {
    // Neither cached nor reachable: the boundaries still show.
  }
  const boundaries = ((refdata && refdata.villages) || []).filter((v) => v.boundary);
  const layer = L.geoJSON(
    { type: "FeatureCollection", features: boundaries.map((v) => ({ type: "Feature", geometry: v.boundary, properties: { name: v.name } })) },
    { interactive: false, style: { color: "#2f6b3a", weight: 2, fill: false, dashArray: "4 3" }, className: "village-boundary" },
  ).addTo(map);
  map.getContainer().dataset.boundaries = String(boundaries.length);
  performance.mark("sog:map-ready"); // bench/offline_shell.py reads both marks
}

async function start() {
  if (reopen) {
    reopened = await getItem(reopen);
    if (reopened) {
      fill(reopened.form);
      if (reopened.errors) {
        say(t("fixingThis"));
        showErrors(reopened.errors);
      }
    }
  } else if (isNew && field("client_uuid")) {
    // A page kept by the service worker shows the same client_uuid every time: each new
    // log gets its own, fixed here, before anything is typed.
    field("client_uuid").value = newUuid();
  }
  form.addEventListener("submit", save);
  if (window.sogFormMap) drawBackground(window.sogFormMap);
  else window.addEventListener("sog:form-map", (e) => drawBackground(e.detail.map), { once: true });
  form.dataset.offline = "ready";
  performance.mark("sog:form-ready");
}

start();
