// Writes a generated county (server/demo/county.ts) into the database: org tree, cameras pointing at their
// simulated devices (camera-plan.ts), the ground the map draws (boundaries, roads), and one demo user per role. Bulk-friendly: 100,000 cameras
// go through prepared statements in one transaction.
import type { Role } from '../contracts/api';
import type { Database } from '../db/database';
import type { Repositories } from '../db/repositories';
import type { Secrets } from '../security/secrets';
import { onvifSnapshotUrl, onvifXAddr, planCamera, rtspUrl, subStreamUrl } from './camera-plan';
import { COUNTY_CODE, type County } from './county';

export interface DemoUser {
  username: string;
  password: string;
  displayName: string;
  role: Role;
  /** Org unit code the user is scoped to. */
  orgUnitCode: string;
}

export const DEMO_USERS: DemoUser[] = [
  { username: 'admin', password: 'admin123', displayName: '系统管理员', role: 'admin', orgUnitCode: COUNTY_CODE },
  { username: 'county', password: 'county123', displayName: '县中心值班员', role: 'county_operator', orgUnitCode: COUNTY_CODE },
  { username: 'chengguan', password: 'town123', displayName: '城关镇值班员', role: 'township_officer', orgUnitCode: `${COUNTY_CODE}001` },
  { username: 'dongcheng', password: 'town123', displayName: '东城街道值班员', role: 'township_officer', orgUnitCode: `${COUNTY_CODE}002` },
  { username: 'village', password: 'village123', displayName: '团结社区网格员', role: 'village_officer', orgUnitCode: `${COUNTY_CODE}002001` },
];

export interface SeedResult {
  units: number;
  cameras: number;
  users: number;
}

export async function isSeeded(db: Database): Promise<boolean> {
  return !!(await db.get('SELECT 1 FROM org_units LIMIT 1'));
}

export interface SeedOptions {
  users?: DemoUser[];
  /** Second octet of the simulated cameras' addresses the seeded stream URLs point at (see simHost). */
  simulatorNet?: number;
}

export async function seedCounty(db: Database, repos: Repositories, secrets: Secrets, county: County, options: SeedOptions = {}): Promise<SeedResult> {
  const { users = DEMO_USERS, simulatorNet = 0 } = options;
  const idByCode = new Map<string, number>();
  const pathByCode = new Map<string, string>();
  await db.transaction(async (tx) => {
    const indexByCode = new Map(county.units.map((unit, i) => [unit.code, i]));
    const rows = await repos.orgUnits.insertMany(county.units.map((unit) => {
      const parent = unit.parentCode === null ? null : indexByCode.get(unit.parentCode);
      if (parent === undefined) throw new Error(`Org unit ${unit.code}: no parent ${unit.parentCode}`);
      return { code: unit.code, name: unit.name, level: unit.level, parent: parent === null ? null : { index: parent } };
    }), tx);
    for (const row of rows) {
      idByCode.set(row.code, row.id);
      pathByCode.set(row.code, row.path);
    }

    const now = new Date().toISOString();
    const insertCamera = await tx.prepare(
      `INSERT INTO cameras (network, external_id, name, org_unit_id, org_path, lat, lng, address, source_kind, endpoint, stream_url,
                            sub_stream_url, snapshot_url, public_area, ptz, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'onvif', ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertCredentials = await tx.prepare('INSERT INTO camera_credentials (camera_id, username, secret) VALUES (?, ?, ?)');
    try {
      for (const camera of county.cameras) {
        const sim = planCamera(camera, simulatorNet);
        const { lastID } = await insertCamera.run([
          camera.network,
          camera.externalId,
          camera.name,
          idByCode.get(camera.orgUnitCode)!,
          pathByCode.get(camera.orgUnitCode)!,
          camera.lat,
          camera.lng,
          camera.address,
          onvifXAddr(sim),
          rtspUrl(sim),
          // Every simulated camera serves /stream2, but only the 720p ones have a lighter one there; the 640x360
          // cameras serve their own stream again, and a second relay of the same picture would only cost.
          sim.subFixture !== sim.fixture ? subStreamUrl(sim) : null,
          onvifSnapshotUrl(sim),
          camera.publicArea ? 1 : 0,
          camera.ptz ? 1 : 0,
          now,
          now,
        ]);
        await insertCredentials.run([lastID, sim.username, secrets.encrypt(sim.password)]);
      }
    } finally {
      await insertCamera.finalize();
      await insertCredentials.finalize();
    }

    // The ground the map draws (电子地图): unit boundaries and the offline roads and river.
    for (const shape of county.geography.shapes) {
      await repos.map.saveShape({ orgUnitId: idByCode.get(shape.code)!, geometry: JSON.stringify(shape.geometry), bbox: shape.bbox, label: shape.label }, tx);
    }
    await repos.map.saveLayer('roads', JSON.stringify(county.geography.roads), tx);
    await repos.map.saveLayer('water', JSON.stringify(county.geography.water), tx);
  });

  for (const user of users) {
    const orgUnitId = idByCode.get(user.orgUnitCode);
    if (orgUnitId === undefined) throw new Error(`Demo user ${user.username}: no org unit ${user.orgUnitCode}`);
    await repos.users.create({ ...user, orgUnitId });
  }
  return { units: county.units.length, cameras: county.cameras.length, users: users.length };
}
