// What a tile does not carry: a feature's details for its popup (from the GeoJSON API, in the
// page's language) and how many features match the filters (numberMatched of a one-feature page).

const details = new Map(); // url -> Promise of properties

async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/geo+json" } });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(Object.values(body).flat().join(" ") || response.statusText);
  }
  return response.json();
}

function detailUrl(config, feature) {
  const base = config.urls[feature.layerName];
  if (feature.layerName === "villages") return `${base}${feature.properties.slug}/?geometry=centre`;
  if (feature.layerName === "actions") return `${base}${feature.id}/`;
  if (feature.layerName === "sounds") return `${base}?slug=${encodeURIComponent(feature.properties.slug)}`;
  return `${base}${feature.properties.slug}/`;
}

/** The feature's properties as the GeoJSON API gives them, plus what its tile added (distance_m). */
export async function featureDetails(config, feature) {
  const url = detailUrl(config, feature);
  if (!details.has(url)) {
    // A one-recording collection for a sound (its detail URL is the coordinator's).
    const pending = getJSON(url).then((data) => (data.features ? data.features[0]?.properties : data.properties));
    pending.catch(() => details.delete(url));
    details.set(url, pending);
  }
  return { ...(await details.get(url)), ...feature.properties };
}

const counting = new Map(); // url -> Promise of a count still on its way

/** How many features of the layer match the query (the whole layer, not only the view). */
export function matchCount(listUrl, query) {
  const url = `${listUrl}?${query ? `${query}&` : ""}limit=1`;
  if (!counting.has(url)) {
    const pending = getJSON(url).then((data) => data.numberMatched);
    pending.finally(() => counting.delete(url)).catch(() => {});
    counting.set(url, pending);
  }
  return counting.get(url);
}
