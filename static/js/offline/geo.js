// Where a drawn place lies against a village boundary, on the device: ray casting for
// "inside", and metres to the nearest edge on a local flat projection (fine at village scale).
const EARTH_M = 6371008.8;

function pointInRing([x, y], ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function polygons(geometry) {
  if (!geometry) return [];
  if (geometry.type === "Polygon") return [geometry.coordinates];
  if (geometry.type === "MultiPolygon") return geometry.coordinates;
  return [];
}

export function pointInArea(point, area) {
  return polygons(area).some(
    (rings) => pointInRing(point, rings[0]) && !rings.slice(1).some((hole) => pointInRing(point, hole)),
  );
}

function metresToSegment(p, a, b) {
  const k = Math.cos((p[1] * Math.PI) / 180);
  const toXY = (q) => [((q[0] - p[0]) * Math.PI * EARTH_M * k) / 180, ((q[1] - p[1]) * Math.PI * EARTH_M) / 180];
  const [ax, ay] = toXY(a);
  const [bx, by] = toXY(b);
  const dx = bx - ax;
  const dy = by - ay;
  const len = dx * dx + dy * dy;
  const s = len ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len)) : 0;
  return Math.hypot(ax + s * dx, ay + s * dy);
}

export function metresFromArea(point, area) {
  if (pointInArea(point, area)) return 0;
  let best = Infinity;
  for (const rings of polygons(area)) {
    for (const ring of rings) {
      for (let i = 1; i < ring.length; i += 1) best = Math.min(best, metresToSegment(point, ring[i - 1], ring[i]));
    }
  }
  return best;
}

export function vertices(geometry) {
  const out = [];
  const walk = (c) => {
    if (typeof c[0] === "number") out.push(c);
    else c.forEach(walk);
  };
  if (geometry && geometry.coordinates) walk(geometry.coordinates);
  if (geometry && geometry.geometries) geometry.geometries.forEach((g) => out.push(...vertices(g)));
  return out;
}

// Metres from the nearest vertex of `geometry` to the village area (0: some vertex inside).
export function distanceToVillage(geometry, area) {
  return Math.min(...vertices(geometry).map((p) => metresFromArea(p, area)));
}

export function metresToPoint(a, b) {
  return metresToSegment(a, b, b);
}
