// The device's store (IndexedDB through idb, static/vendor/idb): the outbox of logs not yet
// stored by the server, the reference data the forms check against, the logs pulled back
// with AMO's decisions, and a few settings (CSRF token, last sync, language).
import { openDB } from "../../vendor/idb/index.js";

export const STATES = ["waiting", "sending", "stored", "needs_fixing", "conflict"];

let dbPromise = null;

export function db() {
  if (!dbPromise) {
    dbPromise = openDB("sog-offline", 1, {
      upgrade(database) {
        const outbox = database.createObjectStore("outbox", { keyPath: "client_uuid" });
        outbox.createIndex("state", "state");
        database.createObjectStore("meta");
        database.createObjectStore("logs", { keyPath: "key" });
      },
    });
  }
  return dbPromise;
}

export class QuotaError extends Error {}

function isQuota(error) {
  return error && (error.name === "QuotaExceededError" || /quota/i.test(String(error.message)));
}

// Writes that may hit the device's storage limit say so, rather than failing quietly.
async function guarded(write) {
  try {
    return await write();
  } catch (error) {
    if (isQuota(error)) throw new QuotaError(String(error.message || error));
    throw error;
  }
}

export async function getMeta(key, fallback = null) {
  const value = await (await db()).get("meta", key);
  return value === undefined ? fallback : value;
}

export async function setMeta(key, value) {
  return guarded(async () => (await db()).put("meta", value, key));
}

export async function putItem(item) {
  item.updated_at = Date.now();
  return guarded(async () => (await db()).put("outbox", item));
}

export async function getItem(uuid) {
  return (await db()).get("outbox", uuid);
}

export async function allItems() {
  const items = await (await db()).getAll("outbox");
  return items.sort((a, b) => a.created_at - b.created_at);
}

export async function deleteItem(uuid) {
  return (await db()).delete("outbox", uuid);
}

// Moves an item from one state to another only if it is still in one of `from`:
// one transaction, so two tabs cannot both take the same item.
export async function transition(uuid, from, changes) {
  const database = await db();
  const tx = database.transaction("outbox", "readwrite");
  const item = await tx.store.get(uuid);
  if (!item || !from.includes(item.state)) {
    await tx.done;
    return null;
  }
  Object.assign(item, changes, { updated_at: Date.now() });
  await tx.store.put(item);
  await tx.done;
  return item;
}

export async function putLogs(rows) {
  const database = await db();
  const tx = database.transaction("logs", "readwrite");
  for (const row of rows) await tx.store.put(row);
  await tx.done;
}

export async function allLogs() {
  return (await db()).getAll("logs");
}

export function newUuid() {
  return self.crypto.randomUUID();
}
