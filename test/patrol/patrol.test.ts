// 视频巡查 through the real app and a real SQLite file: plans with their scope checks, the scheduler turning shifts into
// runs, a run driven camera by camera (marks with frames, a danger found), hand-over, overdue flags and statistics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Danger } from '../../server/contracts/dispatch';
import type { PatrolPlan, PatrolRun, PatrolRunDetail, PatrolRunPage, PatrolStats } from '../../server/contracts/patrol';
import type { Login } from '../helpers/app';
import { api, buildWorld, dangerBody, FRAME_B64, type World } from '../dispatch/helpers';

describe('视频巡查: plans, runs, marks, statistics', () => {
  let w: World;
  let http: ReturnType<typeof api>;
  let dongchengCameras: number[];
  let plan: PatrolPlan;
  const send = async <T>(who: Login, method: 'PUT' | 'DELETE', url: string, payload?: object) => {
    const res = await w.t.app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: (res.body ? res.json() : undefined) as T };
  };
  const planBody = (extra: Record<string, unknown> = {}) => ({
    name: '东城街道早班巡查', orgUnitId: w.units.dongcheng, cameraIds: dongchengCameras, shifts: ['09:00'], dwellSec: 20, windowMin: 60, ...extra,
  });
  const userId = async (name: string) => (await w.t.app.repos.users.credentials(name))!.id;

  beforeAll(async () => {
    w = await buildWorld();
    http = api(w.t);
    const unit = (await w.t.app.repos.orgUnits.byId(w.units.dongcheng))!;
    dongchengCameras = (await w.t.app.repos.cameras.list(unit.path, { limit: 3 })).items.map((c) => c.id);
    expect(dongchengCameras).toHaveLength(3);
  });
  afterAll(() => w.t.close());

  it('creates a plan inside the caller’s area only, naming the field that is wrong', async () => {
    const outside = await http.post<{ field: string }>(w.county, '/api/patrol/plans', planBody({ cameraIds: [dongchengCameras[0], w.cameras.chengguan] }));
    expect(outside.status).toBe(400);
    expect(JSON.stringify(outside.body)).toContain('cameraIds/1');
    expect((await http.post(w.county, '/api/patrol/plans', planBody({ shifts: ['25:00'] }))).status).toBe(400);
    // A township cannot plan for another township (it does not exist for them) nor see its cameras.
    expect((await http.post(w.chengguan, '/api/patrol/plans', planBody())).status).toBe(404);
    expect((await http.post(w.chengguan, '/api/patrol/plans', planBody({ orgUnitId: w.units.chengguan }))).status).toBe(400);

    const created = await http.post<PatrolPlan>(w.county, '/api/patrol/plans', planBody());
    expect(created.status).toBe(201);
    plan = created.body;
    expect(plan).toMatchObject({ orgUnitId: w.units.dongcheng, cameraIds: dongchengCameras, shifts: ['09:00'], weekdays: 127, active: true });
    expect((await http.get<{ items: PatrolPlan[] }>(w.dongcheng, '/api/patrol/plans')).body.items.map((p) => p.id)).toContain(plan.id);
    expect((await http.get<{ items: PatrolPlan[] }>(w.chengguan, '/api/patrol/plans')).body.items).toEqual([]);
    expect((await send(w.chengguan, 'PUT', `/api/patrol/plans/${plan.id}`, planBody())).status).toBe(404);
    expect((await w.t.app.repos.audit.recent(5, 'patrol.plan-save')).length).toBe(1);
  });

  it('turns each shift into one run, once, and tells the unit that runs it', async () => {
    const seq = await w.t.app.repos.events.lastSeq();
    const dayLater = new Date(Date.parse(plan.createdAt) + 86_400_000);
    expect(await w.t.app.patrol.scheduleDue(dayLater)).toBe(1);
    expect(await w.t.app.patrol.scheduleDue(dayLater)).toBe(0);
    const heard = (await w.t.app.repos.events.since('/', seq, 50)).filter((e) => e.event === 'patrol:due');
    expect(heard).toHaveLength(1);
    const dongchengPath = (await w.t.app.repos.orgUnits.byId(w.units.dongcheng))!.path;
    expect((await w.t.app.repos.events.since(dongchengPath, seq, 50)).map((e) => e.event)).toContain('patrol:due');
    const chengguanPath = (await w.t.app.repos.orgUnits.byId(w.units.chengguan))!.path;
    expect((await w.t.app.repos.events.since(chengguanPath, seq, 50)).map((e) => e.event)).not.toContain('patrol:due');
    // 09:00 Beijing is 01:00 UTC.
    const res = await http.get<PatrolRunPage>(w.dongcheng, '/api/patrol/runs?state=due');
    const runs = res.body;
    expect(runs.total).toBe(1);
    expect(runs.items[0]).toMatchObject({ planId: plan.id, state: 'due', cameraCount: 3, marked: 0 });
    expect(runs.items[0].dueAt).toMatch(/T01:00:00\.000Z$/);
    expect((await http.get<PatrolRunPage>(w.chengguan, '/api/patrol/runs')).body.total).toBe(0);
  });

  it('runs a patrol camera by camera: only its operator marks, a danger mark names the danger, completion needs every camera', async () => {
    const runId = (await http.get<PatrolRunPage>(w.dongcheng, '/api/patrol/runs?state=due')).body.items[0].id;
    expect((await http.post(w.chengguan, `/api/patrol/runs/${runId}/start`)).status).toBe(404);
    expect((await http.post(w.dongcheng, `/api/patrol/runs/${runId}/pause`)).status).toBe(409);
    const started = await http.post<PatrolRun>(w.dongcheng, `/api/patrol/runs/${runId}/start`);
    expect(started.body).toMatchObject({ state: 'running', operator: 'dongcheng' });
    expect((await http.post(w.dongcheng, `/api/patrol/runs/${runId}/start`)).status).toBe(409);
    // The county sees the run but does not hold it.
    expect((await http.post(w.county, `/api/patrol/runs/${runId}/marks`, { cameraId: dongchengCameras[0], result: 'normal', playedSec: 20 })).status).toBe(403);

    const mark = (body: Record<string, unknown>) => http.post<PatrolRun>(w.dongcheng, `/api/patrol/runs/${runId}/marks`, body);
    expect((await mark({ cameraId: w.cameras.chengguan, result: 'normal', playedSec: 20 })).status).toBe(400);
    const noDanger = await mark({ cameraId: dongchengCameras[1], result: 'danger', playedSec: 12 });
    expect(noDanger.status).toBe(400);
    expect(JSON.stringify(noDanger.body)).toContain('dangerId');
    expect((await mark({ cameraId: dongchengCameras[0], result: 'normal', playedSec: 19.6, frameJpeg: FRAME_B64 })).body.marked).toBe(1);

    const danger = (await http.post<Danger>(w.dongcheng, '/api/dangers', dangerBody(dongchengCameras[1]))).body;
    const other = (await http.post<Danger>(w.dongcheng, '/api/dangers', dangerBody(dongchengCameras[0]))).body;
    expect((await mark({ cameraId: dongchengCameras[1], result: 'danger', playedSec: 8, dangerId: other.id })).status).toBe(400);
    expect((await mark({ cameraId: dongchengCameras[1], result: 'danger', playedSec: 8, dangerId: danger.id })).body.marked).toBe(2);

    const early = await http.post<{ message: string }>(w.dongcheng, `/api/patrol/runs/${runId}/complete`);
    expect(early.status).toBe(409);
    expect(early.body.message).toContain(`camera ${dongchengCameras[2]}`);
    expect((await mark({ cameraId: dongchengCameras[2], result: 'abnormal', playedSec: 0, note: '画面黑屏' })).body).toMatchObject({ marked: 3, findings: 2 });
    // 画面异常 opened a maintenance ticket for that camera (运维工单), with the operator's note.
    const tickets = (await http.get<{ items: Array<{ cameraId: number; origin: string; note: string }> }>(w.county, '/api/maintenance/tickets')).body.items;
    expect(tickets.filter((t) => t.cameraId === dongchengCameras[2])).toEqual([expect.objectContaining({ origin: 'picture', note: '画面黑屏' })]);
    const done = await http.post<PatrolRun>(w.dongcheng, `/api/patrol/runs/${runId}/complete`);
    expect(done.body).toMatchObject({ state: 'completed', marked: 3, findings: 2, overdue: false });

    const detail = (await http.get<PatrolRunDetail>(w.county, `/api/patrol/runs/${runId}`)).body;
    expect(detail.cameras.map((c) => c.id)).toEqual(dongchengCameras);
    expect(detail.marks.find((m) => m.cameraId === dongchengCameras[0])).toMatchObject({ result: 'normal', playedSec: 19.6, hasFrame: true, markedBy: 'dongcheng' });
    expect(detail.marks.find((m) => m.cameraId === dongchengCameras[1])).toMatchObject({ result: 'danger', dangerId: danger.id });
    const frame = await w.t.app.inject({ method: 'GET', url: `/api/patrol/runs/${runId}/cameras/${dongchengCameras[0]}/frame.jpg`, headers: w.county.headers });
    expect(frame.statusCode).toBe(200);
    expect(frame.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect((await w.t.app.inject({ method: 'GET', url: `/api/patrol/runs/${runId}/cameras/${dongchengCameras[2]}/frame.jpg`, headers: w.county.headers })).statusCode).toBe(404);
    expect((await w.t.app.repos.audit.recent(10, 'patrol.complete')).length).toBe(1);
  });

  it('hands a run over to a colleague whose area holds it, and flags an unfinished run overdue once', async () => {
    const twoDaysLater = new Date(Date.parse(plan.createdAt) + 2 * 86_400_000);
    expect(await w.t.app.patrol.scheduleDue(twoDaysLater)).toBe(1);
    const run = (await http.get<PatrolRunPage>(w.dongcheng, '/api/patrol/runs?state=due')).body.items[0];
    await http.post(w.dongcheng, `/api/patrol/runs/${run.id}/start`);
    expect((await http.post(w.dongcheng, `/api/patrol/runs/${run.id}/handover`, { toUserId: await userId('chengguan') })).status).toBe(400);
    expect((await http.post(w.dongcheng, `/api/patrol/runs/${run.id}/handover`, {})).status).toBe(400);
    // Offered: the county's operator (above 东城街道), not 城关镇's officer nor the operator himself.
    const offered = (await http.get<{ items: Array<{ username: string }> }>(w.dongcheng, `/api/patrol/runs/${run.id}/colleagues`)).body.items.map((u) => u.username);
    expect(offered).toContain('county');
    expect(offered).not.toContain('chengguan');
    expect(offered).not.toContain('dongcheng');
    const handed = await http.post<PatrolRun>(w.dongcheng, `/api/patrol/runs/${run.id}/handover`, { toUserId: await userId('county') });
    expect(handed.body).toMatchObject({ state: 'paused', operator: 'county' });
    expect((await http.post(w.dongcheng, `/api/patrol/runs/${run.id}/resume`)).status).toBe(403);
    expect((await http.post<PatrolRun>(w.county, `/api/patrol/runs/${run.id}/resume`)).body.state).toBe('running');

    const seq = await w.t.app.repos.events.lastSeq();
    const late = new Date(Date.parse(run.deadline) + 60_000);
    expect(await w.t.app.patrol.scanOverdue(new Date(Date.parse(run.deadline) - 1000))).toBe(0);
    expect(await w.t.app.patrol.scanOverdue(late)).toBe(1);
    expect(await w.t.app.patrol.scanOverdue(late)).toBe(0);
    // Flagged up the chain: the county hears it like an overdue task.
    const countyPath = (await w.t.app.repos.orgUnits.byId(w.units.county))!.path;
    const heard = (await w.t.app.repos.events.since(countyPath, seq, 50)).filter((e) => e.event === 'patrol:overdue');
    expect(heard.map((e) => (e.payload as { runId: number }).runId)).toEqual([run.id]);
  });

  it('counts runs due, completed, on time, coverage and findings by unit and operator, and exports them', async () => {
    const stats = (await http.get<PatrolStats>(w.county, `/api/patrol/stats?to=${new Date(Date.now() + 3 * 86_400_000).toISOString()}`)).body;
    expect(stats.total).toMatchObject({ due: 2, completed: 1, onTime: 1, overdue: 1, camerasAsked: 6, camerasMarked: 3, coverage: 0.5, findings: 2, dangers: 1 });
    expect(stats.byUnit).toHaveLength(1);
    expect(stats.byUnit[0]).toMatchObject({ key: String(w.units.dongcheng), due: 2 });
    expect(stats.byUnit[0].name).toContain('/');
    expect(Object.fromEntries(stats.byOperator.map((r) => [r.key, r.completed]))).toEqual({ dongcheng: 1, county: 0 });
    expect((await http.get<PatrolStats>(w.chengguan, '/api/patrol/stats')).body.total.due).toBe(0);
    const csv = await w.t.app.inject({ method: 'GET', url: '/api/patrol/stats/export.csv?groupBy=operator', headers: w.county.headers });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toContain('覆盖率 Coverage');
    expect(lines.at(-1)).toMatch(/^合计,/);
  });

  it('deletes a plan: no more runs, its runs stay in the statistics', async () => {
    expect((await send(w.county, 'DELETE', `/api/patrol/plans/${plan.id}`)).status).toBe(204);
    expect((await http.get<{ items: PatrolPlan[] }>(w.county, '/api/patrol/plans')).body.items).toEqual([]);
    expect(await w.t.app.patrol.scheduleDue(new Date(Date.parse(plan.createdAt) + 5 * 86_400_000))).toBe(0);
    expect((await http.get<PatrolRunPage>(w.county, '/api/patrol/runs')).body.total).toBe(2);
  });
});
