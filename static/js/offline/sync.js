// Sending the outbox: each log once, with its client_uuid (the server stores a retry once),
// its photo after it; then pulling back the logs AMO has decided on since the last sync.
// One tab sends at a time (Web Locks), and an item is taken by a state change in one
// IndexedDB transaction, so two tabs never send the same item at once.
import {
  allItems, deleteItem, getItem, getMeta, putItem, putLogs, setMeta, transition,
} from "./db.js";

const PULL_WINDOW_DAYS = 120; // the first pull on a device: logs changed in this window
const BACKOFF_MS = 5000;
const BACKOFF_MAX_MS = 15 * 60 * 1000;

export class AuthNeeded extends Error {}
class Offline extends Error {}

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

async function call(url, { method = "GET", json, body } = {}) {
  const headers = { Accept: "application/json", "X-Requested-With": "fetch" };
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch(url, { method, headers, body, credentials: "same-origin", cache: "no-store" });
  } catch (error) {
    throw new Offline(String(error));
  }
  let data = null;
  try {
    data = await response.json();
  } catch (error) {
    data = null;
  }
  if (response.status === 401 || (response.status === 403 && isAuthProblem(data))) {
    throw new AuthNeeded();
  }
  return { status: response.status, data };
}

function isAuthProblem(data) {
  const detail = data && (data.detail || data.code || "");
  const text = typeof detail === "string" ? detail : JSON.stringify(detail);
  return /CSRF|not_authenticated|authentication|Sign in|Masuk/i.test(text) || (data && data.code === "not_authenticated");
}

function backoff(item) {
  const attempts = (item.attempts || 0) + 1;
  const wait = Math.min(BACKOFF_MS * 2 ** (attempts - 1), BACKOFF_MAX_MS);
  return { attempts, next_try: Date.now() + wait * (0.8 + Math.random() * 0.4) };
}

function apiFor(refdata, kind) {
  return (refdata && refdata.kinds && refdata.kinds[kind] && refdata.kinds[kind].api) || `/api/v1/${kind}/`;
}

async function remember(kind, row) {
  await putLogs([{ ...row, key: `${kind}:${row.id}`, kind }]);
}

async function finish(item, row) {
  await remember(item.kind, row);
  await deleteItem(item.client_uuid);
}

async function sendPhoto(item, api) {
  const url = `${api}${item.server.id}/photos/`;
  if (item.photo_tried) {
    // An earlier attempt may have reached the server with its answer lost: look first.
    const { status, data } = await call(`${api}${item.server.id}/`);
    if (status === 200 && data && data.photos && data.photos.length) return { ok: true, row: data };
  }
  item.photo_tried = true;
  await putItem(item);
  const form = new FormData();
  form.append("image", item.photo, item.photo_name || "photo.jpg");
  const { status, data } = await call(url, { method: "POST", body: form });
  if (status === 201) {
    const again = await call(`${api}${item.server.id}/`);
    return { ok: true, row: again.status === 200 ? again.data : item.server };
  }
  return { ok: false, status, data };
}

async function sendOne(item, refdata) {
  const api = apiFor(refdata, item.kind);
  if (!item.server) {
    // A new log is a POST (a retry gives the stored row); an edit made offline is a PUT of
    // the stored log, refused with 409 (or 403) once AMO has verified it.
    const { status, data } = item.edit_of
      ? await call(`${api}${item.edit_of}/`, { method: "PUT", json: item.payload })
      : await call(api, { method: "POST", json: item.payload });
    if (status === 200 || status === 201) {
      item.server = data;
      await putItem(item);
    } else if (status === 400) {
      await putItem({ ...item, state: "needs_fixing", errors: data || {}, attempts: 0 });
      return "needs_fixing";
    } else if (status === 409 || (status === 403 && item.edit_of)) {
      const stored = item.edit_of
        ? await call(`${api}${item.edit_of}/`)
        : await call(`${api}?client_uuid=${encodeURIComponent(item.client_uuid)}`);
      const rows = item.edit_of
        ? [stored.data]
        : stored.data && (stored.data.results || stored.data);
      await putItem({
        ...item, state: "conflict", errors: data || {},
        stored: Array.isArray(rows) && rows.length ? rows[0] : null,
      });
      return "conflict";
    } else if (status === 403) {
      await putItem({ ...item, state: "needs_fixing", errors: data || {} });
      return "needs_fixing";
    } else {
      await putItem({ ...item, state: "waiting", ...backoff(item), last_error: status });
      return "waiting";
    }
  }
  if (item.photo) {
    const result = await sendPhoto(item, api);
    if (!result.ok) {
      if (result.status === 400) {
        const errors = { photo: (result.data && (result.data.image || result.data.caption)) || result.data };
        await putItem({ ...item, state: "needs_fixing", errors });
        return "needs_fixing";
      }
      await putItem({ ...item, state: "waiting", ...backoff(item), last_error: result.status });
      return "waiting";
    }
    await finish(item, result.row);
    return "stored";
  }
  await finish(item, item.server);
  return "stored";
}

async function pushAll(refdata, { force }) {
  const now = Date.now();
  const results = [];
  for (const candidate of await allItems()) {
    if (!["waiting", "sending"].includes(candidate.state)) continue;
    if (!force && candidate.next_try && candidate.next_try > now) continue;
    // Holding the lock, an item still "sending" was left by a closed tab: send it again
    // (the server keeps one row per client_uuid).
    const item = await transition(candidate.client_uuid, ["waiting", "sending"], { state: "sending" });
    if (!item) continue;
    try {
      results.push(await sendOne(item, refdata));
    } catch (error) {
      const current = await getItem(item.client_uuid);
      if (current) await putItem({ ...current, state: "waiting", ...backoff(current) });
      throw error;
    }
  }
  return results;
}

async function pull(refdata) {
  const kinds = Object.keys((refdata && refdata.kinds) || {});
  for (const kind of kinds) {
    const key = `pulled_since:${kind}`;
    let since = await getMeta(key);
    if (!since) since = new Date(Date.now() - PULL_WINDOW_DAYS * 86400000).toISOString();
    let url = `${apiFor(refdata, kind)}?updated_since=${encodeURIComponent(since)}`;
    let newest = since;
    for (let page = 0; url && page < 50; page += 1) {
      const { status, data } = await call(url);
      if (status !== 200 || !data) break;
      const rows = Array.isArray(data) ? data : data.results || [];
      for (const row of rows) {
        await remember(kind, row);
        if (row.updated_at && row.updated_at > newest) newest = row.updated_at;
      }
      url = Array.isArray(data) ? null : data.next;
    }
    await setMeta(key, newest);
  }
}

async function run({ force = false, refdata }) {
  try {
    const results = await pushAll(refdata, { force });
    await pull(refdata);
    await setMeta("auth_needed", false);
    await setMeta("last_synced", new Date().toISOString());
    return { ok: true, results };
  } catch (error) {
    if (error instanceof AuthNeeded) {
      await setMeta("auth_needed", true);
      return { ok: false, auth: true };
    }
    if (error instanceof Offline) return { ok: false, offline: true };
    throw error;
  }
}

export async function syncNow({ force = false } = {}) {
  if (!navigator.onLine) return { ok: false, offline: true };
  const refdata = await getMeta("refdata");
  if (navigator.locks) {
    return navigator.locks.request("sog-outbox-sync", { ifAvailable: true }, async (lock) =>
      lock ? run({ force, refdata }) : { ok: false, busy: true });
  }
  return run({ force, refdata });
}

// A conflict settled on the device: keep the stored log (drop the device's copy) or keep
// the device's (it replaces the stored one, or goes as a new log when that is not possible).
export async function keepStored(uuid) {
  const item = await getItem(uuid);
  if (item && item.stored) await remember(item.kind, item.stored);
  await deleteItem(uuid);
}

export async function keepDevice(uuid, newUuid) {
  const item = await getItem(uuid);
  if (!item) return null;
  const refdata = await getMeta("refdata");
  const user = refdata && refdata.user;
  const stored = item.stored;
  if (item.edit_of || (stored && stored.author === user && stored.status !== "verified")) {
    const { status, data } = await call(`${apiFor(refdata, item.kind)}${item.edit_of || stored.id}/`, {
      method: "PUT", json: item.payload,
    });
    if (status === 200) {
      if (item.photo) {
        await putItem({ ...item, server: data, state: "waiting", errors: null, next_try: 0 });
        return "waiting";
      }
      await finish(item, data);
      return "stored";
    }
    await putItem({ ...item, state: "needs_fixing", errors: data || {} });
    return "needs_fixing";
  }
  // Not ours to replace: the device's log goes as a new one.
  await deleteItem(uuid);
  const payload = { ...item.payload, client_uuid: newUuid };
  await putItem({
    ...item, client_uuid: newUuid, payload, form: { ...item.form, client_uuid: newUuid },
    state: "waiting", errors: null, stored: null, next_try: 0,
  });
  return "waiting";
}

export async function waitingCount() {
  return (await allItems()).filter((item) => item.state !== "stored").length;
}
