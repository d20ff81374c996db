// Audit completeness (issue #9): every audited action, driven over the real API, leaves a row with actor, action,
// target, org unit and a time inside the test's window, read back through GET /api/audit as an administrator;
// the filters, keyset paging and the CSV export; and nobody but an administrator reads the log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../../server/audit/actions';
import type { AuditItem, AuditPage } from '../../server/contracts/audit';
import type { DiscoveryJob, DiscoveryJobDetail } from '../../server/contracts/catalogue';
import type { Danger, TaskSummary } from '../../server/contracts/dispatch';
import type { CreatedShareLink, ResidentView } from '../../server/contracts/share';
import type { UserWithPassword } from '../../server/contracts/users';
import { COMPOUND_NAME } from '../../server/demo/county';
import { planCamera, rtspUrl, simHost, startCamera, type SimCamera } from '../../scripts/simulator';
import { DEMO, login, type Login } from '../helpers/app';
import { createAdmin } from '../../server/setup/first-admin';
import { SETUP_TOKEN_FILE } from '../../server/setup/setup-token';
import { backupCommand, restoreCommand } from '../../scripts/admin/commands';
import { ADMIN_PASSWORD, appOn, COUNTY } from '../setup/helpers';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, buildWorld, dangerAtDongcheng, dangerBody, type World } from '../dispatch/helpers';

// Simulator indexes reserved for this file (each index is its own loopback address).
const SIM_INDEX = 3850;
const LINK_LABEL = '东城小区业主群';

let w: World;
let http: ReturnType<typeof api>;
let admin: Login;
let sim: SimCamera;
let compound: { id: number; path: string };
let simCameraId: number;
let started: string;

/** Rows from GET /api/audit as the administrator. */
async function audit(query: Record<string, string | number> = {}): Promise<AuditPage> {
  const qs = new URLSearchParams(Object.entries({ limit: 200, ...query }).map(([k, v]) => [k, String(v)]));
  const res = await w.t.app.inject({ url: `/api/audit?${qs}`, headers: { cookie: admin.cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<AuditPage>();
}

/** The rows of `action` matching `match`; asserts there is at least one and every one is inside the test window. */
async function expectRow(action: string, match: Partial<AuditItem>): Promise<AuditItem[]> {
  const { items } = await audit({ action });
  const rows = items.filter((r) => Object.entries(match).every(([k, v]) => JSON.stringify(r[k as keyof AuditItem]) === JSON.stringify(v)));
  expect(rows, `${action} ${JSON.stringify(match)} in ${JSON.stringify(items)}`).not.toHaveLength(0);
  const now = new Date().toISOString();
  for (const r of rows) {
    expect(r.at >= started && r.at <= now, `${r.at} within ${started}…${now}`).toBe(true);
    expect(r.action).toBe(action);
  }
  return rows;
}

const userId = async (username: string) => String((await w.t.app.repos.users.credentials(username))!.id);

beforeAll(async () => {
  started = new Date().toISOString();
  w = await buildWorld();
  http = api(w.t);
  admin = await login(w.t.app, ...DEMO.admin);
  const unit = (await w.t.app.repos.orgUnits.subtree('/')).find((u) => u.name === COMPOUND_NAME)!;
  compound = { id: unit.id, path: unit.path };
  sim = await startCamera(planCamera({ index: SIM_INDEX, name: '审计测试摄像机', network: 'skynet', orgUnitCode: unit.code }));
});
afterAll(async () => {
  await w?.t.close();
  await sim?.close();
});

describe('every audited action leaves a row', () => {
  it('login, failed login (the name tried, no user id) and logout', async () => {
    await expectRow('auth.login', { actorType: 'user', actorName: 'admin', actorId: await userId('admin'), targetType: 'user', targetId: await userId('admin') });
    const failed = await w.t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: '王五', password: 'wrong-password' } });
    expect(failed.statusCode).toBe(401);
    const [row] = await expectRow('auth.login-failed', { actorType: 'anonymous', actorName: '王五', actorId: null });
    expect(row.detail).toEqual({ reason: 'unknown-user' });
    expect(row.ip).toBe('127.0.0.1');
    await w.t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'county', password: 'not-the-password' } });
    const [wrong] = await expectRow('auth.login-failed', { actorType: 'anonymous', actorName: 'county', actorId: null });
    expect(wrong.detail).toEqual({ reason: 'wrong-password' });

    const session = await login(w.t.app, ...DEMO.chengguan);
    expect((await w.t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: session.headers })).statusCode).toBe(204);
    await expectRow('auth.logout', { actorType: 'user', actorName: 'chengguan', orgUnitId: w.units.chengguan, targetId: await userId('chengguan') });
  });

  it('adding an RTSP camera and editing it', async () => {
    const added = await http.post<{ cameraId: number }>(admin, '/api/discovery/rtsp/cameras', {
      url: rtspUrl(sim.spec), credentials: { username: sim.spec.username, password: sim.spec.password }, name: '审计测试摄像机',
      network: 'skynet', orgUnitId: compound.id, publicArea: true,
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    simCameraId = added.body.cameraId;
    await expectRow('camera.add-rtsp', { actorName: 'admin', targetType: 'camera', targetId: String(simCameraId), orgUnitId: compound.id });

    const edit = await w.t.app.inject({ method: 'PATCH', url: `/api/cameras/${simCameraId}`, headers: admin.headers, payload: { name: '审计测试摄像机（北门）' } });
    expect(edit.statusCode, edit.body).toBe(200);
    const [row] = await expectRow('camera.update', { actorName: 'admin', targetId: String(simCameraId), orgUnitId: compound.id });
    expect(row.detail).toEqual({ fields: ['name'] });

    // A move is audited at the unit the camera left, naming the one it went to.
    const moved = await w.t.app.inject({ method: 'PATCH', url: `/api/cameras/${w.cameras.chengguan}`, headers: w.chengguan.headers, payload: { orgUnitId: w.units.chengguanVillage } });
    expect(moved.statusCode, moved.body).toBe(200);
    const [move] = await expectRow('camera.update', { actorName: 'chengguan', targetId: String(w.cameras.chengguan), orgUnitId: w.units.chengguan });
    expect(move.detail).toEqual({ fields: ['orgUnitId'], movedTo: w.units.chengguanVillage });

    // A camera taken out of the catalogue keeps its name in the log.
    const spare = await http.post<{ cameraId: number }>(admin, '/api/discovery/rtsp/cameras', {
      url: 'rtsp://127.0.0.1:9/spare', name: '审计测试拆除', network: 'skynet', orgUnitId: compound.id, skipProbe: true,
    });
    expect(spare.status, JSON.stringify(spare.body)).toBe(201);
    const removed = await w.t.app.inject({ method: 'DELETE', url: `/api/cameras/${spare.body.cameraId}`, headers: admin.headers });
    expect(removed.statusCode, removed.body).toBe(204);
    const [gone] = await expectRow('camera.delete', { actorName: 'admin', targetId: String(spare.body.cameraId), orgUnitId: compound.id });
    expect(gone.detail).toMatchObject({ name: '审计测试拆除', network: 'skynet' });
  });

  it('a live view once per viewer session, not per playlist poll', async () => {
    // Two polls at once (a tile reloading), then two more in turn.
    const polls = [
      ...(await Promise.all([0, 1].map(() => w.t.app.inject({ url: `/live/${simCameraId}/index.m3u8`, headers: { cookie: w.county.cookie } })))),
      await w.t.app.inject({ url: `/live/${simCameraId}/index.m3u8`, headers: { cookie: w.county.cookie } }),
      await w.t.app.inject({ url: `/live/${simCameraId}/index.m3u8`, headers: { cookie: w.county.cookie } }),
    ];
    for (const res of polls) expect(res.statusCode, res.body).toBe(200);
    const rows = await expectRow('live.view', { actorType: 'user', actorName: 'county', targetType: 'camera', targetId: String(simCameraId) });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ orgUnitId: compound.id, orgUnitName: COMPOUND_NAME });
  });

  it('share-link create, a resident opening and watching it, and revoke', async () => {
    const made = await http.post<CreatedShareLink>(w.dongcheng, '/api/share-links', {
      orgUnitId: compound.id, label: LINK_LABEL, cameraIds: [simCameraId], expiresInHours: 1,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const linkId = String(made.body.link.id);
    const [created] = await expectRow('share.create', { actorName: 'dongcheng', targetType: 'share-link', targetId: linkId, orgUnitId: compound.id });
    expect(created.ip).toBe('127.0.0.1');

    const open = await w.t.app.inject({ method: 'POST', url: '/api/share/open', payload: { token: made.body.url.split('/r/')[1], device: 'audit-phone-1' } });
    expect(open.statusCode, open.body).toBe(200);
    const { viewerToken } = open.json<ResidentView>();
    await expectRow('share.open', { actorType: 'resident', actorId: `link:${linkId}`, actorName: LINK_LABEL, targetId: linkId, orgUnitId: compound.id });

    for (let i = 0; i < 2; i++) {
      const res = await w.t.app.inject({ url: `/live/${simCameraId}/index.m3u8?v=${encodeURIComponent(viewerToken)}` });
      expect(res.statusCode, res.body).toBe(200);
    }
    const views = await expectRow('live.view', { actorType: 'resident', actorId: `link:${linkId}`, actorName: LINK_LABEL, targetId: String(simCameraId) });
    expect(views).toHaveLength(1);
    expect(views[0].orgUnitId).toBe(compound.id);

    expect((await http.post(w.dongcheng, `/api/share-links/${linkId}/revoke`)).status).toBe(200);
    await expectRow('share.revoke', { actorName: 'dongcheng', targetType: 'share-link', targetId: linkId, orgUnitId: compound.id });
  });

  it('tagging a danger and every dispatch transition, overdue included', async () => {
    const danger = await http.post<Danger>(w.county, '/api/dangers', dangerBody(w.cameras.dongfeng));
    expect(danger.status).toBe(201);
    await expectRow('danger.create', { actorName: 'county', targetType: 'danger', targetId: String(danger.body.id), orgUnitId: w.units.dongfeng });

    // county → 东城街道 → 团结社区, resolved, rejected, resolved again, closed.
    const sent = await http.post<TaskSummary>(w.county, `/api/dangers/${danger.body.id}/dispatch`, { toUnitId: w.units.dongcheng });
    expect(sent.status).toBe(201);
    const task = String(sent.body.id);
    await expectRow('dispatch.dispatch', { actorName: 'county', targetType: 'task', targetId: task, orgUnitId: w.units.dongcheng });
    expect((await http.post(w.dongcheng, `/api/dispatch/tasks/${task}/accept`)).status).toBe(200);
    await expectRow('dispatch.accept', { actorName: 'dongcheng', targetId: task });
    const child = await http.post<TaskSummary>(w.dongcheng, `/api/dispatch/tasks/${task}/redispatch`, { toUnitId: w.units.dongfeng });
    expect(child.status, JSON.stringify(child.body)).toBe(201);
    const sub = String(child.body.id);
    await expectRow('dispatch.redispatch', { actorName: 'dongcheng', targetId: sub, orgUnitId: w.units.dongfeng });
    await expectRow('dispatch.redispatch', { actorName: 'dongcheng', targetId: task });
    for (const [who, action, body] of [
      [w.village, 'accept', {}], [w.village, 'handle', {}], [w.village, 'resolve', { feedback: '已清理' }],
      [w.dongcheng, 'reject', { reason: '照片不清楚' }], [w.village, 'resolve', { feedback: '已清理，补拍照片' }], [w.dongcheng, 'close', {}],
    ] as const) {
      const res = await http.post(who, `/api/dispatch/tasks/${sub}/${action}`, body);
      expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
    }
    for (const action of ['accept', 'handle', 'resolve']) await expectRow(`dispatch.${action}`, { actorName: 'village', targetId: sub, orgUnitId: w.units.dongfeng });
    await expectRow('dispatch.reject', { actorName: 'dongcheng', targetId: sub });
    await expectRow('dispatch.close', { actorName: 'dongcheng', targetId: sub });

    const returned = await dangerAtDongcheng(w);
    expect((await http.post(w.dongcheng, `/api/dispatch/tasks/${returned.task.id}/return`, { reason: '不属于本辖区职责' })).status).toBe(200);
    const [back] = await expectRow('dispatch.return', { actorName: 'dongcheng', targetId: String(returned.task.id), orgUnitId: w.units.dongcheng });
    expect(back.detail).toMatchObject({ note: '不属于本辖区职责' });

    const late = await dangerAtDongcheng(w);
    expect(await w.t.app.dispatch.scanOverdue(new Date(Date.parse(late.task.deadline) + 60_000))).toBeGreaterThanOrEqual(1);
    await expectRow('dispatch.overdue', { actorType: 'system', actorId: null, actorName: null, targetId: String(late.task.id), orgUnitId: w.units.dongcheng });
    expect((await http.post(w.county, `/api/dispatch/tasks/${late.task.id}/escalate`, { note: '超期未办' })).status).toBe(200);
    await expectRow('dispatch.escalate', { actorName: 'county', targetId: String(late.task.id) });
  });

  it('a layout push to a township wall, and its answer', async () => {
    const push = await http.post<{ id: number }>(w.county, '/api/dispatch/layouts', { toUnitId: w.units.dongcheng, cameraIds: [w.cameras.dongfeng], note: '请关注东风路口' });
    expect(push.status, JSON.stringify(push.body)).toBe(201);
    await expectRow('layout.push', { actorName: 'county', targetType: 'layout_push', targetId: String(push.body.id), orgUnitId: w.units.dongcheng });
    expect((await http.post(w.dongcheng, `/api/dispatch/layouts/${push.body.id}/accept`)).status).toBe(200);
    await expectRow('layout.accept', { actorName: 'dongcheng', targetId: String(push.body.id), orgUnitId: w.units.dongcheng });
  });

  it('maintenance tickets (运维工单): maintainer set, opened by a user and by the sweep, started, fixed, recovered, closed', async () => {
    const set = await w.t.app.inject({ method: 'PUT', url: '/api/maintenance/maintainers/skynet', headers: admin.headers, payload: { unitName: '县电信分公司', contact: '李工', phone: '' } });
    expect(set.statusCode, set.body).toBe(200);
    await expectRow('maintenance.maintainer-update', { actorName: 'admin', targetType: 'network' });

    const picture = await http.post<{ ticket: { id: number } }>(w.dongcheng, '/api/maintenance/tickets', { cameraId: w.cameras.dongfeng, note: '镜头被遮挡' });
    expect(picture.status, JSON.stringify(picture.body)).toBe(200);
    const id = String(picture.body.ticket.id);
    await expectRow('maintenance.ticket-open', { actorType: 'user', actorName: 'dongcheng', targetType: 'maintenance_ticket', targetId: id, orgUnitId: w.units.dongfeng });
    expect((await http.post(w.dongcheng, `/api/maintenance/tickets/${id}/actions`, { action: 'start' })).status).toBe(200);
    await expectRow('maintenance.ticket-start', { actorName: 'dongcheng', targetId: id, orgUnitId: w.units.dongfeng });
    expect((await http.post(w.dongcheng, `/api/maintenance/tickets/${id}/actions`, { action: 'fixed', note: '已清理' })).status).toBe(200);
    await expectRow('maintenance.ticket-fixed', { actorName: 'dongcheng', targetId: id });

    // An outage: the sweep opens it as the system once the camera has been offline past the threshold, and ends it
    // when the camera is seen online.
    const { app } = w.t;
    await app.cameras.recordStatus(w.cameras.dongfeng, 'offline', 'timeout');
    await app.maintenance.sweep(new Date(Date.now() + app.config.maintenance.offlineMinutes * 60_000 + 1000));
    const outage = (await app.repos.maintenance.openFor(w.cameras.dongfeng))!;
    await expectRow('maintenance.ticket-open', { actorType: 'system', actorName: 'system', actorId: null, targetId: String(outage.id), orgUnitId: w.units.dongfeng });
    await app.cameras.recordStatus(w.cameras.dongfeng, 'online', null);
    await app.maintenance.sweep();
    await expectRow('maintenance.ticket-recovered', { actorType: 'system', targetId: String(outage.id) });

    const again = await http.post<{ ticket: { id: number } }>(w.county, '/api/maintenance/tickets', { cameraId: w.cameras.dongfeng, note: '画面模糊' });
    expect((await http.post(w.county, `/api/maintenance/tickets/${again.body.ticket.id}/actions`, { action: 'close', note: '重复报修' })).status).toBe(200);
    await expectRow('maintenance.ticket-close', { actorName: 'county', targetId: String(again.body.ticket.id) });
  });

  it('catalogue import, export and credential profiles', async () => {
    const csv = '设备编码,设备名称,所属网络,组织路径,取流地址\r\nAUD-0001,审计导入摄像机,天网,安澜县/城关镇,rtsp://10.9.9.1/live';
    const imported = await http.post<{ committed: boolean }>(admin, '/api/catalogue/import', { format: 'csv', content: csv });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    const [row] = await expectRow('catalogue.import', { actorName: 'admin', targetType: 'org_unit', targetId: String(w.units.county) });
    expect(row.detail).toMatchObject({ added: 1 });

    const exported = await w.t.app.inject({ url: `/api/catalogue/export?orgUnitId=${w.units.chengguan}`, headers: { cookie: w.chengguan.cookie } });
    expect(exported.statusCode).toBe(200);
    await expectRow('catalogue.export', { actorName: 'chengguan', targetType: 'org_unit', targetId: String(w.units.chengguan), orgUnitId: w.units.chengguan });

    const saved = await w.t.app.inject({ method: 'PUT', url: '/api/catalogue/credentials/audit-profile', headers: admin.headers, payload: { username: 'admin', password: 'Secret-1' } });
    expect(saved.statusCode, saved.body).toBe(204);
    const [profile] = await expectRow('catalogue.credential-profile.save', { actorName: 'admin', targetType: 'credential_profile', targetId: 'audit-profile' });
    expect(JSON.stringify(profile)).not.toContain('Secret-1');
    expect((await w.t.app.inject({ method: 'DELETE', url: '/api/catalogue/credentials/audit-profile', headers: admin.headers })).statusCode).toBe(204);
    await expectRow('catalogue.credential-profile.delete', { actorName: 'admin', targetId: 'audit-profile' });
  });

  it('org units: create, rename, move and delete (the delete at the parent it left)', async () => {
    const created = await w.t.app.inject({ method: 'POST', url: '/api/org/units', headers: admin.headers, payload: { parentId: w.units.dongcheng, name: '审计新社区' } });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: number }>().id;
    const [made] = await expectRow('org.create', { actorName: 'admin', targetType: 'org_unit', targetId: String(id), orgUnitId: id });
    expect(made.detail).toMatchObject({ name: '审计新社区', level: 'village', parentId: w.units.dongcheng });
    const renamed = await w.t.app.inject({ method: 'PATCH', url: `/api/org/units/${id}`, headers: admin.headers, payload: { nameEn: 'Audit Community' } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const [update] = await expectRow('org.update', { actorName: 'admin', targetId: String(id), orgUnitId: id });
    expect(update.detail).toEqual({ fields: ['nameEn'], before: { nameEn: null } });
    const moved = await w.t.app.inject({ method: 'POST', url: `/api/org/units/${id}/move`, headers: admin.headers, payload: { parentId: w.units.chengguan } });
    expect(moved.statusCode, moved.body).toBe(200);
    const [move] = await expectRow('org.move', { actorName: 'admin', targetId: String(id), orgUnitId: id });
    expect(move.detail).toMatchObject({ from: w.units.dongcheng, to: w.units.chengguan });
    expect((await w.t.app.inject({ method: 'DELETE', url: `/api/org/units/${id}`, headers: admin.headers })).statusCode).toBe(204);
    const [gone] = await expectRow('org.delete', { actorName: 'admin', targetId: String(id), orgUnitId: w.units.chengguan });
    expect(gone.detail).toMatchObject({ name: '审计新社区', nameEn: 'Audit Community' });
    expect(gone.ip).toBe('127.0.0.1');
  });

  it('discovery: a job started, its device added; another cancelled', async () => {
    const res = await w.t.app.inject({
      method: 'POST', url: '/api/discovery/jobs', headers: admin.headers,
      payload: { targets: [sim.spec.host], credentials: { username: sim.spec.username, password: sim.spec.password }, timeoutMs: 3000 },
    });
    expect(res.statusCode, res.body).toBe(202);
    const job = res.json<DiscoveryJob>();
    await expectRow('discovery.start', { actorName: 'admin', targetType: 'discovery_job', targetId: String(job.id) });
    await w.t.app.discovery.settled(job.id);
    const { results } = (await http.get<DiscoveryJobDetail>(admin, `/api/discovery/jobs/${job.id}`)).body;
    const found = results.find((r) => r.state === 'found');
    expect(found, JSON.stringify(results)).toBeDefined();
    const add = await http.post(admin, `/api/discovery/jobs/${job.id}/add`, { items: [{ resultId: found!.id, network: 'skynet', orgUnitId: compound.id, externalId: 'AUD-ONVIF-1' }] });
    expect(add.status, JSON.stringify(add.raw.body)).toBe(200);
    await expectRow('discovery.add', { actorName: 'admin', targetId: String(job.id) });

    // A sweep of silent addresses, one at a time, is still running when it is cancelled.
    const sweep = await w.t.app.inject({
      method: 'POST', url: '/api/discovery/jobs', headers: admin.headers,
      payload: { targets: [`${simHost(SIM_INDEX + 1)}-${simHost(SIM_INDEX + 40).split('.').pop()}`], timeoutMs: 1000, concurrency: 1 },
    });
    expect(sweep.statusCode, sweep.body).toBe(202);
    const running = sweep.json<DiscoveryJob>();
    expect((await http.post(admin, `/api/discovery/jobs/${running.id}/cancel`)).status).toBe(200);
    const [cancel] = await expectRow('discovery.cancel', { actorName: 'admin', targetId: String(running.id) });
    expect(cancel.detail).toEqual({ state: 'running' });
  });

  it('user management and the own account: every administrator action, a password change, an ended session', async () => {
    const made = await http.post<UserWithPassword>(admin, '/api/users', { username: 'audit.user', displayName: '审计用户', role: 'township_officer', orgUnitId: w.units.dongcheng });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const id = String(made.body.user.id);
    const user = { actorName: 'admin', targetType: 'user', targetId: id, orgUnitId: w.units.dongcheng };
    const [created] = await expectRow('user.create', user);
    expect(created.detail).toMatchObject({ username: 'audit.user', role: 'township_officer' });

    // The user's first sign-in: the forced change, and a second session ended from 我的账户.
    const own = await login(w.t.app, 'audit.user', made.body.initialPassword);
    const changed = await w.t.app.inject({
      method: 'POST', url: '/api/account/password', headers: own.headers, payload: { currentPassword: made.body.initialPassword, newPassword: 'Audit-Lantern-2026' },
    });
    expect(changed.statusCode, changed.body).toBe(204);
    const [change] = await expectRow('account.change-password', { actorName: 'audit.user', targetType: 'user', targetId: id, orgUnitId: w.units.dongcheng });
    expect(change.detail).toMatchObject({ forced: true });
    const second = await login(w.t.app, 'audit.user', 'Audit-Lantern-2026');
    const sessions = (await http.get<Array<{ id: string; current: boolean }>>(own, '/api/account/sessions')).body;
    const other = sessions.find((s) => !s.current)!;
    expect((await w.t.app.inject({ method: 'DELETE', url: `/api/account/sessions/${other.id}`, headers: own.headers })).statusCode).toBe(204);
    const [ended] = await expectRow('account.end-session', { actorName: 'audit.user', targetId: id });
    expect(ended.detail).toEqual({ session: other.id, current: false });
    expect((await w.t.app.inject({ url: '/api/auth/me', headers: { cookie: second.cookie } })).statusCode).toBe(401);

    const edit = await w.t.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: admin.headers, payload: { phone: '13800000000', orgUnitId: w.units.chengguan } });
    expect(edit.statusCode, edit.body).toBe(200);
    const [update] = await expectRow('user.update', { ...user, orgUnitId: w.units.dongcheng });
    expect(update.detail).toMatchObject({ fields: ['phone', 'orgUnitId'], movedTo: w.units.chengguan });
    const moved = { ...user, orgUnitId: w.units.chengguan };
    for (const action of ['disable', 'enable', 'unlock']) {
      expect((await http.post(admin, `/api/users/${id}/${action}`)).status, action).toBe(200);
      await expectRow(`user.${action}`, moved);
    }
    const reset = await http.post<UserWithPassword>(admin, `/api/users/${id}/reset-password`);
    expect(reset.status).toBe(200);
    const [resetRow] = await expectRow('user.reset-password', moved);
    expect(JSON.stringify(resetRow)).not.toContain(reset.body.initialPassword);
    expect((await w.t.app.inject({ method: 'DELETE', url: `/api/users/${id}`, headers: admin.headers })).statusCode).toBe(204);
    const [gone] = await expectRow('user.delete', moved);
    expect(gone.detail).toMatchObject({ username: 'audit.user', displayName: '审计用户' });

    const imported = await http.post<{ committed: boolean; users: Array<{ id: number; initialPassword: string }> }>(admin, '/api/users/import', {
      content: '用户名,姓名,角色,所属单位\r\naudit.import,导入用户,村级值班员,安澜县/东城街道/' + w.villageName,
    });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    const [batch] = await expectRow('user.import', { actorName: 'admin', targetType: 'org_unit', targetId: String(w.units.county) });
    expect(batch.detail).toMatchObject({ created: 1, rejected: 0, usernames: ['audit.import'] });
    const [one] = await expectRow('user.create', { actorName: 'admin', targetId: String(imported.body.users[0].id), orgUnitId: w.units.dongfeng });
    expect(one.detail).toMatchObject({ import: true });
    expect(JSON.stringify(batch) + JSON.stringify(one)).not.toContain(imported.body.users[0].initialPassword);

    expect((await w.t.app.inject({ url: '/api/users/export.csv', headers: { cookie: admin.cookie } })).statusCode).toBe(200);
    await expectRow('user.export', { actorName: 'admin', targetType: 'org_unit', targetId: String(w.units.county), orgUnitId: w.units.county });
  });
});

describe('first start, CLI administrators, backups and restores (a production database of its own)', () => {
  it('leave a row each: setup (web, with the address; a wrong token as anonymous), CLI admin, scheduled and CLI backups, restore', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cvc-audit-golive-'));
    const dataDir = join(dir, 'data');
    const app = await appOn(dataDir, { backup: { enabled: true, dir: join(dir, 'scheduled'), keep: 2, time: '02:30' } });
    try {
      const token = readFileSync(join(dataDir, SETUP_TOKEN_FILE), 'utf8').trim();
      const setup = (t: string) => app.inject({
        method: 'POST', url: '/api/setup', payload: { token: t, county: COUNTY, admin: { username: 'zhou.min', displayName: '周敏', password: ADMIN_PASSWORD } },
      });
      expect((await setup('wrong')).statusCode).toBe(403);
      expect((await setup(token)).statusCode).toBe(201);
      const zhou = await login(app, 'zhou.min', ADMIN_PASSWORD);
      const rows = async (action: string) => {
        const res = await app.inject({ url: `/api/audit?action=${action}`, headers: { cookie: zhou.cookie } });
        expect(res.statusCode, res.body).toBe(200);
        return res.json<AuditPage>().items;
      };
      const root = (await app.repos.orgUnits.findByCode(COUNTY.code))!;
      const zhouId = String((await app.repos.users.credentials('zhou.min'))!.id);

      expect(await rows('setup.token-rejected')).toMatchObject([{ actorType: 'anonymous', actorId: null, actorName: 'zhou.min', ip: '127.0.0.1', detail: null }]);
      expect(await rows('setup.first-admin')).toMatchObject([{
        actorType: 'user', actorId: zhouId, actorName: 'zhou.min', targetType: 'user', targetId: zhouId, orgUnitId: root.id, ip: '127.0.0.1',
        detail: { via: 'web', county: COUNTY, rootCreated: true },
      }]);

      const added = await createAdmin(app, { username: 'wu.lei', displayName: '吴磊', password: 'Second-Admin-Pass-7' });
      expect(await rows('setup.create-admin')).toMatchObject([{ actorType: 'system', actorName: 'cli', targetId: String(added.userId), orgUnitId: root.id }]);

      const scheduled = await app.backupScheduler!.run();
      expect(await rows('backup.create')).toMatchObject([{ actorType: 'system', actorName: 'scheduler', targetType: 'backup', targetId: scheduled!.file }]);
      const file = join(dir, 'manual.tar.gz');
      await backupCommand(dataDir, file);
      const created = await rows('backup.create');
      expect(created[0]).toMatchObject({ actorType: 'system', actorName: 'cli', targetId: file, detail: { file } });

      const fresh = join(dir, 'fresh');
      await restoreCommand(fresh, file, false);
      const restored = await appOn(fresh);
      try {
        const session = await login(restored, 'zhou.min', ADMIN_PASSWORD);
        const res = await restored.inject({ url: '/api/audit?action=backup.restore', headers: { cookie: session.cookie } });
        expect(res.json<AuditPage>().items).toMatchObject([{ actorType: 'system', actorName: 'cli', targetType: 'backup', targetId: file }]);
      } finally {
        await restored.close();
      }

      const actions = new Set((await app.repos.audit.recent(200)).map((r) => r.action));
      expect([...actions].filter((a) => !(a in AUDIT_ACTIONS))).toEqual([]);
      expect(JSON.stringify(await app.repos.audit.recent(200))).not.toContain(ADMIN_PASSWORD);
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('GET /api/audit filters and paging', () => {
  it('knows every action written here by name (the CSV and the web show words for each)', async () => {
    const written = new Set((await audit()).items.map((r) => r.action));
    expect(written.size).toBeGreaterThan(25);
    expect([...written].filter((a) => !(a in AUDIT_ACTIONS))).toEqual([]);
  });

  it('an action prefix, an actor, a target', async () => {
    const dispatch = (await audit({ action: 'dispatch.' })).items;
    expect(new Set(dispatch.map((r) => r.action))).toEqual(new Set([
      'dispatch.dispatch', 'dispatch.redispatch', 'dispatch.accept', 'dispatch.handle', 'dispatch.resolve', 'dispatch.reject',
      'dispatch.close', 'dispatch.return', 'dispatch.overdue', 'dispatch.escalate',
    ]));
    expect((await audit({ action: 'dispatch*' })).items).toHaveLength(dispatch.length);
    expect((await audit({ action: 'dispatch' })).items).toHaveLength(0); // exact: no action is called just that

    const mine = (await audit({ actor: 'dongcheng' })).items;
    expect(mine.length).toBeGreaterThan(3);
    expect(mine.every((r) => r.actorName === 'dongcheng')).toBe(true);

    const camera = (await audit({ targetType: 'camera', targetId: String(simCameraId) })).items;
    expect(new Set(camera.map((r) => r.action))).toEqual(new Set(['camera.add-rtsp', 'camera.update', 'live.view']));
  });

  it('an org unit means its whole subtree', async () => {
    const dongcheng = (await audit({ orgUnitId: w.units.dongcheng })).items;
    const units = new Set(dongcheng.map((r) => r.orgUnitId));
    expect(units).toContain(w.units.dongcheng);
    expect(units).toContain(w.units.dongfeng);
    expect(units).toContain(compound.id);
    expect(units).not.toContain(w.units.chengguan);
    expect(units).not.toContain(null);
    const units404 = await w.t.app.inject({ url: '/api/audit?orgUnitId=999999', headers: { cookie: admin.cookie } });
    expect(units404.statusCode).toBe(404);
  });

  it('a time range and free text over the detail', async () => {
    expect((await audit({ from: new Date(Date.now() + 60_000).toISOString() })).items).toHaveLength(0);
    expect((await audit({ to: started })).items).toHaveLength(0);
    const inside = (await audit({ from: started, to: new Date(Date.now() + 1000).toISOString() })).items;
    expect(inside.length).toBeGreaterThan(20);
    const bad = await w.t.app.inject({ url: `/api/audit?from=${encodeURIComponent(new Date().toISOString())}&to=${encodeURIComponent(started)}`, headers: { cookie: admin.cookie } });
    expect(bad.json()).toMatchObject({ statusCode: 400, field: 'from' });

    const text = (await audit({ q: '不属于本辖区' })).items;
    expect(text.map((r) => r.action)).toEqual(['dispatch.return']);
    // LIKE wildcards in the search text are literal.
    expect((await audit({ q: '%' })).items).toHaveLength(0);
  });

  it.each(['none', 'action prefix', 'org unit'])('pages newest first without gaps or repeats (filter: %s)', async (kind) => {
    const filter: Record<string, string | number> = kind === 'action prefix' ? { action: 'dispatch.' } : kind === 'org unit' ? { orgUnitId: w.units.dongcheng } : {};
    const all = (await audit(filter)).items;
    expect(all.length).toBeGreaterThan(12);
    const paged: AuditItem[] = [];
    let before: number | null = null;
    for (let i = 0; i < 100; i++) {
      const page: AuditPage = await audit({ ...filter, limit: 5, ...(before ? { before } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(5);
      paged.push(...page.items);
      before = page.nextBefore;
      if (!before) break;
    }
    expect(paged.map((r) => r.id)).toEqual(all.map((r) => r.id));
    expect([...paged.map((r) => r.id)].sort((a, b) => b - a)).toEqual(paged.map((r) => r.id));
  });
});

/** RFC 4180 rows (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    } else cell += c;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  return rows;
}

describe('GET /api/audit/export.csv', () => {
  it('is UTF-8 with a BOM, a header row, Chinese intact, and the filters applied', async () => {
    const res = await w.t.app.inject({ url: '/api/audit/export.csv?action=share.', headers: { cookie: admin.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"/);
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(res.rawPayload.subarray(3).toString('utf8'));
    const col = (name: string) => header.findIndex((h) => h.endsWith(` ${name}`));
    expect(header[0]).toBe('时间(北京时间) Time (UTC+8)');
    expect(rows.map((r) => r[col('Action')]).sort()).toEqual(['share.create', 'share.open', 'share.revoke']);
    expect(rows.every((r) => r.length === header.length)).toBe(true);
    // Newest first across the three actions merged.
    expect(rows.map((r) => r[1])).toEqual(rows.map((r) => r[1]).sort().reverse());
    const open = rows.find((r) => r[col('Action')] === 'share.open')!;
    expect(open[col('Actor')]).toBe(LINK_LABEL);
    expect(open[col('Action (zh)')]).toBe('居民打开链接');
    expect(open[col('Org unit')]).toBe(COMPOUND_NAME);
    expect(JSON.parse(open[col('Detail')])).toMatchObject({ cameras: [simCameraId] });
    // China time is UTC + 8 h.
    expect(Date.parse(`${open[0].replace(' ', 'T')}+08:00`)).toBe(Math.floor(Date.parse(open[1]) / 1000) * 1000);
  });

  it('records who exported the log', async () => {
    await expectRow('audit.export', { actorName: 'admin', targetType: 'audit_log' });
    const [row] = (await audit({ action: 'audit.export' })).items;
    expect(row.detail).toMatchObject({ filters: { action: 'share.' } });
  });

  it('applies the other filters too', async () => {
    const res = await w.t.app.inject({ url: `/api/audit/export.csv?actor=village&orgUnitId=${w.units.dongfeng}`, headers: { cookie: admin.cookie } });
    const [header, ...rows] = parseCsv(res.rawPayload.subarray(3).toString('utf8'));
    expect(rows.length).toBeGreaterThanOrEqual(4); // the village's own login and three task actions
    const actor = header.indexOf('操作人 Actor');
    expect(rows.every((r) => r[actor] === 'village')).toBe(true);
  });
});

describe('only administrators read the audit log', () => {
  it('answers 403 to every other role and 401 without a session', async () => {
    for (const who of [w.county, w.dongcheng, w.chengguan, w.village]) {
      for (const url of ['/api/audit', '/api/audit/export.csv']) {
        expect((await w.t.app.inject({ url, headers: { cookie: who.cookie } })).statusCode, url).toBe(403);
      }
    }
    expect((await w.t.app.inject({ url: '/api/audit' })).statusCode).toBe(401);
    expect((await w.t.app.inject({ url: '/api/audit/export.csv' })).statusCode).toBe(401);
  });
});
