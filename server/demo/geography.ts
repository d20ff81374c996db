// The demo county's ground: township and village boundaries, the compound, roads and a river, generated from the
// plan alone (deterministic, pure), so the camera tree and the map agree: every camera lies inside its unit's
// boundary. Units are rectangles of a unit square (townships in bands, villages in bands of their township)
// carried onto the ground by a smooth warp, which bends the straight borders into believable ones; neighbours
// share their border's sample points, so there are no gaps to speak of between them.

export interface Rect {
  u0: number;
  v0: number;
  u1: number;
  v1: number;
}

export type Position = [number, number];

export interface UnitShapeSeed {
  code: string;
  geometry: { type: 'Polygon'; coordinates: Position[][] };
  bbox: [number, number, number, number];
  label: Position;
}

export interface LineFeature {
  type: 'Feature';
  properties: { kind: string; name?: string };
  geometry: { type: 'LineString'; coordinates: Position[] };
}

export interface FeatureCollection {
  type: 'FeatureCollection';
  features: LineFeature[];
}

/** A point in a rect, given two numbers in [0, 1) and a margin (share of each side kept clear). */
export function pointIn(rect: Rect, a: number, b: number, margin = 0.08): { u: number; v: number } {
  const w = rect.u1 - rect.u0;
  const h = rect.v1 - rect.v0;
  return { u: rect.u0 + w * (margin + a * (1 - 2 * margin)), v: rect.v0 + h * (margin + b * (1 - 2 * margin)) };
}

/** n rectangles tiling `rect` in rows of uneven height and columns of uneven width (random in [0, 1) from `r`). */
export function splitRect(rect: Rect, n: number, r: () => number): Rect[] {
  const w = rect.u1 - rect.u0;
  const h = rect.v1 - rect.v0;
  const rows = Math.max(1, Math.min(n, Math.round(Math.sqrt((n * h) / w / 1.2))));
  const out: Rect[] = [];
  const cuts = (k: number) => {
    const weights = Array.from({ length: k }, () => 0.7 + 0.6 * r());
    const sum = weights.reduce((a, b) => a + b, 0);
    let acc = 0;
    return [0, ...weights.map((x) => (acc += x / sum))].map((x, i, all) => (i === all.length - 1 ? 1 : x));
  };
  const rowCuts = cuts(rows);
  for (let row = 0; row < rows; row++) {
    const inRow = Math.floor(n / rows) + (row < n % rows ? 1 : 0);
    const colCuts = cuts(inRow);
    const v0 = rect.v0 + h * rowCuts[row];
    const v1 = rect.v0 + h * rowCuts[row + 1];
    for (let c = 0; c < inRow; c++) out.push({ u0: rect.u0 + w * colCuts[c], u1: rect.u0 + w * colCuts[c + 1], v0, v1 });
  }
  return out;
}

export class Ground {
  readonly width: number;
  readonly height: number;

  constructor(readonly center: { lng: number; lat: number }, townships: number) {
    // About 0.16° per √township: 6 townships ≈ 39 × 29 km, 33 ≈ 92 × 69 km (a large county).
    this.width = 0.16 * Math.sqrt(townships);
    this.height = this.width * 0.75;
  }

  /** The warp: gentle large bends and a finer ripple, small enough that it never folds. */
  at(u: number, v: number): Position {
    const t = 2 * Math.PI;
    const du = 0.03 * Math.sin(t * (1.3 * v + 0.2)) + 0.012 * Math.sin(t * (4.1 * v + 1.7 * u + 0.5)) + 0.0025 * Math.sin(t * (13 * u + 11 * v));
    const dv = 0.03 * Math.sin(t * (1.1 * u + 0.6)) + 0.012 * Math.sin(t * (3.7 * u + 2.3 * v + 0.1)) + 0.0025 * Math.sin(t * (12 * v + 9 * u));
    return [
      round7(this.center.lng + (u - 0.5 + du) * this.width),
      round7(this.center.lat + (v - 0.5 + dv) * this.height),
    ];
  }

  /** A rect's boundary: its edges sampled on a global grid (so a neighbour samples the same points), counter-clockwise. */
  polygon(rect: Rect, step = 1 / 128): Position[] {
    const along = (a: number, b: number): number[] => {
      const pts = [a];
      const dir = Math.sign(b - a);
      let g = dir > 0 ? Math.floor(a / step + 1e-9) + 1 : Math.ceil(a / step - 1e-9) - 1;
      for (; dir > 0 ? g * step < b - 1e-9 : g * step > b + 1e-9; g += dir) pts.push(g * step);
      return pts;
    };
    const ring: Position[] = [];
    for (const u of along(rect.u0, rect.u1)) ring.push(this.at(u, rect.v0));
    for (const v of along(rect.v0, rect.v1)) ring.push(this.at(rect.u1, v));
    for (const u of along(rect.u1, rect.u0)) ring.push(this.at(u, rect.v1));
    for (const v of along(rect.v1, rect.v0)) ring.push(this.at(rect.u0, v));
    ring.push(ring[0]);
    return ring;
  }

  shape(code: string, rect: Rect): UnitShapeSeed {
    const ring = this.polygon(rect);
    const lngs = ring.map((p) => p[0]);
    const lats = ring.map((p) => p[1]);
    return {
      code,
      geometry: { type: 'Polygon', coordinates: [ring] },
      bbox: [Math.min(...lngs), Math.min(...lats), Math.max(...lngs), Math.max(...lats)],
      label: this.at((rect.u0 + rect.u1) / 2, (rect.v0 + rect.v1) / 2),
    };
  }

  /** A road between two points of the square, bowed a little sideways, sampled finely enough to look curved. */
  line(a: { u: number; v: number }, b: { u: number; v: number }, bow: number, samples = 12): Position[] {
    const out: Position[] = [];
    const nu = -(b.v - a.v);
    const nv = b.u - a.u;
    for (let i = 0; i <= samples; i++) {
      const s = i / samples;
      const k = bow * Math.sin(Math.PI * s);
      out.push(this.at(a.u + (b.u - a.u) * s + nu * k, a.v + (b.v - a.v) * s + nv * k));
    }
    return out;
  }
}

function round7(x: number): number {
  return Math.round(x * 1e7) / 1e7;
}

const centre = (r: Rect) => ({ u: (r.u0 + r.u1) / 2, v: (r.v0 + r.v1) / 2 });

/** Roads between neighbouring township seats, a road from each village to its seat, and a river across the county. */
export function roadsAndWater(ground: Ground, townships: Rect[], villages: Rect[][], names: string[], r: () => number): { roads: FeatureCollection; water: FeatureCollection } {
  const roads: LineFeature[] = [];
  const seats = townships.map(centre);
  const road = (kind: string, a: { u: number; v: number }, b: { u: number; v: number }, name?: string) =>
    roads.push({ type: 'Feature', properties: { kind, ...(name ? { name } : {}) }, geometry: { type: 'LineString', coordinates: ground.line(a, b, (r() - 0.5) * 0.3) } });
  // Each seat to its two nearest other seats: a connected-looking network without crossing everything.
  const linked = new Set<string>();
  seats.forEach((s, i) => {
    const near = seats.map((o, j) => ({ j, d: (o.u - s.u) ** 2 + (o.v - s.v) ** 2 })).filter((x) => x.j !== i).sort((a, b) => a.d - b.d).slice(0, 2);
    for (const { j } of near) {
      const key = [Math.min(i, j), Math.max(i, j)].join('-');
      if (linked.has(key)) continue;
      linked.add(key);
      road('highway', s, seats[j], `${names[Math.min(i, j)]}—${names[Math.max(i, j)]}`);
    }
  });
  villages.forEach((vs, t) => vs.forEach((v) => road('road', centre(v), seats[t])));
  const river: Position[] = [];
  for (let i = 0; i <= 96; i++) {
    const u = i / 96;
    river.push(ground.at(u, 0.42 + 0.12 * Math.sin(2 * Math.PI * (1.4 * u + 0.15))));
  }
  return {
    roads: { type: 'FeatureCollection', features: roads },
    water: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { kind: 'river', name: '安澜江' }, geometry: { type: 'LineString', coordinates: river } }] },
  };
}
