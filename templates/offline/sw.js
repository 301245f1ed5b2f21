// Sound of Green: the coordinators' offline app (greenscore/offline/views.py renders this file).
const CONFIG = {{ config|safe }};
{% verbatim %}
// Caches: the app shell of this version (static files and coordinator pages in every
// language), pages seen since, and map tiles seen (bounded). Pages are asked network-first
// (a fresh CSRF token, messages, the latest logs) with the cache as fallback; static files
// cache-first (they change only with a new worker version, which precaches them again).
const SHELL = `sog-shell-${CONFIG.version}`;
const PAGES = "sog-pages";
const TILES = "sog-tiles";
const META = "sog-meta";
const LANG_KEY = "/__sog/lang";

function pageKey(url, lang) {
  const u = new URL(url, self.location.origin);
  u.hash = "";
  u.searchParams.set("__lang", lang);
  return u.href;
}

async function currentLanguage() {
  const meta = await caches.open(META);
  const hit = await meta.match(LANG_KEY);
  const lang = hit ? await hit.text() : "";
  return CONFIG.languages.includes(lang) ? lang : CONFIG.defaultLanguage;
}

async function setLanguage(lang) {
  if (!CONFIG.languages.includes(lang)) return;
  const meta = await caches.open(META);
  await meta.put(LANG_KEY, new Response(lang));
}

async function precachePages() {
  // Each coordinator page in each language; a page the user may not open (a redirect to
  // sign-in) is skipped, not cached.
  const pages = await caches.open(PAGES);
  const jobs = [];
  for (const lang of CONFIG.languages) {
    for (const path of CONFIG.pages) {
      jobs.push(
        fetch(path, { headers: { "X-SOG-Language": lang }, cache: "no-store", credentials: "same-origin" })
          .then((response) => {
            if (response.ok && !response.redirected) return pages.put(pageKey(path, lang), response);
            return null;
          })
          .catch(() => null),
      );
    }
  }
  await Promise.all(jobs);
}

// A coordinator page opened before this worker controlled it (the first visit): kept too,
// so an edit page seen once online opens offline.
async function keepPage(path, lang) {
  const url = new URL(path, self.location.origin);
  if (url.origin !== self.location.origin || !url.pathname.startsWith(CONFIG.scope)) return;
  if (!CONFIG.languages.includes(lang)) return;
  try {
    const response = await fetch(url.pathname, { headers: { "X-SOG-Language": lang }, cache: "no-store", credentials: "same-origin" });
    if (response.ok && !response.redirected) await (await caches.open(PAGES)).put(pageKey(url.pathname, lang), response);
  } catch (error) {
    // Offline again: kept on the next visit.
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const shell = await caches.open(SHELL);
      await shell.addAll(CONFIG.assets.map((url) => new Request(url, { cache: "reload" })));
      await precachePages();
    })(),
  );
  // No skipWaiting here: a page with a form being filled keeps the worker it started
  // with; static/js/offline/app.js asks the new one to take over when no form is dirty.
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("sog-shell-") && name !== SHELL) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "skip-waiting") self.skipWaiting();
  else if (data.type === "language") event.waitUntil(setLanguage(data.lang));
  else if (data.type === "refresh-pages") event.waitUntil(precachePages());
  else if (data.type === "prefetch-tiles") event.waitUntil(prefetchTiles(data.urls || []));
  else if (data.type === "keep-page") event.waitUntil(keepPage(data.url, data.lang));
});

function isTile(url) {
  return CONFIG.tileOrigins.some((origin) => {
    if (origin.includes("*.")) {
      const [scheme, host] = origin.split("://*.");
      return url.protocol === `${scheme}:` && url.host.endsWith(`.${host}`);
    }
    return url.origin === origin;
  });
}

async function trimTiles(cache) {
  const keys = await cache.keys();
  const excess = keys.length - CONFIG.tileCacheMax;
  for (let i = 0; i < excess; i += 1) await cache.delete(keys[i]); // oldest first
}

async function tile(request) {
  const cache = await caches.open(TILES);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  // Only CORS responses are kept: an opaque one counts as megabytes against the quota.
  if (response.ok && response.type !== "opaque") {
    await cache.put(request, response.clone());
    await trimTiles(cache);
  }
  return response;
}

async function prefetchTiles(urls) {
  const cache = await caches.open(TILES);
  for (const url of urls.slice(0, CONFIG.tileCacheMax)) {
    if (!isTile(new URL(url)) || (await cache.match(url))) continue;
    try {
      const response = await fetch(url, { mode: "cors" });
      if (response.ok) await cache.put(url, response);
    } catch (error) {
      return; // offline again: try on the next visit
    }
  }
  await trimTiles(cache);
}

const NEW_LOG = /^\/coordinator\/[\w-]+\/new\/$/;

async function fromNetwork(request, url) {
  const response = await fetch(request);
  const lang = response.headers.get("Content-Language") || (await currentLanguage());
  if (response.ok && !response.redirected && request.method === "GET") {
    const pages = await caches.open(PAGES);
    await pages.put(pageKey(url.href, lang), response.clone());
    await setLanguage(lang);
  }
  return response;
}

async function page(request, event) {
  const url = new URL(request.url);
  if (NEW_LOG.test(url.pathname) && !url.search) {
    // A blank form for a new log: from the device at once (a usable form in well under a
    // second on a slow network), refreshed from the network for the next time.
    const hit = await (await caches.open(PAGES)).match(pageKey(url.href, await currentLanguage()), { ignoreVary: true });
    if (hit) {
      event.waitUntil(fromNetwork(request, url).catch(() => null));
      return hit;
    }
  }
  try {
    const response = await fetch(request);
    const lang = response.headers.get("Content-Language") || (await currentLanguage());
    if (response.ok && !response.redirected && request.method === "GET") {
      const pages = await caches.open(PAGES);
      await pages.put(pageKey(url.href, lang), response.clone());
      await setLanguage(lang);
    }
    return response;
  } catch (error) {
    const lang = await currentLanguage();
    const pages = await caches.open(PAGES);
    const hit =
      (await pages.match(pageKey(url.href, lang), { ignoreVary: true })) ||
      (await pages.match(pageKey(url.pathname, lang), { ignoreVary: true })) ||
      // A log page not seen before: the outbox, which lists what this device holds.
      (await pages.match(pageKey("/coordinator/outbox/", lang), { ignoreVary: true }));
    if (hit) return hit;
    throw error;
  }
}

async function asset(request) {
  // This version's shell first (caches.match would search every cache, the tiles included).
  const hit = (await (await caches.open(SHELL)).match(request)) || (await caches.match(request));
  return hit || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.mode === "navigate" && url.origin === self.location.origin && url.pathname.startsWith("/accounts/")) {
    // Signing in or out: the pages kept belong to the last user; drop them (the next
    // coordinator page asks for them again, for whoever signs in).
    event.waitUntil(caches.delete(PAGES));
    return;
  }
  if (request.method !== "GET") return;
  if (url.origin === self.location.origin) {
    if (request.mode === "navigate" && url.pathname.startsWith(CONFIG.scope)) {
      event.respondWith(page(request, event));
    } else if (CONFIG.assets.includes(url.pathname)) {
      event.respondWith(asset(request));
    }
  } else if (isTile(url)) {
    event.respondWith(tile(request));
  }
});

// Background Sync: the pages do the sending (they hold the session and the outbox code);
// the worker wakes an open page of the app when the browser says the network is back.
self.addEventListener("sync", (event) => {
  if (event.tag !== "sog-outbox") return;
  event.waitUntil(
    self.clients.matchAll({ type: "window" }).then((clients) => {
      for (const client of clients) client.postMessage({ type: "sync" });
    }),
  );
});
{% endverbatim %}
