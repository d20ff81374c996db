import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DangerDetail, DangerPage, Stats, TaskPage, TaskSummary, Taxonomy } from '../../server/contracts/dispatch';
import { api, buildWorld, dangerAtDongcheng, FRAME, type World } from './helpers';

describe('the full loop: county → township → village → back', () => {
  let w: World;
  let http: ReturnType<typeof api>;
  beforeAll(async () => {
    w = await buildWorld();
    http = api(w.t);
  });
  afterAll(() => w.t.close());

  it('serves the taxonomy with Chinese and English labels', async () => {
    const { status, body } = await http.get<Taxonomy>(w.village, '/api/dangers/taxonomy');
    expect(status).toBe(200);
    expect(body.categories.map((c) => c.name)).toEqual(['消防隐患', '道路交通', '违章搭建', '治安', '环境卫生', '人员聚集', '其他']);
    expect(body.severities.map((s) => `${s.key}:${s.name}`)).toEqual(['general:一般', 'major:较大', 'critical:重大']);
  });

  it('tags, dispatches, accepts, re-dispatches, resolves and closes, with history, audit and statistics', async () => {
    const { danger, task: t1 } = await dangerAtDongcheng(w);
    expect(danger).toMatchObject({ status: 'reported', category: 'fire', severity: 'major', cameraId: w.cameras.dongfeng, orgUnitName: w.villageName });

    // Evidence: stored under its hash, served back byte for byte.
    const sha = createHash('sha256').update(FRAME).digest('hex');
    expect(danger.evidenceSha256).toBe(sha);
    expect(existsSync(join(w.t.dataDir, 'evidence', `${sha}.jpg`))).toBe(true);
    const evidence = await http.get(w.village, danger.evidenceUrl);
    expect(evidence.raw.headers['content-type']).toBe('image/jpeg');
    expect(Buffer.compare(evidence.raw.rawPayload, FRAME)).toBe(0);

    expect(t1).toMatchObject({ status: 'dispatched', fromUnitName: '安澜县', toUnitName: '东城街道', note: '请尽快处置', overdue: false });
    const inbox = await http.get<TaskPage>(w.dongcheng, '/api/dispatch/tasks?box=inbox&status=dispatched');
    expect(inbox.body.items.map((t) => t.id)).toContain(t1.id);
    expect(inbox.body.items.find((t) => t.id === t1.id)).toMatchObject({ category: 'fire', evidenceUrl: danger.evidenceUrl });

    expect((await http.post<TaskSummary>(w.dongcheng, `/api/dispatch/tasks/${t1.id}/accept`, { note: '已签收' })).body.status).toBe('accepted');
    const sent = await http.post<TaskSummary>(w.dongcheng, `/api/dispatch/tasks/${t1.id}/redispatch`, { toUnitId: w.units.dongfeng, note: '请社区核实' });
    expect(sent.status).toBe(201);
    const t2 = sent.body;
    expect(t2).toMatchObject({ parentId: t1.id, status: 'dispatched', fromUnitName: '东城街道', toUnitName: w.villageName, deadline: t1.deadline });

    expect((await http.post<TaskSummary>(w.village, `/api/dispatch/tasks/${t2.id}/accept`)).body.status).toBe('accepted');
    expect((await http.post<TaskSummary>(w.village, `/api/dispatch/tasks/${t2.id}/handle`, { note: '已到场' })).body.status).toBe('handling');
    const resolved = await http.post<TaskSummary>(w.village, `/api/dispatch/tasks/${t2.id}/resolve`, { feedback: '杂物已清理', photoJpeg: FRAME.toString('base64') });
    expect(resolved.body).toMatchObject({ status: 'resolved', feedback: '杂物已清理', feedbackPhotoUrl: `/api/dispatch/tasks/${t2.id}/photo` });
    const photo = await http.get(w.county, `/api/dispatch/tasks/${t2.id}/photo`);
    expect(photo.status).toBe(200);

    // The village's feedback answers the county: the township task is resolved with it.
    const up = (await http.get<TaskSummary>(w.county, `/api/dispatch/tasks/${t1.id}`)).body;
    expect(up).toMatchObject({ status: 'resolved', feedback: `${w.villageName}: 杂物已清理` });
    expect((await http.get<DangerDetail>(w.county, `/api/dangers/${danger.id}`)).body.danger.status).toBe('resolved');

    const closed = await http.post<TaskSummary>(w.county, `/api/dispatch/tasks/${t1.id}/close`, { note: '核查属实，办结' });
    expect(closed.body.status).toBe('closed');
    expect((await http.get<TaskSummary>(w.village, `/api/dispatch/tasks/${t2.id}`)).body.status).toBe('closed');

    const detail = (await http.get<DangerDetail>(w.county, `/api/dangers/${danger.id}`)).body;
    expect(detail.danger).toMatchObject({ status: 'closed', task: { id: t1.id, status: 'closed' } });
    expect(detail.tasks.map((t) => t.id)).toEqual([t1.id, t2.id]);
    expect(detail.history.map((h) => `${h.taskId ?? '-'}:${h.action}:${h.toStatus}`)).toEqual([
      '-:created:reported',
      `${t1.id}:dispatch:dispatched`,
      `${t1.id}:accept:accepted`,
      `${t1.id}:redispatch:delegated`,
      `${t2.id}:redispatch:dispatched`,
      `${t2.id}:accept:accepted`,
      `${t2.id}:handle:handling`,
      `${t2.id}:resolve:resolved`,
      `${t1.id}:cascade:resolved`,
      `${t1.id}:close:closed`,
      `${t2.id}:cascade:closed`,
    ]);
    expect(detail.history.find((h) => h.action === 'close')).toMatchObject({ actorName: 'county', actorUnitName: '安澜县', note: '核查属实，办结' });

    // The village sees its own task and the danger, not the county → township leg.
    const villageView = (await http.get<DangerDetail>(w.village, `/api/dangers/${danger.id}`)).body;
    expect(villageView.tasks.map((t) => t.id)).toEqual([t2.id]);
    expect(villageView.history.every((h) => h.taskId === null || h.taskId === t2.id)).toBe(true);

    const audit = (await w.t.app.repos.audit.recent(100)).filter((a) => a.targetType === 'task' || a.targetType === 'danger').reverse();
    expect(audit.map((a) => `${a.action}:${a.actorName}`)).toEqual([
      'danger.create:county', 'dispatch.dispatch:county', 'dispatch.accept:dongcheng', 'dispatch.redispatch:dongcheng',
      'dispatch.redispatch:dongcheng', 'dispatch.accept:village', 'dispatch.handle:village', 'dispatch.resolve:village', 'dispatch.close:county',
    ]);

    // Statistics come from the same tables: the county, the township and another township each see their share.
    const stats = (await http.get<Stats>(w.county, '/api/stats')).body;
    expect(stats.total).toMatchObject({ found: 1, dispatched: 1, closed: 1, returned: 0, overdue: 0, closureRate: 1 });
    expect(stats.total.avgAcceptSec).toBeGreaterThanOrEqual(0);
    expect(stats.byUnit.find((r) => r.name === '东城街道')).toMatchObject({ found: 1, closed: 1 });
    expect(stats.byUnit.find((r) => r.name === '城关镇')).toMatchObject({ found: 0, closureRate: null });
    expect(stats.byCategory.find((r) => r.key === 'fire')).toMatchObject({ name: '消防隐患', found: 1 });
    expect(stats.byNetwork.reduce((s, r) => s + r.found, 0)).toBe(1);
    const township = (await http.get<Stats>(w.dongcheng, '/api/stats')).body;
    expect(township.scope.name).toBe('东城街道');
    expect(township.byUnit.find((r) => r.name === w.villageName)).toMatchObject({ found: 1, closed: 1 });
    expect((await http.get<Stats>(w.chengguan, '/api/stats')).body.total.found).toBe(0);
    expect((await http.get(w.chengguan, `/api/stats?orgUnitId=${w.units.dongcheng}`)).status).toBe(404);

    const csv = await http.get(w.county, '/api/stats/export.csv?groupBy=unit');
    expect(csv.raw.headers['content-type']).toMatch(/text\/csv; charset=utf-8/);
    expect(csv.raw.body.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.raw.body.slice(1).trim().split('\r\n');
    expect(lines[0]).toMatch(/^名称 Name,发现 Found,/);
    expect(lines.find((l) => l.startsWith('东城街道,'))).toMatch(/^东城街道,1,1,1,0,0,1,/);
    expect(lines.at(-1)).toMatch(/^合计,1,1,1,/);
  });

  it('lists and filters dangers by unit, category, status and time, scoped', async () => {
    await dangerAtDongcheng(w, { category: 'road', severity: 'critical' });
    const all = (await http.get<DangerPage>(w.county, '/api/dangers')).body;
    expect(all.total).toBeGreaterThanOrEqual(2);
    const road = (await http.get<DangerPage>(w.county, '/api/dangers?category=road')).body;
    expect(road.items.every((d) => d.category === 'road')).toBe(true);
    expect(road.items[0].task).toMatchObject({ status: 'dispatched', toUnitName: '东城街道' });
    expect((await http.get<DangerPage>(w.county, '/api/dangers?status=closed')).body.total).toBe(1);
    expect((await http.get<DangerPage>(w.county, `/api/dangers?orgUnitId=${w.units.chengguan}`)).body.total).toBe(0);
    expect((await http.get<DangerPage>(w.county, `/api/dangers?orgUnitId=${w.units.dongfeng}`)).body.total).toBe(all.total);
    expect((await http.get<DangerPage>(w.county, `/api/dangers?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).body.total).toBe(0);
    expect((await http.get<DangerPage>(w.county, '/api/dangers?limit=1&offset=1')).body.items).toHaveLength(1);
    expect((await http.get<DangerPage>(w.chengguan, '/api/dangers')).body.total).toBe(0);
    expect((await http.get(w.chengguan, `/api/dangers?orgUnitId=${w.units.dongcheng}`)).status).toBe(404);
  });
});
