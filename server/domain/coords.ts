// Chinese map coordinate systems. Cameras are stored in WGS-84 (what GPS and ONVIF give); platforms export GCJ-02
// (国测局, Amap/Tencent/天地图 intranet services built on it) or BD-09 (Baidu), and a base map draws in one of them.
// GCJ-02 is an obfuscation with no closed-form inverse: gcj02ToWgs84 iterates the forward transform (a few rounds
// reach centimetres). Outside mainland China GCJ-02 equals WGS-84, as every public implementation does.
// Dependency-free: the web map converts with the same code the catalogue import uses.

export type CoordSystem = 'wgs84' | 'gcj02' | 'bd09';
export const COORD_SYSTEMS: readonly CoordSystem[] = ['wgs84', 'gcj02', 'bd09'];

export interface LngLat {
  lng: number;
  lat: number;
}

const A = 6378245.0; // Krasovsky 1940 semi-major axis, as GCJ-02 uses
const EE = 0.00669342162296594323; // its eccentricity squared
const X_PI = (Math.PI * 3000.0) / 180.0;

/** The rough mainland box GCJ-02 applies to (outside it the published transform is the identity). */
export function outOfChina(lng: number, lat: number): boolean {
  return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function transformLat(x: number, y: number): number {
  let ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  ret += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  ret += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  ret += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return ret;
}

function transformLng(x: number, y: number): number {
  let ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  ret += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  ret += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  ret += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return ret;
}

export function wgs84ToGcj02(p: LngLat): LngLat {
  if (outOfChina(p.lng, p.lat)) return { lng: p.lng, lat: p.lat };
  let dLat = transformLat(p.lng - 105.0, p.lat - 35.0);
  let dLng = transformLng(p.lng - 105.0, p.lat - 35.0);
  const radLat = (p.lat / 180.0) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  dLng = (dLng * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return { lng: p.lng + dLng, lat: p.lat + dLat };
}

/** Iterative inverse: start at the GCJ point, correct by the forward error until it is below ~1 cm. */
export function gcj02ToWgs84(p: LngLat): LngLat {
  if (outOfChina(p.lng, p.lat)) return { lng: p.lng, lat: p.lat };
  let lng = p.lng;
  let lat = p.lat;
  for (let i = 0; i < 10; i++) {
    const f = wgs84ToGcj02({ lng, lat });
    const dLng = f.lng - p.lng;
    const dLat = f.lat - p.lat;
    lng -= dLng;
    lat -= dLat;
    if (Math.abs(dLng) < 1e-9 && Math.abs(dLat) < 1e-9) break;
  }
  return { lng, lat };
}

export function gcj02ToBd09(p: LngLat): LngLat {
  const z = Math.sqrt(p.lng * p.lng + p.lat * p.lat) + 0.00002 * Math.sin(p.lat * X_PI);
  const theta = Math.atan2(p.lat, p.lng) + 0.000003 * Math.cos(p.lng * X_PI);
  return { lng: z * Math.cos(theta) + 0.0065, lat: z * Math.sin(theta) + 0.006 };
}

/** The published inverse is approximate (~1 m); one forward-error correction brings it under a centimetre. */
export function bd09ToGcj02(p: LngLat): LngLat {
  const approx = (q: LngLat): LngLat => {
    const x = q.lng - 0.0065;
    const y = q.lat - 0.006;
    const z = Math.sqrt(x * x + y * y) - 0.00002 * Math.sin(y * X_PI);
    const theta = Math.atan2(y, x) - 0.000003 * Math.cos(x * X_PI);
    return { lng: z * Math.cos(theta), lat: z * Math.sin(theta) };
  };
  let g = approx(p);
  for (let i = 0; i < 3; i++) {
    const back = gcj02ToBd09(g);
    g = { lng: g.lng - (back.lng - p.lng), lat: g.lat - (back.lat - p.lat) };
  }
  return g;
}

export function wgs84ToBd09(p: LngLat): LngLat {
  return gcj02ToBd09(wgs84ToGcj02(p));
}

export function bd09ToWgs84(p: LngLat): LngLat {
  return gcj02ToWgs84(bd09ToGcj02(p));
}

/** Converts a point between any two systems (the identity when they are the same). */
export function convert(p: LngLat, from: CoordSystem, to: CoordSystem): LngLat {
  if (from === to) return { lng: p.lng, lat: p.lat };
  const wgs = from === 'wgs84' ? p : from === 'gcj02' ? gcj02ToWgs84(p) : bd09ToWgs84(p);
  if (to === 'wgs84') return { lng: wgs.lng, lat: wgs.lat };
  return to === 'gcj02' ? wgs84ToGcj02(wgs) : wgs84ToBd09(wgs);
}

/** Great-circle distance in metres (haversine on a 6371 km sphere): how round trips are judged. */
export function distanceMetres(a: LngLat, b: LngLat): number {
  const R = 6371008.8;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Accepts the spellings platforms export ('WGS84', 'wgs-84', 'GCJ02', '火星', 'BD09', '百度'); undefined if unknown. */
export function parseCoordSystem(text: string): CoordSystem | undefined {
  const t = text.trim().toLowerCase().replace(/[\s_-]/g, '');
  if (t === '' ) return undefined;
  if (t === 'wgs84' || t === 'gps' || t === 'epsg4326') return 'wgs84';
  if (t === 'gcj02' || t === 'gcj' || t === '火星' || t === '国测局' || t === 'amap' || t === '高德') return 'gcj02';
  if (t === 'bd09' || t === 'bd09ll' || t === 'baidu' || t === '百度') return 'bd09';
  return undefined;
}
