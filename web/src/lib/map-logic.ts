// Pure helpers of the map view: colours, cluster sizes, and moving boxes and points between the stored WGS-84
// and the base map's system (server/domain/coords.ts, the same code the catalogue import converts with).
import { convert, type CoordSystem, type LngLat } from '../../../server/domain/coords';

export const STATUS_COLORS = { online: '#30a46c', offline: '#8b8d98', unknown: '#f5a524' } as const;
export const SEVERITY_COLORS = { general: '#f5a524', major: '#f76b15', critical: '#e5484d' } as const;

/** A cluster's colour by its online share: green when most are up, amber, red when most are down. */
export function clusterColor(count: number, online: number): string {
  const rate = count ? online / count : 0;
  if (rate >= 0.8) return '#30a46c';
  if (rate >= 0.4) return '#f5a524';
  return '#6e56cf';
}

/** Radius in pixels grows with the log of the count so 100,000 does not cover the county. */
export function clusterRadius(count: number): number {
  return Math.min(30, 8 + Math.log10(Math.max(1, count)) * 6);
}

export function toDisplay(p: LngLat, system: CoordSystem): LngLat {
  return system === 'wgs84' ? p : convert(p, 'wgs84', system);
}

export function toStored(p: LngLat, system: CoordSystem): LngLat {
  return system === 'wgs84' ? p : convert(p, system, 'wgs84');
}

/** A displayed box [w, s, e, n] as a stored box (corners converted; the shift is far below a view's size). */
export function boxToStored(box: [number, number, number, number], system: CoordSystem): [number, number, number, number] {
  if (system === 'wgs84') return box;
  const sw = toStored({ lng: box[0], lat: box[1] }, system);
  const ne = toStored({ lng: box[2], lat: box[3] }, system);
  return [sw.lng, sw.lat, ne.lng, ne.lat];
}

/** Clamps a box to valid degrees (a world-wide view's edges run past ±180). */
export function clampBox(box: [number, number, number, number]): [number, number, number, number] {
  const c = (x: number, m: number) => Math.max(-m, Math.min(m, x));
  return [c(box[0], 180), c(box[1], 90), c(box[2], 180), c(box[3], 90)];
}

export function percent(part: number, whole: number): string {
  return whole ? `${Math.round((part / whole) * 100)}%` : '—';
}

/** A point in pixels (screen or layer space). */
export interface XY {
  x: number;
  y: number;
}

/**
 * Whether a point lies inside a polygon (even-odd ray casting), for the lasso selection. Works on any plane
 * coordinates; the lasso tests display longitude/latitude, where a county-sized ring is as good as flat.
 */
export function pointInPolygon(p: XY, ring: readonly XY[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i];
    const b = ring[j];
    if ((a.y > p.y) !== (b.y > p.y) && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/** A ring's box [minX, minY, maxX, maxY]: the server is asked for the points of the box, the ring filters them. */
export function ringBox(ring: readonly XY[]): [number, number, number, number] {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of ring) {
    w = Math.min(w, p.x);
    s = Math.min(s, p.y);
    e = Math.max(e, p.x);
    n = Math.max(n, p.y);
  }
  return [w, s, e, n];
}

/** A danger's weight in the heat view: a critical one counts three general ones. */
export const SEVERITY_WEIGHT = { general: 1, major: 2, critical: 3 } as const;

/**
 * Kernel density of weighted points on a width × height pixel plane, sampled every `cell` pixels with a quartic
 * (biweight) kernel of `radius` pixels: smooth, zero at the radius, and cheap (no exp). Returns the grid (row
 * major, ceil(width / cell) × ceil(height / cell)) and its maximum, for the colour ramp.
 */
export function density(points: ReadonlyArray<XY & { w: number }>, width: number, height: number, radius: number, cell: number): { grid: Float32Array; cols: number; rows: number; max: number } {
  const cols = Math.ceil(width / cell);
  const rows = Math.ceil(height / cell);
  const grid = new Float32Array(cols * rows);
  const r2 = radius * radius;
  for (const p of points) {
    const c0 = Math.max(0, Math.floor((p.x - radius) / cell));
    const c1 = Math.min(cols - 1, Math.floor((p.x + radius) / cell));
    const r0 = Math.max(0, Math.floor((p.y - radius) / cell));
    const r1 = Math.min(rows - 1, Math.floor((p.y + radius) / cell));
    for (let r = r0; r <= r1; r++) {
      const dy = (r + 0.5) * cell - p.y;
      for (let c = c0; c <= c1; c++) {
        const dx = (c + 0.5) * cell - p.x;
        const d2 = dx * dx + dy * dy;
        if (d2 >= r2) continue;
        const u = 1 - d2 / r2;
        grid[r * cols + c] += p.w * u * u;
      }
    }
  }
  let max = 0;
  for (const v of grid) if (v > max) max = v;
  return { grid, cols, rows, max };
}

/** The heat ramp: transparent → yellow → orange → red as a share of the maximum grows; RGBA bytes. */
export function heatColor(share: number): [number, number, number, number] {
  if (share <= 0.02) return [0, 0, 0, 0];
  const s = Math.min(1, share);
  const alpha = Math.round(90 + 130 * s);
  if (s < 0.5) return [255, Math.round(230 - 110 * (s / 0.5)), 40, alpha];
  return [Math.round(255 - 25 * ((s - 0.5) / 0.5)), Math.round(120 - 90 * ((s - 0.5) / 0.5)), 40, alpha];
}
