// Overview map: village shapes from /api/v1/villages/, coloured by the Green Score from
// /api/v1/scorecards/ (joined here by slug). django-leaflet runs with NO_GLOBALS, so we
// hook in through "map:init".
const config = JSON.parse(document.getElementById("scorecard-config").textContent);
const status = document.getElementById("map-status");

function band(score) {
  if (score === null || score === undefined) return "none";
  if (score >= 80) return "80";
  if (score >= 60) return "60";
  if (score >= 40) return "40";
  return "0";
}

function colour(score) {
  if (score === null || score === undefined) return "#c9ced6";  // no score is not a low score
  if (score >= 80) return "#1a9850";
  if (score >= 60) return "#91cf60";
  if (score >= 40) return "#fc8d59";
  return "#d7301f";
}

async function getJSON(url, accept) {
  const response = await fetch(url, { headers: { Accept: accept }, credentials: "same-origin" });
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  return response.json();
}

// The scorecards come a page at a time: follow `next` to the last page.
async function allScorecards(url) {
  const results = [];
  let next = url;
  while (next) {
    const page = await getJSON(next, "application/json");
    results.push(...page.results);
    next = page.next;
  }
  return { results };
}

window.addEventListener("map:init", async (event) => {
  const map = event.detail.map;
  try {
    const params = new URLSearchParams({ period: config.period, aggregation: config.aggregation });
    const [villages, scores] = await Promise.all([
      getJSON(config.villagesUrl, "application/geo+json"),
      allScorecards(`${config.scorecardsUrl}?${params}&page_size=500`),
    ]);
    const bySlug = new Map(scores.results.map((row) => [row.village, row]));
    const scored = villages.features.filter((f) => bySlug.has(f.properties.slug));
    const layer = L.geoJSON({ type: "FeatureCollection", features: scored }, {
      style: (f) => {
        const score = bySlug.get(f.properties.slug).composite;
        return { color: "#333", weight: 1, fillColor: colour(score), fillOpacity: 0.7,
          className: `scorecard-shape band-${band(score)}` };
      },
      pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 9, color: "#333", weight: 1,
        fillColor: colour(bySlug.get(f.properties.slug).composite), fillOpacity: 0.9 }),
      onEachFeature: (f, l) => l.bindPopup(() => {
        const row = bySlug.get(f.properties.slug);
        const box = document.createElement("div");
        const link = document.createElement("a");
        link.href = `${window.location.pathname}${encodeURIComponent(row.village)}/?${params}`;
        link.textContent = row.village_name;
        const score = row.composite === null ? "–" : row.composite.toFixed(1);
        box.append(link, document.createElement("br"), `Green Score: ${score}`);
        return box;
      }),
    }).addTo(map);
    if (scored.length) map.fitBounds(layer.getBounds(), { maxZoom: 14 });
    map.getContainer().dataset.scored = String(scored.length);
  } catch (err) {
    status.textContent = `⚠ ${err.message}`;
  } finally {
    map.getContainer().dataset.ready = "1";
  }
});
