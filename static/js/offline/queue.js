// Sending the outbox from a page (static/js/offline/sync.js does the sending): one sync at a
// time in this tab, the reference data refreshed first, the status line kept current.
// Imported by app.js, form.js and outbox.js; it imports none of them.
import { allItems, getMeta, setMeta } from "./db.js";
import { vertices } from "./geo.js";
import { t } from "./strings.js";
import { syncNow } from "./sync.js";

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
  }
  await prefetchTiles();
}

// Tiles of the coordinator's villages at zooms 13-17, only where the operator's tile
// server allows bulk downloads (SOG_TILE_PREFETCH; never tile.openstreetmap.org). Once per
// version of the reference data, as soon as a worker controls the page (on the first visit
// it does only after the data came): the worker skips the tiles it already has.
async function prefetchTiles() {
  const data = await getMeta("refdata");
  const controller = navigator.serviceWorker && navigator.serviceWorker.controller;
  if (!data || !data.tilePrefetch || !data.tileUrl || !controller) return;
  const version = await getMeta("refdata_etag");
  if ((await getMeta("tiles_prefetched")) === version) return;
  const urls = tileUrls(data);
  controller.postMessage({ type: "prefetch-tiles", urls });
  await setMeta("tiles_prefetched", version);
}

export function tileUrls(data) {
  const urls = [];
  const lon2x = (lon, z) => Math.floor(((lon + 180) / 360) * 2 ** z);
  const lat2y = (lat, z) => {
    const r = (lat * Math.PI) / 180;
    return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
  };
  for (const village of data.villages) {
    const geometry = village.boundary;
    if (!geometry) continue;
    const points = vertices(geometry);
    const lons = points.map((p) => p[0]);
    const lats = points.map((p) => p[1]);
    for (let z = 13; z <= 17; z += 1) {
      for (let x = lon2x(Math.min(...lons), z); x <= lon2x(Math.max(...lons), z); x += 1) {
        for (let y = lat2y(Math.max(...lats), z); y <= lat2y(Math.min(...lats), z); y += 1) {
          urls.push(data.tileUrl.replace("{s}", "a").replace("{z}", z).replace("{x}", x).replace("{y}", y).replace("{r}", ""));
        }
      }
    }
  }
  return [...new Set(urls)];
}

