// The outbox page: every log waiting on this device with its state, the server's messages
// for one to fix, both versions of a conflict, and the logs AMO has decided on.
import { allItems, allLogs, deleteItem, getMeta, newUuid, setMeta } from "./db.js";
import { t } from "./strings.js";
import { keepDevice, keepStored } from "./sync.js";
import { sync } from "./queue.js";

const list = document.getElementById("outbox-items");
const decided = document.getElementById("outbox-decided");

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

const SHOWN = ["village", "date", "kind", "homestay", "event", "title", "quantity", "unit", "participants_total", "nights", "audience", "notes"];

function summary(data) {
  if (!data) return "-";
  return SHOWN.filter((k) => data[k] !== undefined && data[k] !== null && data[k] !== "")
    .map((k) => `${k}: ${typeof data[k] === "object" ? JSON.stringify(data[k]) : data[k]}`)
    .join(" · ");
}

function errorsText(errors) {
  return Object.entries(errors || {})
    .filter(([k]) => k !== "code")
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(" ") : typeof v === "string" ? v : JSON.stringify(v)}`)
    .join("; ");
}

function itemCard(item) {
  const card = el("div", { class: `card outbox-item state-${item.state}`, "data-uuid": item.client_uuid, "data-state": item.state });
  card.append(el("p", {}, el("strong", { class: "outbox-state" }, t(`state_${item.state}`)), ` · ${item.kind} · ${summary(item.payload)}`));
  if (item.photo) card.append(el("p", { class: "note" }, `${t("photo")}: ${item.photo_name || ""}`));
  if (item.state === "needs_fixing") {
    card.append(el("p", { class: "errors", role: "alert" }, errorsText(item.errors)));
    card.append(el("a", { class: "button", href: item.edit_of
      ? `/coordinator/${item.kind}/${item.edit_of}/edit/?outbox=${item.client_uuid}`
      : `/coordinator/${item.kind}/new/?outbox=${item.client_uuid}` }, t("fix")));
  }
  if (item.state === "conflict") {
    card.append(el("p", { class: "errors", role: "alert" }, errorsText(item.errors)));
    card.append(
      el("div", { class: "conflict" },
        el("div", { class: "conflict-stored" }, el("strong", {}, t("storedVersion")), el("p", {}, summary(item.stored))),
        el("div", { class: "conflict-device" }, el("strong", {}, t("deviceVersion")), el("p", {}, summary(item.payload)))),
    );
    card.append(el("button", { type: "button", class: "keep-stored", onclick: async () => { await keepStored(item.client_uuid); render(); } }, t("keepStored")));
    card.append(el("button", { type: "button", class: "keep-device", onclick: async () => { await keepDevice(item.client_uuid, newUuid()); await sync({ force: true }); render(); } }, t("keepDevice")));
  }
  if (item.state !== "sending") {
    card.append(el("button", {
      type: "button", class: "link danger delete-item",
      onclick: async () => {
        if (!window.confirm(t("deleteConfirm"))) return;
        await deleteItem(item.client_uuid);
        render();
      },
    }, t("deleteItem")));
  }
  return card;
}

async function render() {
  const flash = await getMeta("flash");
  if (flash) {
    await setMeta("flash", null);
    list.before(el("p", { class: "messages success", role: "status" }, flash));
  }
  const items = await allItems();
  list.replaceChildren(...(items.length ? items.map(itemCard) : [el("p", { class: "outbox-empty" }, t("nothingWaiting"))]));
  const refdata = await getMeta("refdata");
  const me = refdata && refdata.user;
  const logs = (await allLogs())
    .filter((row) => row.author === me && (row.status === "verified" || row.status === "rejected"))
    .sort((a, b) => String(b.updated_at).localeCompare(String(a.updated_at)))
    .slice(0, 50);
  decided.replaceChildren(...logs.map((row) => el("div", { class: `card decided status-${row.status}`, "data-key": row.key },
    el("p", {}, el("strong", {}, t(`status_${row.status}`)), ` · ${row.kind} · ${summary(row)}`),
    row.rejection_reason ? el("p", {}, `${t("reason")} ${row.rejection_reason}`) : "",
    el("a", { href: `/coordinator/${row.kind}/${row.id}/` }, `#${row.id}`))));
  list.dataset.count = String(items.length);
}

document.getElementById("outbox-send").addEventListener("click", async () => {
  await sync({ force: true });
  render();
});
window.addEventListener("sog:outbox-changed", render);
render();
