// Verified closure over the real app: the frame grabbed at 反馈 beside the tag frame (复核), the reason kept when none
// can be had, 复查 after 办结 for categories with a re-check period (due list, scanner, pass, fail → reopened), and
// statistics that count only verified closures with an exact closure rate.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Danger, DangerDetail, DangerPage, Stats, TaskSummary } from '../../server/contracts/dispatch';
import { SnapshotError } from '../../server/media/errors';
import { api, buildWorld, dangerAtDongcheng, FRAME, type World } from './helpers';

/** A second, different JPEG: the "after" picture (the fixture with bytes appended before EOI is still a JPEG). */
const AFTER = Buffer.concat([FRAME.subarray(0, FRAME.length - 2), Buffer.from([0xff, 0xfe, 0x00, 0x04, 0x41, 0x42]), FRAME.subarray(FRAME.length - 2)]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('verified closure (复核 / 复查)', () => {
  let w: World;
  let http: ReturnType<typeof api>;
  let grabs: number[];
  let answer: () => Promise<{ jpeg: Buffer; takenAt: number; source: 'relay' }>;

  beforeAll(async () => {
    w = await buildWorld();
    http = api(w.t);
    grabs = [];
    answer = async () => ({ jpeg: AFTER, takenAt: Date.now(), source: 'relay' });
    // The snapshot service is real, but no camera of the demo county runs here: stand in for its answer only.
    w.t.app.snapshots.snapshot = async (cameraId: number) => {
      grabs.push(cameraId);
      return answer();
    };
  });
  afterAll(() => w.t.close());

  async function resolvedAtDongcheng(category = 'fire') {
    const { danger, task } = await dangerAtDongcheng(w, { category });
    await http.post(w.dongcheng, `/api/dispatch/tasks/${task.id}/accept`);
    const resolved = await http.post<TaskSummary>(w.dongcheng, `/api/dispatch/tasks/${task.id}/resolve`, { feedback: '已处置' });
    expect(resolved.status).toBe(200);
    return { danger, task: resolved.body };
  }

  it('attaches a fresh frame of the same camera at 反馈, served beside the tag frame', async () => {
    grabs = [];
    const { danger, task } = await resolvedAtDongcheng();
    expect(grabs).toEqual([w.cameras.dongfeng]);
    expect(task).toMatchObject({ status: 'resolved', closureFrameUrl: `/api/dispatch/tasks/${task.id}/closure-frame`, closureFrameError: null });
    expect(Date.parse(task.closureFrameAt!)).toBeGreaterThan(Date.now() - 60_000);
    const frame = await http.get(w.county, task.closureFrameUrl!);
    expect(frame.raw.headers['content-type']).toBe('image/jpeg');
    expect(sha(frame.raw.rawPayload)).toBe(sha(AFTER));
    expect(sha(AFTER)).not.toBe(danger.evidenceSha256);
    // Outside the task's scope it does not exist.
    expect((await http.get(w.chengguan, task.closureFrameUrl!)).status).toBe(404);
    const audit = await w.t.app.db.get<{ detail: string }>(`SELECT detail FROM audit_log WHERE action = 'dispatch.resolve' AND target_id = ? ORDER BY id DESC`, [task.id]);
    expect(JSON.parse(audit!.detail)).toMatchObject({ closureFrame: sha(AFTER), closureFrameError: null });
  });

  it('records why there is no frame, and the report still goes through', async () => {
    answer = async () => { throw new SnapshotError('no source'); };
    try {
      const { task } = await resolvedAtDongcheng();
      expect(task).toMatchObject({ status: 'resolved', closureFrameUrl: null, closureFrameAt: null, closureFrameError: 'no source' });
      expect((await http.get(w.county, `/api/dispatch/tasks/${task.id}/closure-frame`)).status).toBe(404);
    } finally {
      answer = async () => ({ jpeg: AFTER, takenAt: Date.now(), source: 'relay' });
    }
  });

  it('grabs no frame for a refused 反馈 (wrong side, wrong state)', async () => {
    const { task } = await dangerAtDongcheng(w);
    grabs = [];
    expect((await http.post(w.county, `/api/dispatch/tasks/${task.id}/resolve`, { feedback: 'x' })).status).toBe(403);
    expect((await http.post(w.dongcheng, `/api/dispatch/tasks/${task.id}/resolve`, { feedback: 'x' })).status).toBe(409);
    expect((await http.post(w.chengguan, `/api/dispatch/tasks/${task.id}/resolve`, { feedback: 'x' })).status).toBe(404);
    expect(grabs).toEqual([]);
  });

  it('carries the village’s frame up to the delegated township task the county verifies', async () => {
    const { task: t1 } = await dangerAtDongcheng(w);
    await http.post(w.dongcheng, `/api/dispatch/tasks/${t1.id}/accept`);
    const t2 = (await http.post<TaskSummary>(w.dongcheng, `/api/dispatch/tasks/${t1.id}/redispatch`, { toUnitId: w.units.dongfeng })).body;
    await http.post(w.village, `/api/dispatch/tasks/${t2.id}/accept`);
    const child = (await http.post<TaskSummary>(w.village, `/api/dispatch/tasks/${t2.id}/resolve`, { feedback: '已清理' })).body;
    const parent = (await http.get<TaskSummary>(w.county, `/api/dispatch/tasks/${t1.id}`)).body;
    expect(parent).toMatchObject({ status: 'resolved', closureFrameAt: child.closureFrameAt, closureFrameError: null });
    expect(sha((await http.get(w.county, parent.closureFrameUrl!)).raw.rawPayload)).toBe(sha(AFTER));
    // 驳回 → the village resolves again with a new frame.
    expect((await http.post(w.county, `/api/dispatch/tasks/${t1.id}/reject`, { reason: '画面仍有杂物' })).status).toBe(200);
    expect((await http.get<TaskSummary>(w.village, `/api/dispatch/tasks/${t2.id}`)).body.status).toBe('handling');
  });

  describe('复查 (re-check)', () => {
    let danger: Danger;
    let task: TaskSummary;

    it('schedules a re-check at 办结 for a category with a period (环境卫生: 3 days), by the unit that closed it', async () => {
      ({ danger, task } = await resolvedAtDongcheng('environment'));
      const before = Date.now();
      expect((await http.post(w.county, `/api/dispatch/tasks/${task.id}/close`)).status).toBe(200);
      const d = (await http.get<DangerDetail>(w.county, `/api/dangers/${danger.id}`)).body;
      expect(d.danger).toMatchObject({ status: 'closed', recheckStatus: 'pending', recheckUnitId: w.units.county });
      const due = Date.parse(d.danger.recheckDueAt!);
      expect(due - before).toBeGreaterThanOrEqual(3 * 86_400_000 - 1000);
      expect(due - before).toBeLessThan(3 * 86_400_000 + 60_000);
      expect(d.history.map((h) => h.action)).toContain('recheck-scheduled');
      // A category without a period is closed for good at once.
      const plain = await resolvedAtDongcheng('fire');
      await http.post(w.county, `/api/dispatch/tasks/${plain.task.id}/close`);
      expect((await http.get<DangerDetail>(w.county, `/api/dangers/${plain.danger.id}`)).body.danger).toMatchObject({ status: 'closed', recheckStatus: null });
    });

    it('refuses a verdict before it is due, from another unit, and a failure without a note', async () => {
      expect((await http.post(w.county, `/api/dangers/${danger.id}/recheck`, { verdict: 'pass' })).status).toBe(409);
      await w.t.app.db.run('UPDATE dangers SET recheck_due_at = ? WHERE id = ?', [new Date(Date.now() - 1000).toISOString(), danger.id]);
      expect((await http.post(w.dongcheng, `/api/dangers/${danger.id}/recheck`, { verdict: 'pass' })).status).toBe(403);
      expect((await http.post(w.chengguan, `/api/dangers/${danger.id}/recheck`, { verdict: 'pass' })).status).toBe(404);
      const noNote = await http.post<{ field: string }>(w.county, `/api/dangers/${danger.id}/recheck`, { verdict: 'fail' });
      expect(noNote.status).toBe(400);
      expect(noNote.raw.body).toContain('note');
      const bad = await http.post(w.county, `/api/dangers/${danger.id}/recheck`, { verdict: 'maybe' });
      expect(bad.status).toBe(400);
      expect(bad.raw.body).toContain('verdict');
    });

    it('lists due re-checks for the re-checking unit and announces each once', async () => {
      const due = (await http.get<DangerPage>(w.county, '/api/dangers?recheck=due')).body;
      expect(due.items.map((d) => d.id)).toContain(danger.id);
      expect((await http.get<DangerPage>(w.dongcheng, '/api/dangers?recheck=due')).body.items.map((d) => d.id)).not.toContain(danger.id);
      expect(await w.t.app.dispatch.scanRecheckDue()).toBeGreaterThanOrEqual(1);
      expect(await w.t.app.dispatch.scanRecheckDue()).toBe(0);
      const event = await w.t.app.db.get<{ payload: string }>(`SELECT payload FROM events WHERE type = 'danger:recheck' ORDER BY seq DESC`);
      expect(JSON.parse(event!.payload)).toMatchObject({ dangerId: danger.id, stage: 'due', recheckUnitId: w.units.county });
    });

    it('a failed re-check reopens the danger with its history; dispatched and closed again it waits again; passed it is closed for good', async () => {
      const failed = await http.post<Danger>(w.county, `/api/dangers/${danger.id}/recheck`, { verdict: 'fail', note: '杂物又堆回来了' });
      expect(failed.status).toBe(200);
      expect(failed.body).toMatchObject({ status: 'returned', recheckStatus: 'failed' });
      const detail = (await http.get<DangerDetail>(w.county, `/api/dangers/${danger.id}`)).body;
      expect(detail.tasks.find((t) => t.id === task.id)?.status).toBe('closed');
      expect(detail.history.map((h) => h.action)).toEqual(expect.arrayContaining(['resolve', 'close', 'recheck-due', 'recheck-fail']));
      expect((await w.t.app.db.get<{ c: string | null }>('SELECT closed_at AS c FROM dangers WHERE id = ?', [danger.id]))!.c).toBeNull();
      expect((await http.post(w.county, `/api/dangers/${danger.id}/recheck`, { verdict: 'pass' })).status).toBe(409);

      const again = await http.post<TaskSummary>(w.county, `/api/dangers/${danger.id}/dispatch`, { toUnitId: w.units.dongcheng });
      expect(again.status).toBe(201);
      await http.post(w.dongcheng, `/api/dispatch/tasks/${again.body.id}/accept`);
      await http.post(w.dongcheng, `/api/dispatch/tasks/${again.body.id}/resolve`, { feedback: '再次清理' });
      await http.post(w.county, `/api/dispatch/tasks/${again.body.id}/close`);
      expect((await http.get<DangerDetail>(w.county, `/api/dangers/${danger.id}`)).body.danger).toMatchObject({ status: 'closed', recheckStatus: 'pending' });
      await w.t.app.db.run('UPDATE dangers SET recheck_due_at = ? WHERE id = ?', [new Date(Date.now() - 1000).toISOString(), danger.id]);
      const passed = await http.post<Danger>(w.county, `/api/dangers/${danger.id}/recheck`, { verdict: 'pass', note: '复查无问题' });
      expect(passed.body).toMatchObject({ status: 'closed', recheckStatus: 'passed' });
      const audits = await w.t.app.db.all<{ action: string }>(`SELECT action FROM audit_log WHERE target_type = 'danger' AND target_id = ? ORDER BY id`, [danger.id]);
      expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['danger.recheck-due', 'danger.recheck-fail', 'danger.recheck-pass']));
    });
  });

  it('counts verified closures only and gives the exact closure rate', async () => {
    // One more closed danger waiting for its re-check: dispatched, not counted as closed.
    const waiting = await resolvedAtDongcheng('illegal-building');
    await http.post(w.county, `/api/dispatch/tasks/${waiting.task.id}/close`);
    const stats = (await http.get<Stats>(w.county, '/api/stats')).body;
    const rows = await w.t.app.db.all<{ status: string; recheck: string | null; dispatched: string | null }>(
      'SELECT status, recheck_status AS recheck, first_dispatched_at AS dispatched FROM dangers',
    );
    const dispatched = rows.filter((r) => r.dispatched).length;
    const verified = rows.filter((r) => r.status === 'closed' && r.recheck !== 'pending').length;
    expect(stats.total).toMatchObject({ dispatched, closed: verified, pendingRecheck: 1 });
    const hundredths = Math.floor((verified * 10_000) / dispatched);
    expect(stats.total.closureRatePercent).toBe(`${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`);
    const csv = await http.get(w.county, '/api/stats/export.csv');
    expect(csv.raw.body).toContain('办结率(%) Closure rate (%)');
    expect(csv.raw.body).toContain(stats.total.closureRatePercent!);
  });
});
