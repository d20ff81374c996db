// Bad bodies answer 400 (413 when too big) naming the field, and write nothing: no row, no file, no event.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_IMAGE_BYTES } from '../../server/dispatch/evidence';
import { api, buildWorld, dangerAtDongcheng, dangerBody, FRAME, type World } from './helpers';

describe('invalid requests write nothing', () => {
  let w: World;
  let http: ReturnType<typeof api>;
  beforeAll(async () => {
    w = await buildWorld();
    http = api(w.t);
  });
  afterAll(() => w.t.close());

  const counts = async () => {
    const n = (table: string) => w.t.app.db.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`).then((r) => r!.n);
    let files = 0;
    try {
      files = readdirSync(join(w.t.dataDir, 'evidence')).length;
    } catch {
      files = 0;
    }
    return { dangers: await n('dangers'), tasks: await n('tasks'), history: await n('danger_history'), events: await n('events'), audit: await n('audit_log'), files };
  };

  const jpegOf = (size: number) => {
    const b = Buffer.alloc(size, 0x11);
    b[0] = 0xff; b[1] = 0xd8; b[2] = 0xff; b[size - 2] = 0xff; b[size - 1] = 0xd9;
    return b.toString('base64');
  };

  const cases: Array<[string, (w: World) => Record<string, unknown>, number, string]> = [
    ['missing severity', (w) => { const { severity: _s, ...b } = dangerBody(w.cameras.dongfeng); return b; }, 400, 'severity'],
    ['unknown severity', (w) => dangerBody(w.cameras.dongfeng, { severity: 'huge' }), 400, 'severity'],
    ['unknown field', (w) => dangerBody(w.cameras.dongfeng, { priority: 1 }), 400, 'priority'],
    ['bad capturedAt', (w) => dangerBody(w.cameras.dongfeng, { capturedAt: 'yesterday' }), 400, 'capturedAt'],
    ['future capturedAt', (w) => dangerBody(w.cameras.dongfeng, { capturedAt: new Date(Date.now() + 3600_000).toISOString() }), 400, 'capturedAt'],
    ['unknown category', (w) => dangerBody(w.cameras.dongfeng, { category: 'aliens' }), 400, 'category'],
    ['camera out of scope', (w) => dangerBody(w.cameras.chengguan), 404, 'cameraId'],
    ['not base64', (w) => dangerBody(w.cameras.dongfeng, { evidenceJpeg: '!!!not-base64!!!' }), 400, 'evidenceJpeg'],
    ['a PNG, not a JPEG', (w) => dangerBody(w.cameras.dongfeng, { evidenceJpeg: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').toString('base64') }), 400, 'evidenceJpeg'],
    ['a truncated JPEG', (w) => dangerBody(w.cameras.dongfeng, { evidenceJpeg: FRAME.subarray(0, 4000).toString('base64') }), 400, 'evidenceJpeg'],
    ['a JPEG over the cap', (w) => dangerBody(w.cameras.dongfeng, { evidenceJpeg: jpegOf(MAX_IMAGE_BYTES + 1024) }), 413, 'evidenceJpeg'],
  ];

  for (const [name, body, status, field] of cases) {
    it(`tagging with ${name} → ${status} on ${field}`, async () => {
      const before = await counts();
      const res = await http.post<{ field?: string; message: string }>(w.village, '/api/dangers', body(w));
      expect(res.status).toBe(status);
      expect(res.body.field).toBe(field);
      expect(await counts()).toEqual(before);
    });
  }

  it('a body over the route limit → 413 before anything is parsed', async () => {
    const before = await counts();
    const res = await http.post<{ statusCode: number }>(w.village, '/api/dangers', dangerBody(w.cameras.dongfeng, { evidenceJpeg: jpegOf(4 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(await counts()).toEqual(before);
  });

  it('actions with bad bodies → 400 naming the field; the task is unchanged', async () => {
    const { task } = await dangerAtDongcheng(w);
    await http.post(w.dongcheng, `/api/dispatch/tasks/${task.id}/accept`);
    const before = await counts();
    const bad: Array<[string, unknown, string]> = [
      ['resolve', {}, 'feedback'],
      ['resolve', { feedback: '' }, 'feedback'],
      ['resolve', { feedback: 'ok', photoJpeg: 'AAAA' }, 'photoJpeg'],
      ['return', {}, 'reason'],
      ['accept', { note: 'x'.repeat(1001) }, 'note'],
      ['redispatch', { toUnitId: 'abc' }, 'toUnitId'],
      ['redispatch', { toUnitId: w.units.dongfeng, deadline: new Date(Date.now() - 60_000).toISOString() }, 'deadline'],
      ['redispatch', { toUnitId: w.units.dongfeng, deadline: new Date(Date.parse(task.deadline) + 3600_000).toISOString() }, 'deadline'],
    ];
    for (const [action, body, field] of bad) {
      const res = await http.post<{ field?: string }>(w.dongcheng, `/api/dispatch/tasks/${task.id}/${action}`, body);
      expect([action, res.status, res.body.field]).toEqual([action, 400, field]);
    }
    expect(await counts()).toEqual(before);
    expect((await http.get<{ status: string }>(w.dongcheng, `/api/dispatch/tasks/${task.id}`)).body.status).toBe('accepted');
  });

  it('dispatch with a past deadline or an unknown unit → 400/404 on the field, nothing written', async () => {
    const created = await http.post<{ id: number }>(w.county, '/api/dangers', dangerBody(w.cameras.dongfeng));
    const before = await counts();
    const past = await http.post<{ field: string }>(w.county, `/api/dangers/${created.body.id}/dispatch`, { toUnitId: w.units.dongcheng, deadline: '2020-01-01T00:00:00Z' });
    expect([past.status, past.body.field]).toEqual([400, 'deadline']);
    const nobody = await http.post<{ field: string }>(w.county, `/api/dangers/${created.body.id}/dispatch`, { toUnitId: 99999 });
    expect([nobody.status, nobody.body.field]).toEqual([404, 'toUnitId']);
    const missing = await http.post<{ field: string }>(w.county, `/api/dangers/${created.body.id}/dispatch`, {});
    expect([missing.status, missing.body.field]).toEqual([400, 'toUnitId']);
    expect(await counts()).toEqual(before);
  });

  it('refuses unsafe requests without the CSRF header', async () => {
    const res = await w.t.app.inject({ method: 'POST', url: '/api/dangers', headers: { cookie: w.county.cookie }, payload: dangerBody(w.cameras.dongfeng) });
    expect(res.statusCode).toBe(403);
  });
});
