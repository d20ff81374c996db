// A believable, deterministic county: org tree, camera catalogue and its ground (boundaries, roads).
// Pure data, no I/O: the seed (scripts/seed.ts), the simulator fleet and benchmarks all derive from it,
// so the demo database and the simulated cameras always agree on which camera is which.

import { type FeatureCollection, Ground, pointIn, type Rect, roadsAndWater, splitRect, type UnitShapeSeed } from './geography';

export type OrgLevel = 'county' | 'township' | 'village' | 'compound';

export interface OrgUnitSeed {
  code: string;
  name: string;
  level: OrgLevel;
  parentCode: string | null;
}

export interface CameraSeed {
  /** 0-based position in the county; the simulator derives the camera's loopback address from it. */
  index: number;
  network: string;
  externalId: string;
  name: string;
  orgUnitCode: string;
  lat: number;
  lng: number;
  address: string;
  publicArea: boolean;
  ptz: boolean;
}

export interface CountyPlan {
  townships: number;
  villagesPerTownship: number;
  /** Cameras outside the demo compound, spread over townships and villages. */
  cameras: number;
  /** Cameras of the demo compound 东城小区. */
  compoundCameras: number;
}

export const DEMO_PLAN: CountyPlan = { townships: 6, villagesPerTownship: 4, cameras: 114, compoundCameras: 74 };
/** The size real counties report: 33 townships, ~500 village centres, here 100,000 cameras. */
export const LARGE_PLAN: CountyPlan = { townships: 33, villagesPerTownship: 15, cameras: 100_000, compoundCameras: 74 };

export const COUNTY_CODE = '339901';
export const COUNTY_NAME = '安澜县';
export const COMPOUND_NAME = '东城小区';

const TOWNSHIP_NAMES = [
  '城关镇', '东城街道', '西湖镇', '南山乡', '北岭镇', '青石镇', '白沙镇', '金桥街道', '柳溪乡', '凤凰镇', '龙潭镇',
  '桃源乡', '石门镇', '云岭乡', '清河镇', '梅林街道', '新安镇', '长乐乡', '永丰镇', '红旗街道', '大坝镇', '黄泥乡',
  '马头镇', '双溪镇', '高桥乡', '横山镇', '松林乡', '望江街道', '花园镇', '紫荆乡', '丰收镇', '沙洲乡', '水口镇',
];
const VILLAGE_STEMS = [
  '东风', '前进', '新华', '和平', '胜利', '光明', '幸福', '团结', '红星', '建设', '向阳', '长青', '五星', '民主', '振兴',
  '富民', '兴旺', '联合', '跃进', '太平',
];
const PLACES = [
  '主路口', '村委会门口', '小学门口', '卫生院', '菜市场', '广场', '桥头', '河道', '加油站', '公交站', '停车场',
  '文化礼堂', '农贸市场', '十字路口', '村口', '水库大坝', '工业园区', '商业街',
];
const COMPOUND_PLACES = [
  '南门', '北门', '东门', '西门', '地下车库入口', '地下车库出口', '中心广场', '儿童游乐场', '健身区', '快递柜',
  '垃圾分类点', '非机动车棚', '消防通道', '幼儿园门口',
];
/** Compound places that are not public areas: residents never see these. */
const PRIVATE_COMPOUND_PLACES = ['物业办公室', '监控室', '配电房', '水泵房'];

/** Network share of ordinary cameras, by configured network key. */
const NETWORK_MIX: Array<[string, number]> = [
  ['skynet', 0.2], ['xueliang', 0.35], ['huiyan', 0.25], ['traffic', 0.1], ['city-management', 0.1],
];

const pad = (n: number, width = 3) => String(n).padStart(width, '0');

/** Mulberry32: a tiny seeded PRNG so every run generates the same county. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pickNetwork(r: number): string {
  let acc = 0;
  for (const [key, share] of NETWORK_MIX) {
    acc += share;
    if (r < acc) return key;
  }
  return NETWORK_MIX[NETWORK_MIX.length - 1][0];
}

function townshipName(t: number): string {
  return t < TOWNSHIP_NAMES.length ? TOWNSHIP_NAMES[t] : `第${t + 1}镇`;
}

function villageName(t: number, v: number): string {
  const stem = VILLAGE_STEMS[(v + t * 7) % VILLAGE_STEMS.length];
  const round = Math.floor(v / VILLAGE_STEMS.length);
  return `${stem}${round ? round + 1 : ''}${v % 3 === 0 ? '社区' : '村'}`;
}

export interface County {
  units: OrgUnitSeed[];
  cameras: CameraSeed[];
  compoundCode: string;
  /** Boundaries of the county, its townships, villages and the compound; roads and a river (geography.ts). */
  geography: { shapes: UnitShapeSeed[]; roads: FeatureCollection; water: FeatureCollection };
}

export function generateCounty(plan: CountyPlan = DEMO_PLAN): County {
  if (plan.townships < 2) throw new Error('plan.townships must be at least 2 (the demo compound lives in township 2)');
  if (plan.villagesPerTownship < 1) throw new Error('plan.villagesPerTownship must be at least 1');
  const random = prng(20261123);
  // Positions come from a PRNG of their own: the main one keeps drawing exactly what it drew before the county
  // had a ground, so every camera keeps its network, PTZ and name.
  const geo = prng(20261207);
  const skip = () => void random();
  const units: OrgUnitSeed[] = [{ code: COUNTY_CODE, name: COUNTY_NAME, level: 'county', parentCode: null }];
  const places: Array<{ code: string; label: string; rect: Rect }> = [];
  const ground = new Ground({ lat: 29.21, lng: 119.47 }, plan.townships);
  const whole: Rect = { u0: 0, v0: 0, u1: 1, v1: 1 };
  const townshipRects = splitRect(whole, plan.townships, geo);
  const villageRects: Rect[][] = [];
  const shapes: UnitShapeSeed[] = [ground.shape(COUNTY_CODE, whole)];
  const townshipNames: string[] = [];

  for (let t = 0; t < plan.townships; t++) {
    const tCode = COUNTY_CODE + pad(t + 1);
    const tName = townshipName(t);
    townshipNames.push(tName);
    units.push({ code: tCode, name: tName, level: 'township', parentCode: COUNTY_CODE });
    const tRect = townshipRects[t];
    shapes.push(ground.shape(tCode, tRect));
    skip();
    skip();
    // A township's own cameras stand around its seat, the middle of its area.
    const seat = { u0: tRect.u0 + (tRect.u1 - tRect.u0) * 0.3, u1: tRect.u0 + (tRect.u1 - tRect.u0) * 0.7, v0: tRect.v0 + (tRect.v1 - tRect.v0) * 0.3, v1: tRect.v0 + (tRect.v1 - tRect.v0) * 0.7 };
    places.push({ code: tCode, label: tName, rect: seat });
    const vRects = splitRect(tRect, plan.villagesPerTownship, geo);
    villageRects.push(vRects);
    for (let v = 0; v < plan.villagesPerTownship; v++) {
      const vCode = tCode + pad(v + 1);
      const vName = villageName(t, v);
      units.push({ code: vCode, name: vName, level: 'village', parentCode: tCode });
      shapes.push(ground.shape(vCode, vRects[v]));
      skip();
      skip();
      places.push({ code: vCode, label: `${tName}${vName}`, rect: vRects[v] });
    }
  }

  // 东城小区 sits under the first community of 东城街道 (township 2), in the middle of it.
  const compoundParent = COUNTY_CODE + pad(2) + pad(1);
  const compoundCode = compoundParent + pad(1);
  units.push({ code: compoundCode, name: COMPOUND_NAME, level: 'compound', parentCode: compoundParent });
  const pv = villageRects[1][0];
  const compoundRect: Rect = {
    u0: pv.u0 + (pv.u1 - pv.u0) * 0.42, u1: pv.u0 + (pv.u1 - pv.u0) * 0.58, v0: pv.v0 + (pv.v1 - pv.v0) * 0.42, v1: pv.v0 + (pv.v1 - pv.v0) * 0.58,
  };
  shapes.push(ground.shape(compoundCode, compoundRect));

  const cameras: CameraSeed[] = [];
  const serialByNetwork = new Map<string, number>();
  const nextExternalId = (network: string) => {
    const n = (serialByNetwork.get(network) ?? 0) + 1;
    serialByNetwork.set(network, n);
    return `${network.toUpperCase().slice(0, 2)}${COUNTY_CODE}${pad(n, 6)}`;
  };

  for (let i = 0; i < plan.cameras; i++) {
    const place = places[i % places.length];
    const spot = PLACES[Math.floor(i / places.length + i) % PLACES.length];
    const round = Math.floor(i / (places.length * PLACES.length));
    const network = pickNetwork(random());
    skip();
    skip();
    const at = pointIn(place.rect, geo(), geo());
    const [lng, lat] = ground.at(at.u, at.v);
    cameras.push({
      index: cameras.length,
      network,
      externalId: nextExternalId(network),
      name: `${place.label}${spot}${round ? `-${round + 1}` : ''}`,
      orgUnitCode: place.code,
      lat: round6(lat),
      lng: round6(lng),
      address: `${COUNTY_NAME}${place.label}${spot}`,
      publicArea: false,
      ptz: network === 'skynet' || network === 'traffic' ? random() < 0.5 : false,
    });
  }

  for (let i = 0; i < plan.compoundCameras; i++) {
    const isPrivate = i % 18 === 17; // a handful of back-office cameras
    const spot = isPrivate
      ? PRIVATE_COMPOUND_PLACES[Math.floor(i / 18) % PRIVATE_COMPOUND_PLACES.length]
      : i < COMPOUND_PLACES.length ? COMPOUND_PLACES[i] : `${(i % 24) + 1}号楼单元门`;
    const network = 'huiyan';
    cameras.push({
      index: cameras.length,
      network,
      externalId: nextExternalId(network),
      name: `${COMPOUND_NAME}${spot}${i >= COMPOUND_PLACES.length && !isPrivate && i >= 24 + COMPOUND_PLACES.length ? `-${i}` : ''}`,
      orgUnitCode: compoundCode,
      ...compoundPoint(),
      address: `${COUNTY_NAME}东城街道${COMPOUND_NAME}${spot}`,
      publicArea: !isPrivate,
      ptz: false,
    });
  }
  return { units, cameras, compoundCode, geography: { shapes, ...roadsAndWater(ground, townshipRects, villageRects, townshipNames, geo) } };

  function compoundPoint(): { lat: number; lng: number } {
    skip();
    skip();
    const at = pointIn(compoundRect, geo(), geo());
    const [lng, lat] = ground.at(at.u, at.v);
    return { lat: round6(lat), lng: round6(lng) };
  }
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
