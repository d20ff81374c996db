// A subtree move on the real app (issue #16): 团结社区 (a village of 东城街道, with the compound 东城小区 below it,
// their cameras, the village officer, hidden dangers, tasks, a resident link, a wall push, a discovery job and the
// event log's entries) goes under 城关镇. Afterwards every stored path equals the one recomputed from the tree, rows
// outside the subtree are untouched, per-unit camera counts are unchanged, the village officer still signs in and
// sees exactly the same cameras, 城关镇 now sees them and 东城街道 no longer does, and live sockets follow.
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraPage, OrgUnit } from '../../server/contracts/api';
import type { AuditPage } from '../../server/contracts/audit';
import type { Danger, TaskSummary } from '../../server/contracts/dispatch';
import type { ClientToServerEvents, ReplayResult, ServerToClientEvents } from '../../server/contracts/events';
import type { CreatedShareLink, ResidentView } from '../../server/contracts/share';
import { PATH_COLUMNS } from '../../server/db/repositories/org-units';
import { COMPOUND_NAME } from '../../server/demo/county';
import { DEMO, login, type Login } from '../helpers/app';
import { api, buildWorld, dangerBody, type World } from '../dispatch/helpers';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Snapshot = Record<string, Map<number, string>>;

let w: World;
let http: ReturnType<typeof api>;
let admin: Login;
let villageBefore: Login;
let village: { id: number; path: string };
let compound: { id: number; path: string };
let moved: { cameras: number[]; dangers: number[] };
let shareToken: string;
const sockets = new Map<string, { socket: ClientSocket; heard: Array<{ event: string; payload: unknown }> }>();

/** Every stored path, by "table.column" and row key (the rowid alias on SQLite). */
async function snapshot(): Promise<Snapshot> {
  const out: Snapshot = {};
  for (const [table, column] of PATH_COLUMNS) {
    const rows = await w.t.app.db.all<{ id: number; path: string }>(`SELECT ${table === 'events' ? 'seq' : 'id'} AS id, ${column} AS path FROM ${table}`);
    out[`${table}.${column}`] = new Map(rows.map((r) => [r.id, r.path]));
  }
  return out;
}

const cameraIds = async (who: Login, query = '') =>
  (await http.get<CameraPage>(who, `/api/cameras?limit=500${query}`)).body.items.map((c) => c.id).sort((a, b) => a - b);

async function openSocket(name: string, who: Login, base: string) {
  const socket: ClientSocket = connect(base, { transports: ['websocket'], extraHeaders: { cookie: who.cookie }, reconnection: false, forceNew: true });
  const heard: Array<{ event: string; payload: unknown }> = [];
  socket.onAny((event: string, payload: unknown) => heard.push({ event, payload }));
  await new Promise<void>((resolve, reject) => {
    socket.once('session:ready', () => resolve());
    socket.once('connect_error', reject);
  });
  sockets.set(name, { socket, heard });
}

const replay = (name: string, since: number) =>
  new Promise<ReplayResult>((resolve) => sockets.get(name)!.socket.emit('events:since', since, resolve));

beforeAll(async () => {
  w = await buildWorld();
  http = api(w.t);
  admin = await login(w.t.app, ...DEMO.admin);
  villageBefore = w.village;
  const units = await w.t.app.repos.orgUnits.subtree('/');
  const v = units.find((u) => u.id === w.units.dongfeng)!;
  const c = units.find((u) => u.name === COMPOUND_NAME)!;
  village = { id: v.id, path: v.path };
  compound = { id: c.id, path: c.path };
  expect(c.parent_id).toBe(v.id);

  // History that names the subtree: a danger in the village sent county → 东城街道 → 团结社区 and accepted there; one
  // the village officer tagged in the compound; a resident link; a wall push to the village; a discovery job there.
  const [compoundCamera] = (await w.t.app.repos.cameras.list(compound.path, { limit: 1 })).items;
  const first = await http.post<Danger>(w.county, '/api/dangers', dangerBody(w.cameras.dongfeng));
  const task = await http.post<TaskSummary>(w.county, `/api/dangers/${first.body.id}/dispatch`, { toUnitId: w.units.dongcheng });
  await http.post(w.dongcheng, `/api/dispatch/tasks/${task.body.id}/accept`);
  const sub = await http.post<TaskSummary>(w.dongcheng, `/api/dispatch/tasks/${task.body.id}/redispatch`, { toUnitId: village.id });
  expect(sub.status, JSON.stringify(sub.body)).toBe(201);
  expect((await http.post(w.village, `/api/dispatch/tasks/${sub.body.id}/accept`)).status).toBe(200);
  const second = await http.post<Danger>(w.village, '/api/dangers', dangerBody(compoundCamera.id));
  expect(second.status, JSON.stringify(second.body)).toBe(201);
  const link = await http.post<CreatedShareLink>(w.dongcheng, '/api/share-links', { orgUnitId: compound.id, label: '搬家测试', expiresInHours: 1 });
  expect(link.status, JSON.stringify(link.body)).toBe(201);
  shareToken = link.body.url.split('/r/')[1];
  const push = await http.post(w.dongcheng, '/api/dispatch/layouts', { toUnitId: village.id, cameraIds: [w.cameras.dongfeng], note: '请关注' });
  expect(push.status, JSON.stringify(push.body)).toBe(201);
  const villageUser = (await w.t.app.repos.users.credentials('village'))!;
  await w.t.app.repos.discovery.createJob({
    mode: 'unicast', params: { targets: ['127.0.0.1'] }, ownerId: villageUser.id, ownerName: 'village', orgUnitId: compound.id, orgPath: compound.path,
  });
  // A maintenance ticket (运维工单) for 画面异常 on a camera of the compound.
  const ticket = await http.post(w.village, '/api/maintenance/tickets', { cameraId: compoundCamera.id, note: '镜头被遮挡' });
  expect(ticket.status, JSON.stringify(ticket.body)).toBe(200);
  // Something outside the subtree that must not change: a danger in 东城街道's other village.
  const [other] = (await w.t.app.repos.cameras.list((await w.t.app.repos.orgUnits.byId(w.units.otherDongchengVillage))!.path, { limit: 1 })).items;
  expect((await http.post(w.county, '/api/dangers', dangerBody(other.id))).status).toBe(201);

  moved = {
    cameras: (await w.t.app.repos.cameras.list(village.path, { limit: 1000 })).items.map((c) => c.id).sort((a, b) => a - b),
    dangers: [first.body.id, second.body.id],
  };
  await w.t.app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(w.t.app.server.address() as { port: number }).port}`;
  for (const [name, who] of [['village', w.village], ['dongcheng', w.dongcheng], ['chengguan', w.chengguan], ['county', w.county]] as const) {
    await openSocket(name, who, base);
  }
}, 60_000);

afterAll(async () => {
  for (const { socket } of sockets.values()) socket.close();
  await w?.t.close();
});

describe('moving 团结社区 from 东城街道 to 城关镇', () => {
  let before: Snapshot;
  let countsBefore: unknown[];
  let villageCameras: number[];
  let treeBefore: OrgUnit[];
  let seqBefore: number;

  it('refuses targets that break the tree, without changing anything', async () => {
    const snap = await snapshot();
    const move = (id: number, parentId: number) => w.t.app.inject({ method: 'POST', url: `/api/org/units/${id}/move`, headers: admin.headers, payload: { parentId } });
    const wrong = [
      [village.id, w.units.chengguanVillage, 400, 'a village goes directly under a township'], // a village under a village
      [village.id, compound.id, 400, 'is inside 团结社区 itself'],
      [village.id, village.id, 400, 'is inside 团结社区 itself'],
      [w.units.dongcheng, w.units.chengguan, 400, 'a township goes directly under a county'],
      [w.units.county, w.units.chengguan, 403, 'your own unit'],
      [village.id, 999999, 404, 'not found'],
    ] as const;
    for (const [id, parentId, status, text] of wrong) {
      const res = await move(id, parentId);
      expect([res.statusCode, res.json().message], `${id} → ${parentId}`).toEqual([status, expect.stringContaining(text)]);
    }
    // Under the parent it has: nothing to do, nothing written.
    const same = await move(village.id, w.units.dongcheng);
    expect(same.statusCode).toBe(200);
    expect(same.json()).toMatchObject({ id: village.id, parentId: w.units.dongcheng });
    expect((await w.t.app.inject({ url: '/api/audit?action=org.move', headers: admin.headers })).json<AuditPage>().items).toHaveLength(0);
    expect(await snapshot()).toEqual(snap);
  });

  it('moves the subtree in one transaction, rewriting every stored path and nothing else', async () => {
    before = await snapshot();
    countsBefore = await w.t.app.db.all('SELECT * FROM org_unit_camera_counts ORDER BY unit_id');
    villageCameras = await cameraIds(villageBefore);
    expect(villageCameras).toEqual(moved.cameras);
    treeBefore = (await http.get<OrgUnit[]>(w.county, `/api/org/units?parentId=${w.units.county}`)).body;
    seqBefore = await w.t.app.repos.events.lastSeq();
    // Every table holds something of the subtree, so the move has something to rewrite everywhere; but tasks sent
    // from it: only counties and townships send, and a township cannot move while there is one county.
    for (const [key, rows] of Object.entries(before)) {
      expect([...rows.values()].some((p) => p.startsWith(village.path)), key).toBe(key !== 'tasks.from_path');
    }

    const res = await w.t.app.inject({ method: 'POST', url: `/api/org/units/${village.id}/move`, headers: admin.headers, payload: { parentId: w.units.chengguan } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<OrgUnit>()).toMatchObject({ id: village.id, parentId: w.units.chengguan, level: 'village', cameraCount: moved.cameras.length });

    const newPath = `${(await w.t.app.repos.orgUnits.byId(w.units.chengguan))!.path}${village.id}/`;
    const after = await snapshot();
    for (const [key, rows] of Object.entries(before)) {
      const expected = new Map([...rows].map(([id, p]) => [id, p.startsWith(village.path) ? newPath + p.slice(village.path.length) : p]));
      expect(new Map([...after[key]].filter(([id]) => rows.has(id))), key).toEqual(expected);
    }
    // The only new rows: the move's two events, from the old parent up and from the unit's new place up.
    const added = Object.entries(after).flatMap(([key, rows]) => [...rows].filter(([id]) => !before[key].has(id)).map(([, p]) => `${key} ${p}`));
    expect(added).toEqual([`events.org_path /${w.units.county}/${w.units.dongcheng}/`, `events.org_path ${newPath}`]);

    // And against a recomputation from parent links alone: every unit's path, every copy beside a unit id.
    const wrongPaths = await w.t.app.db.all(`
      WITH RECURSIVE tree(id, path) AS (
        SELECT id, '/' || id || '/' FROM org_units WHERE parent_id IS NULL
        UNION ALL SELECT u.id, tree.path || u.id || '/' FROM org_units u JOIN tree ON u.parent_id = tree.id)
      SELECT 'org_units' AS t, u.id FROM org_units u JOIN tree USING (id) WHERE u.path <> tree.path
      UNION ALL SELECT 'cameras', c.id FROM cameras c JOIN tree ON tree.id = c.org_unit_id WHERE c.org_path <> tree.path
      UNION ALL SELECT 'dangers', d.id FROM dangers d JOIN tree ON tree.id = d.org_unit_id WHERE d.org_path <> tree.path
      UNION ALL SELECT 'dangers.owner', d.id FROM dangers d JOIN tree ON tree.id = d.owner_unit_id WHERE d.owner_path <> tree.path
      UNION ALL SELECT 'tasks.from', k.id FROM tasks k JOIN tree ON tree.id = k.from_unit_id WHERE k.from_path <> tree.path
      UNION ALL SELECT 'tasks.to', k.id FROM tasks k JOIN tree ON tree.id = k.to_unit_id WHERE k.to_path <> tree.path
      UNION ALL SELECT 'layout_pushes', p.id FROM layout_pushes p JOIN tree ON tree.id = p.to_unit_id WHERE p.to_path <> tree.path
      UNION ALL SELECT 'discovery_jobs', j.id FROM discovery_jobs j JOIN tree ON tree.id = j.org_unit_id WHERE j.org_path <> tree.path`);
    expect(wrongPaths).toEqual([]);
    expect(await w.t.app.db.get<{ n: number }>('SELECT count(*) AS n FROM org_units')).toEqual({ n: (await w.t.app.repos.orgUnits.subtree('/')).length });

    // Per-unit camera counts belong to units, which kept their cameras: not one changed.
    expect(await w.t.app.db.all('SELECT * FROM org_unit_camera_counts ORDER BY unit_id')).toEqual(countsBefore);
  });

  it('moves the subtree’s counts in the tree from one township to the other', async () => {
    const tree = (await http.get<OrgUnit[]>(w.county, `/api/org/units?parentId=${w.units.county}`)).body;
    const of = (list: OrgUnit[], id: number) => list.find((u) => u.id === id)!;
    const n = moved.cameras.length;
    expect(of(tree, w.units.dongcheng).cameraCount).toBe(of(treeBefore, w.units.dongcheng).cameraCount - n);
    expect(of(tree, w.units.chengguan).cameraCount).toBe(of(treeBefore, w.units.chengguan).cameraCount + n);
    expect(of(tree, w.units.dongcheng).userCount).toBe(of(treeBefore, w.units.dongcheng).userCount - 1);
    expect(of(tree, w.units.chengguan).userCount).toBe(of(treeBefore, w.units.chengguan).userCount + 1);
    expect(of(tree, w.units.dongcheng).childCount).toBe(of(treeBefore, w.units.dongcheng).childCount - 1);
    const [root] = (await http.get<OrgUnit[]>(w.county, '/api/org/units')).body;
    expect(root.cameraCount).toBe(tree.reduce((sum, u) => sum + u.cameraCount, 0) + (await w.t.app.repos.cameras.list(`/${w.units.county}/`, { direct: true, limit: 1 })).total);
  });

  it('the village officer still signs in (old session and new) and sees exactly the same cameras and dangers', async () => {
    const fresh = await login(w.t.app, ...DEMO.village);
    expect(await cameraIds(fresh)).toEqual(villageCameras);
    expect(await cameraIds(villageBefore)).toEqual(villageCameras);
    const [own] = (await http.get<OrgUnit[]>(fresh, '/api/org/units')).body;
    expect(own).toMatchObject({ id: village.id, parentId: w.units.chengguan });
    const dangers = (await http.get<{ items: Danger[] }>(fresh, '/api/dangers')).body.items.map((d) => d.id).sort((a, b) => a - b);
    expect(dangers).toEqual([...moved.dangers].sort((a, b) => a - b));
  });

  it('城关镇 now sees the subtree (list, search, dangers, links) and 东城街道 no longer does', async () => {
    const chengguan = await cameraIds(w.chengguan);
    const dongcheng = await cameraIds(w.dongcheng);
    for (const id of moved.cameras) {
      expect(chengguan, `chengguan ${id}`).toContain(id);
      expect(dongcheng).not.toContain(id);
    }
    const one = moved.cameras[0];
    expect((await http.get(w.chengguan, `/api/cameras/${one}`)).status).toBe(200);
    expect((await http.get(w.dongcheng, `/api/cameras/${one}`)).status).toBe(404);
    // Search goes through the trigram index and the (org_path, search_text) index: both follow the new paths.
    const camera = (await w.t.app.repos.cameras.byId(one))!;
    const q = encodeURIComponent(camera.name.slice(0, 6));
    expect(await cameraIds(w.chengguan, `&q=${q}`)).toContain(one);
    expect(await cameraIds(w.dongcheng, `&q=${q}`)).not.toContain(one);
    const dangerIds = async (who: Login) => (await http.get<{ items: Danger[] }>(who, '/api/dangers')).body.items.map((d) => d.id);
    expect(await dangerIds(w.chengguan)).toEqual(expect.arrayContaining(moved.dangers));
    expect((await dangerIds(w.dongcheng)).filter((id) => moved.dangers.includes(id))).toEqual([]);
    const links = (await http.get<Array<{ label: string }>>(w.chengguan, '/api/share-links')).body;
    expect(links.map((l) => l.label)).toContain('搬家测试');
    // The resident link still opens, with the compound's cameras.
    const open = await w.t.app.inject({ method: 'POST', url: '/api/share/open', payload: { token: shareToken, device: 'move-phone' } });
    expect(open.statusCode, open.body).toBe(200);
    expect(open.json<ResidentView>().cameras.length).toBeGreaterThan(0);
  });

  it('is audited with what it rewrote, and announced to both townships', async () => {
    const [row] = (await w.t.app.inject({ url: '/api/audit?action=org.move', headers: admin.headers })).json<AuditPage>().items;
    expect(row).toMatchObject({ actorName: 'admin', targetType: 'org_unit', targetId: String(village.id), orgUnitId: village.id });
    const detail = row.detail as { from: number; to: number; rewritten: Record<string, number> };
    expect(detail).toMatchObject({ from: w.units.dongcheng, to: w.units.chengguan });
    expect(detail.rewritten['cameras.org_path']).toBe(moved.cameras.length);
    expect(detail.rewritten['org_units.path']).toBe(2);

    const orgEvents = (name: string) => sockets.get(name)!.heard.filter((h) => h.event === 'org:changed').map((h) => h.payload);
    const expected = expect.objectContaining({ action: 'move', orgUnitId: village.id, parentId: w.units.chengguan, previousParentId: w.units.dongcheng });
    await expect.poll(() => orgEvents('county').length).toBe(2);
    for (const name of ['dongcheng', 'chengguan', 'village']) await expect.poll(() => orgEvents(name), { message: name }).toEqual([expected]);
  });

  it('live sockets follow: pushes about the subtree reach 城关镇 and the village, not 东城街道; replay uses the new scope', async () => {
    const [camera] = (await w.t.app.repos.cameras.list((await w.t.app.repos.orgUnits.byId(compound.id))!.path, { limit: 1 })).items;
    const seq = await w.t.app.repos.events.lastSeq();
    expect(await w.t.app.cameras.recordStatus(camera.id, 'offline', 'timeout')).toBe(true);
    const statusHeard = (name: string) => sockets.get(name)!.heard.filter((h) => h.event === 'camera:status' && (h.payload as { cameraId: number }).cameraId === camera.id);
    for (const name of ['village', 'chengguan', 'county']) await expect.poll(() => statusHeard(name).length, { message: name }).toBe(1);
    expect(statusHeard('dongcheng')).toHaveLength(0);

    // The village officer's socket connected before the move: its replay scope moved with the unit.
    const missed = await replay('village', seq);
    expect(missed.events.map((e) => e.event)).toEqual(['camera:status']);
    expect((await replay('dongcheng', seq)).events).toEqual([]);
    // The event log itself moved: 城关镇 replays the subtree's history from before the move, 东城街道 no longer does.
    const history = await replay('chengguan', 0);
    expect(history.events.filter((e) => e.event === 'danger:created').map((e) => (e.payload as { dangerId: number }).dangerId)).toEqual(moved.dangers);
    const old = await replay('dongcheng', 0);
    const oldDangers = old.events.filter((e) => e.event === 'danger:created').map((e) => (e.payload as { dangerId: number }).dangerId);
    expect(oldDangers.length).toBeGreaterThan(0); // the danger in 东城街道's other village stays
    expect(oldDangers.filter((id) => moved.dangers.includes(id))).toEqual([]);
    expect(seqBefore).toBeLessThan(seq);
  });
});
