import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DangerDetail, LayoutPush, LayoutPushPage, Stats, TaskPage, TaskSummary } from '../../server/contracts/dispatch';
import { api, buildWorld, dangerAtDongcheng, type World } from './helpers';

describe('overdue scanner and escalation', () => {
  let w: World;
  let http: ReturnType<typeof api>;
  beforeAll(async () => {
    w = await buildWorld();
    http = api(w.t);
  });
  afterAll(() => w.t.close());

  it('marks an open task overdue once, records it, and lets the dispatcher take it back up', async () => {
    const { danger, task } = await dangerAtDongcheng(w);
    await http.post(w.dongcheng, `/api/dispatch/tasks/${task.id}/accept`);
    const child = (await http.post<TaskSummary>(w.dongcheng, `/api/dispatch/tasks/${task.id}/redispatch`, { toUnitId: w.units.dongfeng })).body;

    const later = new Date(Date.parse(task.deadline) + 60_000);
    expect(await w.t.app.dispatch.scanOverdue(later)).toBeGreaterThanOrEqual(2);
    expect(await w.t.app.dispatch.scanOverdue(later)).toBe(0);

    const overdue = (await http.get<TaskPage>(w.dongcheng, '/api/dispatch/tasks?overdue=true')).body.items.map((t) => t.id);
    expect(overdue).toEqual(expect.arrayContaining([task.id, child.id]));
    expect((await http.get<TaskSummary>(w.village, `/api/dispatch/tasks/${child.id}`)).body).toMatchObject({ overdue: true, status: 'dispatched' });

    const history = (await http.get<DangerDetail>(w.county, `/api/dangers/${danger.id}`)).body.history;
    expect(history.filter((h) => h.action === 'overdue').map((h) => h.actorType)).toEqual(['system', 'system']);
    expect((await w.t.app.repos.audit.recent(10, 'dispatch.overdue')).length).toBeGreaterThanOrEqual(2);

    // The village may not escalate; the county (above the township that dispatched it) may.
    expect((await http.post(w.village, `/api/dispatch/tasks/${child.id}/escalate`)).status).toBe(403);
    const up = await http.post<TaskSummary>(w.county, `/api/dispatch/tasks/${task.id}/escalate`, { note: '超期未办，县中心收回' });
    expect(up.body.status).toBe('escalated');
    expect((await http.get<TaskSummary>(w.village, `/api/dispatch/tasks/${child.id}`)).body.status).toBe('escalated');
    expect((await http.get<DangerDetail>(w.county, `/api/dangers/${danger.id}`)).body.danger.status).toBe('escalated');
    expect((await http.post(w.county, `/api/dangers/${danger.id}/dispatch`, { toUnitId: w.units.dongcheng })).status).toBe(201);

    const stats = (await http.get<Stats>(w.county, '/api/stats')).body;
    expect(stats.total).toMatchObject({ found: 1, dispatched: 1, overdue: 1, closed: 0, closureRate: 0 });
  });

});

describe('视频调度: pushing cameras to a subordinate wall', () => {
  let w: World;
  let http: ReturnType<typeof api>;
  let chengguanCameras: number[];
  beforeAll(async () => {
    w = await buildWorld();
    http = api(w.t);
    const path = (await w.t.app.repos.orgUnits.byId(w.units.chengguan))!.path;
    chengguanCameras = (await w.t.app.repos.cameras.list(path, { limit: 4 })).items.map((c) => c.id);
  });
  afterAll(() => w.t.close());

  it('the county pushes to a township, which lists and accepts it once', async () => {
    const sent = await http.post<LayoutPush>(w.county, '/api/dispatch/layouts', { toUnitId: w.units.chengguan, cameraIds: chengguanCameras, note: '集市人员聚集，请关注' });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ fromUnitName: '安澜县', toUnitName: '城关镇', sentBy: 'county', cameraIds: chengguanCameras, status: 'pending' });

    const inbox = (await http.get<LayoutPushPage>(w.chengguan, '/api/dispatch/layouts?status=pending')).body;
    expect(inbox.items.map((p) => p.id)).toEqual([sent.body.id]);
    expect((await http.get<LayoutPushPage>(w.county, '/api/dispatch/layouts?box=outbox')).body.total).toBe(1);
    expect((await http.get(w.dongcheng, `/api/dispatch/layouts/${sent.body.id}`)).status).toBe(404);
    expect((await http.post(w.county, `/api/dispatch/layouts/${sent.body.id}/accept`)).status).toBe(403);

    const accepted = await http.post<LayoutPush>(w.chengguan, `/api/dispatch/layouts/${sent.body.id}/accept`);
    expect(accepted.body).toMatchObject({ status: 'accepted', answeredBy: 'chengguan' });
    const again = await http.post<{ message: string }>(w.chengguan, `/api/dispatch/layouts/${sent.body.id}/dismiss`);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already accepted/);
    expect((await w.t.app.repos.audit.recent(5, 'layout.accept'))[0]).toMatchObject({ actorName: 'chengguan' });
  });

  it('refuses cameras the receiver cannot play, other townships’ walls, and villages sending', async () => {
    const outside = await http.post<{ field: string }>(w.county, '/api/dispatch/layouts', { toUnitId: w.units.dongcheng, cameraIds: [w.cameras.dongfeng, chengguanCameras[0]], note: 'x' });
    expect([outside.status, outside.body.field]).toEqual([400, 'cameraIds.1']);
    expect((await http.post(w.dongcheng, '/api/dispatch/layouts', { toUnitId: w.units.chengguan, cameraIds: [w.cameras.dongfeng], note: 'x' })).status).toBe(404);
    expect((await http.post(w.dongcheng, '/api/dispatch/layouts', { toUnitId: w.units.dongfeng, cameraIds: [chengguanCameras[0]], note: 'x' })).status).toBe(404);
    expect((await http.post(w.village, '/api/dispatch/layouts', { toUnitId: w.units.dongfeng, cameraIds: [w.cameras.dongfeng], note: 'x' })).status).toBe(403);
    const empty = await http.post<{ field: string }>(w.county, '/api/dispatch/layouts', { toUnitId: w.units.chengguan, cameraIds: [], note: 'x' });
    expect([empty.status, empty.body.field]).toEqual([400, 'cameraIds']);
    const noNote = await http.post<{ field: string }>(w.county, '/api/dispatch/layouts', { toUnitId: w.units.chengguan, cameraIds: chengguanCameras });
    expect([noNote.status, noNote.body.field]).toEqual([400, 'note']);
    const ok = await http.post<LayoutPush>(w.dongcheng, '/api/dispatch/layouts', { toUnitId: w.units.dongfeng, cameraIds: [w.cameras.dongfeng], note: '请关注' });
    expect(ok.status).toBe(201);
  });
});
