// The coordinators' offline app, on every coordinator page: registers the service worker
// (/sw.js), keeps the reference data current, sends the outbox when the network is there
// (on opening, on "online", on a timer with backoff, on Background Sync) and shows its state.
import { allItems, getMeta, setMeta } from "./db.js";
import { t } from "./strings.js";
import { syncNow } from "./sync.js";

const RETRY_EVERY_MS = 20000;

// The form's map may start before form.js loads: remember it.
window.addEventListener("map:init", (event) => {
  window.sogFormMap = event.detail.map;
  event.detail.map.on("map:loadfield", (e) => { window.sogFormField = e.field; });
  window.dispatchEvent(new CustomEvent("sog:form-map", { detail: { map: event.detail.map } }));
});
let dirty = false;
let waitingWorker = null;

function changed() {
  window.dispatchEvent(new CustomEvent("sog:outbox-changed"));
}

export async function refreshStatus() {
  const box = document.getElementById("outbox-status");
  if (!box) return;
  const items = await allItems();
  const waiting = items.filter((item) => item.state !== "stored").length;
  const last = await getMeta("last_synced");
  const parts = [];
  if (!navigator.onLine) parts.push(t("offline"));
  if (await getMeta("auth_needed", false)) parts.push(t("signIn"));
  parts.push(t("waiting", { n: waiting }));
  parts.push(last ? t("lastSynced", { when: new Date(last).toLocaleString() }) : t("neverSynced"));
  box.querySelector(".outbox-text").textContent = parts.join(" · ");
  box.dataset.waiting = String(waiting);
  box.classList.toggle("is-offline", !navigator.onLine);
  box.hidden = false;
}

// One sync at a time in this tab; a call during a sync runs after it (it may have new items).
let queue = Promise.resolve();
let pending = 0;
export function sync({ force = false } = {}) {
  if (pending > 1) return queue; // one already waits behind the running one
  pending += 1;
  queue = queue.then(async () => {
    try {
      await refreshReference();
      return await syncNow({ force });
    } catch (error) {
      console.warn("outbox sync", error);
      return { ok: false };
    } finally {
      pending -= 1;
      await refreshStatus();
      changed();
    }
  });
  return queue;
}

async function refreshReference() {
  if (!navigator.onLine) return;
  const etag = await getMeta("refdata_etag");
  let response;
  try {
    response = await fetch("/coordinator/offline-data.json", {
      headers: etag ? { "If-None-Match": etag, Accept: "application/json" } : { Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch (error) {
    return;
  }
  if (response.status === 200 && !response.redirected) {
    const data = await response.json();
    await setMeta("refdata", data);
    await setMeta("refdata_etag", response.headers.get("ETag"));
    prefetchTiles(data);
  }
}

// Tiles of the coordinator's villages at zooms 13-17, only where the operator's tile
// server allows bulk downloads (SOG_TILE_PREFETCH; never tile.openstreetmap.org).
function prefetchTiles(data) {
  if (!data.tilePrefetch || !data.tileUrl || !navigator.serviceWorker.controller) return;
  const urls = [];
  const lon2x = (lon, z) => Math.floor(((lon + 180) / 360) * 2 ** z);
  const lat2y = (lat, z) => {
    const r = (lat * Math.PI) / 180;
    return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
  };
  for (const village of data.villages) {
    const geometry = village.boundary;
    if (!geometry) continue;
    const points = JSON.stringify(geometry.coordinates).match(/-?\d+(\.\d+)?,-?\d+(\.\d+)?/g) || [];
    const lons = points.map((p) => Number(p.split(",")[0]));
    const lats = points.map((p) => Number(p.split(",")[1]));
    for (let z = 13; z <= 17; z += 1) {
      for (let x = lon2x(Math.min(...lons), z); x <= lon2x(Math.max(...lons), z); x += 1) {
        for (let y = lat2y(Math.max(...lats), z); y <= lat2y(Math.min(...lats), z); y += 1) {
          urls.push(data.tileUrl.replace("{s}", "a").replace("{z}", z).replace("{x}", x).replace("{y}", y).replace("{r}", ""));
        }
      }
    }
  }
  navigator.serviceWorker.controller.postMessage({ type: "prefetch-tiles", urls });
}

function takeOver() {
  if (waitingWorker && !dirty) {
    waitingWorker.postMessage({ type: "skip-waiting" });
    waitingWorker = null;
    const box = document.getElementById("outbox-status");
    if (box) box.title = t("updated");
  }
}

async function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  let registration;
  try {
    registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  } catch (error) {
    console.warn("service worker", error);
    return;
  }
  const lang = document.documentElement.lang;
  const tell = (worker) => worker && worker.postMessage({ type: "language", lang });
  tell(navigator.serviceWorker.controller);
  // On the first visit no worker controls the page yet: tell the one that becomes active.
  navigator.serviceWorker.ready.then((ready) => tell(ready.active));
  if (registration.waiting) waitingWorker = registration.waiting;
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) {
        waitingWorker = worker; // an update: it takes over when no form is being filled
        takeOver();
      }
    });
  });
  takeOver();
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data && event.data.type === "sync") sync();
  });
  window.sogRegistration = registration;
}

export function markDirty(value) {
  dirty = value;
  if (!dirty) takeOver();
}

export async function askBackgroundSync() {
  const registration = window.sogRegistration;
  if (registration && registration.sync) {
    try {
      await registration.sync.register("sog-outbox");
    } catch (error) {
      // Background Sync refused (permissions, browser): the timer and "online" still send.
    }
  }
}

function guardSignOut() {
  for (const form of document.querySelectorAll("form.sign-out")) {
    form.addEventListener("submit", async (event) => {
      if (form.dataset.confirmed) return;
      event.preventDefault();
      const waiting = (await allItems()).filter((item) => item.state !== "stored").length;
      if (waiting && !window.confirm(t("signOutWarning", { n: waiting }))) return;
      form.dataset.confirmed = "1";
      form.submit();
    });
  }
}

function watchForms() {
  for (const form of document.querySelectorAll("main form")) {
    if (form.method.toLowerCase() !== "post") continue;
    form.addEventListener("input", () => markDirty(true));
    form.addEventListener("change", () => markDirty(true));
  }
  window.addEventListener("pagehide", () => markDirty(false));
}

// A page kept by the worker may carry an older CSRF token (a sign-in renews it): the
// forms send the current one, which Django accepts as it is in the cookie.
function freshCsrf() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (!match) return;
  for (const input of document.querySelectorAll("input[name=csrfmiddlewaretoken]")) input.value = decodeURIComponent(match[1]);
}

async function keepPages() {
  // After a sign-in the worker has dropped the last user's pages: keep this user's.
  const controller = navigator.serviceWorker && navigator.serviceWorker.controller;
  if (!controller || !navigator.onLine || !window.caches) return;
  const kept = await (await caches.open("sog-pages")).keys();
  if (kept.length < 2) controller.postMessage({ type: "refresh-pages" });
}

async function start() {
  freshCsrf();
  if (document.querySelector("form.log-form")) await import("./form.js");
  guardSignOut();
  watchForms();
  await setMeta("lang", document.documentElement.lang).catch(() => null);
  await registerWorker();
  window.addEventListener("online", () => sync({ force: true }));
  window.addEventListener("offline", refreshStatus);
  window.addEventListener("sog:outbox-saved", () => {
    refreshStatus();
    askBackgroundSync();
    if (navigator.onLine) sync({ force: true });
  });
  setInterval(() => {
    if (navigator.onLine) sync();
  }, RETRY_EVERY_MS);
  if (document.getElementById("outbox-items")) await import("./outbox.js");
  await refreshStatus();
  keepPages();
  if (navigator.onLine) await sync({ force: true });
  document.documentElement.dataset.offlineReady = "1";
}

start();
