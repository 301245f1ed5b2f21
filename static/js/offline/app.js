// The coordinators' offline app, on every coordinator page: registers the service worker
// (/sw.js), keeps the reference data current, sends the outbox when the network is there
// (on opening, on "online", on a timer with backoff, on Background Sync) and shows its state.
// The sending itself is in queue.js, which form.js and outbox.js import too (no module
// imports app.js back: collectstatic's hashed names need imports without a cycle).
import { allItems, setMeta } from "./db.js";
import { refreshStatus, sync } from "./queue.js";
import { t } from "./strings.js";

const RETRY_EVERY_MS = 20000;

// The form's map may start before form.js loads: remember it.
window.addEventListener("map:init", (event) => {
  window.sogFormMap = event.detail.map;
  event.detail.map.on("map:loadfield", (e) => { window.sogFormField = e.field; });
  window.dispatchEvent(new CustomEvent("sog:form-map", { detail: { map: event.detail.map } }));
});
let dirty = false;
let waitingWorker = null;

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
  if (!navigator.serviceWorker.controller) {
    // The first visit: this page came from the network; once the worker takes over, it
    // keeps the page for offline use (an edit page, a log seen once).
    navigator.serviceWorker.addEventListener("controllerchange", () => {
      const controller = navigator.serviceWorker.controller;
      if (controller) controller.postMessage({ type: "keep-page", url: location.pathname, lang });
    }, { once: true });
  }
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data && event.data.type === "sync") sync();
  });
  window.sogRegistration = registration;
}

function markDirty(value) {
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
  window.addEventListener("sog:saved-on-device", () => markDirty(false)); // form.js
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
