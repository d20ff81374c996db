// Who may do what, through the API: out of scope answers 404 as if absent, in scope on the wrong side answers 403,
// an action the state does not allow answers 409 naming both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DangerDetail, TaskPage, TaskSummary } from '../../server/contracts/dispatch';
import { api, buildWorld, dangerAtDongcheng, dangerBody, type World } from './helpers';

describe('permission matrix', () => {
  let w: World;
  let http: ReturnType<typeof api>;
  beforeAll(async () => {
    w = await buildWorld();
    http = api(w.t);
  });
  afterAll(() => w.t.close());

  it('another township neither sees nor acts on a task, its danger or its evidence (404, no names leaked)', async () => {
    const { danger, task } = await dangerAtDongcheng(w);
    for (const url of [`/api/dispatch/tasks/${task.id}`, `/api/dangers/${danger.id}`, danger.evidenceUrl]) {
      const res = await http.get(w.chengguan, url);
      expect(res.status).toBe(404);
      expect(res.raw.body).not.toMatch(/东城|安澜/);
    }
    for (const action of ['accept', 'return', 'close']) {
      expect((await http.post(w.chengguan, `/api/dispatch/tasks/${task.id}/${action}`, action === 'return' ? { reason: 'x' } : {})).status).toBe(404);
    }
    expect((await http.get<TaskPage>(w.chengguan, '/api/dispatch/tasks')).body.items.map((t) => t.id)).not.toContain(task.id);
    // The village below the township does not see the county → township task either.
    expect((await http.get(w.village, `/api/dispatch/tasks/${task.id}`)).status).toBe(404);
  });

  it('the receiver and the dispatcher each keep to their own side (403)', async () => {
    const { task } = await dangerAtDongcheng(w);
    // A bare POST without a body is fine for actions whose note is optional.
    const bare = await w.t.app.inject({ method: 'POST', url: `/api/dispatch/tasks/${task.id}/accept`, headers: w.county.headers });
    expect(bare.statusCode).toBe(403);
    const county = await http.post<{ message: string }>(w.county, `/api/dispatch/tasks/${task.id}/accept`);
    expect(county.status).toBe(403);
    expect(county.body.message).toMatch(/Only 东城街道/);
    const bareAccept = await w.t.app.inject({ method: 'POST', url: `/api/dispatch/tasks/${task.id}/accept`, headers: w.dongcheng.headers });
    expect(bareAccept.json()).toMatchObject({ status: 'accepted', id: task.id });
    await http.post(w.dongcheng, `/api/dispatch/tasks/${task.id}/resolve`, { feedback: '已处理' });
    const selfClose = await http.post<{ message: string }>(w.dongcheng, `/api/dispatch/tasks/${task.id}/close`);
    expect(selfClose.status).toBe(403);
    expect(selfClose.body.message).toMatch(/Only 安澜县, which dispatched/);
    expect((await http.post<TaskSummary>(w.county, `/api/dispatch/tasks/${task.id}/reject`, { reason: '照片不清楚' })).body.status).toBe('handling');
  });

  it('a village cannot dispatch; a township dispatches only to its own villages; the county only to townships', async () => {
    const created = await http.post<{ id: number }>(w.village, '/api/dangers', dangerBody(w.cameras.dongfeng));
    expect(created.status).toBe(201);
    const id = created.body.id;
    const byVillage = await http.post<{ message: string }>(w.village, `/api/dangers/${id}/dispatch`, { toUnitId: w.units.dongfeng });
    expect(byVillage.status).toBe(403);
    expect(byVillage.body.message).toMatch(/cannot dispatch/);

    // The township above the reporting village may dispatch it, to its own village only.
    expect((await http.post(w.dongcheng, `/api/dangers/${id}/dispatch`, { toUnitId: w.units.chengguanVillage })).status).toBe(404);
    const skip = await http.post<{ field: string }>(w.county, `/api/dangers/${id}/dispatch`, { toUnitId: w.units.dongfeng });
    expect(skip.status).toBe(400);
    expect(skip.body.field).toBe('toUnitId');
    const wrongPlace = await http.post<{ message: string }>(w.county, `/api/dangers/${id}/dispatch`, { toUnitId: w.units.chengguan });
    expect(wrongPlace.status).toBe(400);
    expect(wrongPlace.body.message).toMatch(/not inside 城关镇/);
    const other = await http.post<{ message: string }>(w.dongcheng, `/api/dangers/${id}/dispatch`, { toUnitId: w.units.otherDongchengVillage });
    expect(other.status).toBe(400);
    expect(other.body.message).toMatch(/is located in/);
    const ok = await http.post<TaskSummary>(w.dongcheng, `/api/dangers/${id}/dispatch`, { toUnitId: w.units.dongfeng });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ fromUnitName: '东城街道', toUnitName: w.villageName });

    // Re-dispatch from a village's task: a village has nobody to send to.
    await http.post(w.village, `/api/dispatch/tasks/${ok.body.id}/accept`);
    expect((await http.post(w.village, `/api/dispatch/tasks/${ok.body.id}/redispatch`, { toUnitId: w.units.dongfeng })).status).toBe(403);
  });

  it('a township cannot dispatch a danger the county reported; nobody dispatches it twice', async () => {
    const { danger } = await dangerAtDongcheng(w);
    const twice = await http.post<{ message: string }>(w.county, `/api/dangers/${danger.id}/dispatch`, { toUnitId: w.units.dongcheng });
    expect(twice.status).toBe(409);
    expect(twice.body.message).toMatch(/Cannot dispatch .*dispatched/);
    const fresh = await http.post<{ id: number }>(w.county, '/api/dangers', dangerBody(w.cameras.dongfeng));
    const township = await http.post<{ message: string }>(w.dongcheng, `/api/dangers/${fresh.body.id}/dispatch`, { toUnitId: w.units.dongfeng });
    expect(township.status).toBe(403);
    expect(township.body.message).toMatch(/reported by 安澜县/);
  });

  it('illegal transitions answer 409 naming the state and the action, and change nothing', async () => {
    const { danger, task } = await dangerAtDongcheng(w);
    const early = await http.post<{ message: string }>(w.dongcheng, `/api/dispatch/tasks/${task.id}/resolve`, { feedback: 'x' });
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/Cannot resolve .*dispatched/);
    await http.post(w.dongcheng, `/api/dispatch/tasks/${task.id}/accept`);
    const again = await http.post<{ message: string }>(w.dongcheng, `/api/dispatch/tasks/${task.id}/accept`);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/Cannot accept \(签收\) a task that is accepted/);
    const notOverdue = await http.post<{ message: string }>(w.county, `/api/dispatch/tasks/${task.id}/escalate`);
    expect(notOverdue.status).toBe(409);
    expect(notOverdue.body.message).toMatch(/not overdue/);
    const history = (await http.get<DangerDetail>(w.county, `/api/dangers/${danger.id}`)).body.history;
    expect(history.map((h) => h.action)).toEqual(['created', 'dispatch', 'accept']);
  });

  it('a return goes back to the dispatcher with its reason, and the danger can be dispatched again', async () => {
    const { danger, task } = await dangerAtDongcheng(w);
    const returned = await http.post<TaskSummary>(w.dongcheng, `/api/dispatch/tasks/${task.id}/return`, { reason: '不属于本辖区职责' });
    expect(returned.body).toMatchObject({ status: 'returned', returnReason: '不属于本辖区职责' });
    const detail = (await http.get<DangerDetail>(w.county, `/api/dangers/${danger.id}`)).body;
    expect(detail.danger.status).toBe('returned');
    expect((await http.post(w.county, `/api/dangers/${danger.id}/dispatch`, { toUnitId: w.units.dongcheng })).status).toBe(201);
  });
});
