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
