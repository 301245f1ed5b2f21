// Popup contents, built as DOM nodes (never HTML strings from data, so names cannot inject markup).
import { soundDetails } from "./map-sounds.js";

const LANG = document.documentElement.lang || "id";

function format(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, key) => values[key] ?? "");
}

export function formatDistance(metres) {
  if (metres < 1000) return `${Math.round(metres)} m`;
  return `${(metres / 1000).toLocaleString(LANG, { maximumFractionDigits: 1 })} km`;
}

export function formatWIT(iso) {
  const when = new Date(iso);
  const text = new Intl.DateTimeFormat(LANG === "en" ? "en-GB" : "id-ID", {
    timeZone: "Asia/Jayapura", weekday: "short", day: "numeric", month: "short",
    hour: "2-digit", minute: "2-digit",
  }).format(when);
  return `${text} WIT`;
}

function subtitle(props, labels) {
  switch (props.layer) {
    case "attractions":
      return [props.category_label, props.price_label].filter(Boolean).join(" · ");
    case "homestays":
      return [props.price_label, props.beds ? format(labels.beds, { count: props.beds }) : ""].filter(Boolean).join(" · ");
    case "events":
      return [formatWIT(props.next_starts_at || props.starts_at), props.attraction_name || props.village_name]
        .filter(Boolean).join(" · ");
    case "trails":
      return `${labels.length}: ${formatDistance(props.length_m)} · ${props.difficulty_label}`;
    case "sounds":
      return [props.kind_label, props.village_name, formatWIT(props.recorded_at)].filter(Boolean).join(" · ");
    case "actions":
      return [props.village_name, props.date, props.quantity !== null ? `${Number(props.quantity)} ${props.unit_label}` : ""]
        .filter(Boolean).join(" · ");
    default:
      return props.district || "";
  }
}

export function popupContent(props, labels) {
  const box = document.createElement("div");
  box.className = `popup popup-${props.layer || "villages"}`;
  if (props.thumbnail) {
    const img = document.createElement("img");
    img.src = props.thumbnail;
    img.alt = "";
    img.loading = "lazy";
    img.className = "popup-thumb";
    box.append(img);
  }
  const link = document.createElement("a");
  link.href = props.url;
  link.className = "popup-title";
  link.textContent = props.name || props.title || props.kind_label;
  box.append(link);
  const line = subtitle(props, labels);
  if (line) {
    const p = document.createElement("p");
    p.textContent = line;
    box.append(p);
  }
  if (props.layer === "sounds") box.append(soundDetails(props, labels));
  if (props.distance_m !== undefined && props.distance_m !== null) {
    const p = document.createElement("p");
    p.className = "popup-distance";
    p.textContent = format(labels.away, { distance: formatDistance(props.distance_m) });
    box.append(p);
  }
  return box;
}

export { format };
