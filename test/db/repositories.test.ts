// Repositories on both engines (describe.each): the same calls, the same answers. PostgreSQL runs on the test
// cluster of test/helpers/postgres.ts and is skipped, with the reason, where it is not installed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database';
import type { Repositories } from '../../server/db/repositories';
import { backends } from '../helpers/backends';
import { CAMERA_NAMES, seedCounty } from './fixture';

describe.each(backends)('repositories on $name', (backend) => {
  let db: Database;
  let dispose: () => Promise<void>;
  let repos: Repositories;
  let county: number;
  let towns: number[];
  beforeEach(async (ctx) => {
    if (backend.skip) return ctx.skip();
    ({ db, dispose } = await backend.open('repositories'));
    ({ repos, county, towns } = await seedCounty(db));
  });
  afterEach(async () => {
    await dispose?.();
  });

  it('org units: ids and paths up front, lookups by parent including the root (IS ?)', async () => {
    const root = await repos.orgUnits.root();
    expect(root).toMatchObject({ id: county, path: `/${county}/`, parent_id: null });
    expect(await repos.orgUnits.childNamed(null, '安澜县')).toMatchObject({ id: county });
    expect(await repos.orgUnits.childNamed(county, '东城街道')).toMatchObject({ id: towns[1], path: `/${county}/${towns[1]}/` });
    expect(await repos.orgUnits.childNamed(county, '不存在')).toBeUndefined();
    expect((await repos.orgUnits.codesStartingWith('339901')).sort()).toEqual(['339901', '339901001', '339901002']);
  });

  it('cameras: list in scope with camelCase fields and booleans as the API gives them', async () => {
    const all = await repos.cameras.list(`/${county}/`, { limit: 100, offset: 0 });
    expect(all.total).toBe(CAMERA_NAMES.length);
    const first = all.items.find((c) => c.name === '城关镇主路口')!;
    expect(first).toMatchObject({ externalId: 'EXT-000', network: 'xueliang', orgUnitId: towns[0], hasCredentials: true, publicArea: false, status: 'unknown' });
    expect(first.lat).toBeCloseTo(29.1, 9);
    const town = await repos.cameras.list(`/${county}/${towns[1]}/`, { limit: 100, offset: 0, network: 'police' });
    expect(town.total).toBe(CAMERA_NAMES.length / 2);
    expect(town.items.every((c) => c.orgUnitId === towns[1])).toBe(true);
    const page = await repos.cameras.list(`/${county}/`, { limit: 5, offset: 5 });
    expect(page.items.map((c) => c.id)).toEqual(all.items.slice(5, 10).map((c) => c.id));
  });

  it('cameras: a deleted id is never given again, and the unit counts follow inserts and deletes', async () => {
    const all = await repos.cameras.list(`/${county}/`, { limit: 100, offset: 0 });
    const maxId = Math.max(...all.items.map((c) => c.id));
    expect(await repos.cameras.delete(maxId)).toBe(true);
    expect(await repos.cameras.delete(maxId)).toBe(false);
    const again = await repos.cameras.insert({ network: 'police', externalId: 'NEW-1', name: '新摄像机', orgUnitId: towns[0]!, sourceKind: 'rtsp', endpoint: 'rtsp://127.0.0.1/x' });
    expect(again).toBe(maxId + 1);
    const counts = await db.all<{ unit_id: number; cameras: number; online: number }>('SELECT unit_id, cameras, online FROM org_unit_camera_counts ORDER BY unit_id');
    expect(counts).toEqual([
      { unit_id: towns[0], cameras: CAMERA_NAMES.length / 2 + 1, online: 0 },
      { unit_id: towns[1], cameras: CAMERA_NAMES.length / 2 - 1, online: 0 },
    ]);
    // A status flip and a move to another unit (an UPDATE each, and one that touches neither): the counts follow,
    // always equal to counting the cameras themselves (PostgreSQL keeps them per statement, SQLite per row).
    await db.run("UPDATE cameras SET status = 'online' WHERE id = ?", [again]);
    await db.run('UPDATE cameras SET org_unit_id = ?, status = ? WHERE id = ?', [towns[1], 'online', all.items[0]!.id]);
    await db.run("UPDATE cameras SET address = 'x' WHERE org_unit_id = ?", [towns[1]]);
    const counted = await db.all<{ unit_id: number; cameras: number; online: number }>(
      "SELECT org_unit_id AS unit_id, count(*) AS cameras, sum(CASE WHEN status = 'online' THEN 1 ELSE 0 END) AS online FROM cameras GROUP BY org_unit_id ORDER BY org_unit_id");
    expect(await db.all('SELECT unit_id, cameras, online FROM org_unit_camera_counts ORDER BY unit_id')).toEqual(counted);
    expect(counted.reduce((n, c) => n + c.online, 0)).toBe(2);
  });

  it('events: sequence numbers from the insert, replay after a sequence within scope', async () => {
    const status = (cameraId: number) => ({ cameraId, status: 'online', reason: null }) as never;
    const a = await repos.events.append(`/${county}/${towns[0]}/`, 'camera:status', status(1));
    const b = await repos.events.append(`/${county}/${towns[1]}/`, 'camera:status', status(2));
    expect(b.seq).toBe(a.seq + 1);
    expect(await repos.events.lastSeq()).toBe(b.seq);
    const seen = await repos.events.since(`/${county}/${towns[1]}/`, 0, 10);
    expect(seen).toEqual([{ event: 'camera:status', payload: { ...(status(2) as object), seq: b.seq } }]);
    expect(await repos.events.since(`/${county}/`, a.seq, 10)).toHaveLength(1);
  });

  it('users: usernames unique and found whatever their case', async () => {
    const id = await repos.users.create({ username: 'Zhang.Wei', displayName: '张伟', role: 'county_operator', orgUnitId: county, passwordHash: 'x' });
    expect((await repos.users.credentials('zhang.wei'))?.id).toBe(id);
    expect(await repos.users.taken(['ZHANG.WEI', 'li.na'])).toEqual(['Zhang.Wei']);
    await expect(repos.users.create({ username: 'zhang.WEI', displayName: 'x', role: 'county_operator', orgUnitId: county, passwordHash: 'x' }))
      .rejects.toThrow(/UNIQUE constraint failed/);
  });

  it('an id past any integer column (10^23 from a URL) finds nothing, in a transaction or not, and keeps the transaction usable', async () => {
    expect(await repos.cameras.byId(1e23)).toBeUndefined();
    const still = await db.transaction(async (tx) => {
      expect(await repos.cameras.byId(1e23, tx)).toBeUndefined();
      return (await repos.orgUnits.byId(county, tx))?.id;
    });
    expect(still).toBe(county);
  });

  it('transactions: a failure rolls back every write of the use case', async () => {
    await expect(db.transaction(async (tx) => {
      await repos.cameras.insert({ network: 'police', externalId: 'TX-1', name: '事务', orgUnitId: towns[0]!, sourceKind: 'rtsp', endpoint: 'rtsp://127.0.0.1/t' }, tx);
      throw new Error('abort');
    })).rejects.toThrow('abort');
    expect((await repos.cameras.list(`/${county}/`, { limit: 100, offset: 0, q: 'TX-1' })).total).toBe(0);
  });
});
