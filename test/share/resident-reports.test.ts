// 随手拍 over the real app: a resident's report through a share link becomes a danger with origin `resident` in the
// compound's village, with the server's own frame of the camera; validation names the field; per-device and
// per-link limits; audit; the resident's own list says only received / handled; nothing else leaks.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DangerPage } from '../../server/contracts/dispatch';
import type { CreatedShareLink, ResidentReport, ResidentReportList, ResidentView } from '../../server/contracts/share';
import { COMPOUND_NAME } from '../../server/demo/county';
import { RESIDENT_REPORTS_PER_DEVICE_PER_HOUR, RESIDENT_REPORTS_PER_LINK_PER_HOUR } from '../../server/domain/share-policy';
import { SnapshotError } from '../../server/media/errors';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';

const FRAME = readFileSync(join(import.meta.dirname, '../dispatch/fixtures/frame.jpg'));

describe('residents report a problem (随手拍)', () => {
  let t: TestApp;
  let dongcheng: Login, village: Login, chengguan: Login;
  let token: string;
  let linkId: number;
  let view: ResidentView;
  let outsideCamera: number;
  let frameFails = false;

  beforeAll(async () => {
    t = await buildTestApp({ dispatch: { overdueScanSec: 0 } });
    [dongcheng, village, chengguan] = await Promise.all([DEMO.dongcheng, DEMO.village, DEMO.chengguan].map(([u, p]) => login(t.app, u, p)));
    // No camera of the demo county runs here: the snapshot service answers with a fixture frame (or fails on demand).
    t.app.snapshots.snapshot = async () => {
      if (frameFails) throw new SnapshotError('no source');
      return { jpeg: FRAME, takenAt: Date.now(), source: 'relay' };
    };
    const compound = (await t.app.repos.orgUnits.subtree('/')).find((u) => u.name === COMPOUND_NAME)!;
    const made = (await t.app.inject({
      method: 'POST', url: '/api/share-links', headers: dongcheng.headers, payload: { orgUnitId: compound.id, label: '东城小区业主群', expiresInHours: 24 },
    })).json<CreatedShareLink>();
    token = made.url.split('/r/')[1];
    linkId = made.link.id;
    view = (await t.app.inject({ method: 'POST', url: '/api/share/open', payload: { token, device: 'phone-aaaaaaaa' } })).json<ResidentView>();
    outsideCamera = (await t.app.repos.cameras.list('/', { limit: 1000 })).items.find((c) => !view.cameras.some((v) => v.id === c.id))!.id;
  });
  afterAll(() => t.close());

  const post = (body: unknown, v = view.viewerToken) =>
    t.app.inject({ method: 'POST', url: `/api/share/reports?v=${encodeURIComponent(v)}`, payload: body as object });
  const mine = (v = view.viewerToken) => t.app.inject({ url: `/api/share/reports?v=${encodeURIComponent(v)}` });
  const openAs = async (device: string) =>
    (await t.app.inject({ method: 'POST', url: '/api/share/open', payload: { token, device } })).json<ResidentView>().viewerToken;

  it('offers the short resident list of categories when the link opens', () => {
    expect(view.reportCategories.map((c) => c.key)).toEqual(['fire', 'road', 'public-order', 'environment', 'other']);
    expect(view.reportCategories[0]).toEqual({ key: 'fire', name: '消防隐患', nameEn: 'Fire hazard' });
  });

  it('lands in the compound’s village as a resident danger with the server’s frame, pushed and audited', async () => {
    const cameraId = view.cameras[0].id;
    const res = await post({ cameraId, category: 'environment', note: '垃圾桶满了没人清' });
    expect(res.statusCode).toBe(201);
    const report = res.json<ResidentReport>();
    expect(Object.keys(report).sort()).toEqual(['cameraId', 'cameraName', 'category', 'createdAt', 'id', 'status']);
    expect(report).toMatchObject({ cameraId, category: 'environment', status: 'received' });

    const list = (await t.app.inject({ url: '/api/dangers?origin=resident', headers: village.headers })).json<DangerPage>();
    expect(list.total).toBe(1);
    const danger = list.items[0];
    expect(danger).toMatchObject({
      origin: 'resident', cameraId, category: 'environment', severity: 'general', note: '垃圾桶满了没人清', status: 'reported',
      createdBy: '居民随手拍 · 东城小区业主群', orgUnitName: COMPOUND_NAME,
    });
    expect(danger.evidenceSha256).toBe(createHash('sha256').update(FRAME).digest('hex'));
    // Owned by the village: the township above it may dispatch it (the village cannot dispatch at all).
    const row = await t.app.db.get<{ owner: number }>('SELECT owner_unit_id AS owner FROM dangers WHERE id = ?', [danger.id]);
    expect((await t.app.repos.orgUnits.byId(row!.owner))!.level).toBe('village');
    expect((await t.app.inject({ url: `/api/dangers/${danger.id}`, headers: chengguan.headers })).statusCode).toBe(404);
    // Real-time: the same durable event as a tagged danger, to the camera's place in the tree.
    const event = await t.app.db.get<{ payload: string; org_path: string }>(`SELECT payload, org_path FROM events WHERE type = 'danger:created' ORDER BY seq DESC`);
    expect(JSON.parse(event!.payload)).toMatchObject({ dangerId: danger.id, origin: 'resident', createdBy: '居民随手拍 · 东城小区业主群' });
    const audit = await t.app.db.get<{ actor_type: string; actor_id: string; detail: string }>(
      `SELECT actor_type, actor_id, detail FROM audit_log WHERE action = 'danger.resident-report' ORDER BY id DESC`,
    );
    expect(audit).toMatchObject({ actor_type: 'resident', actor_id: `link:${linkId}` });
    expect(JSON.parse(audit!.detail)).toMatchObject({ cameraId, category: 'environment' });
  });

  it('answers 400 naming the field for anything invalid, and accepts no picture from the phone', async () => {
    const cameraId = view.cameras[0].id;
    const cases: Array<[unknown, string]> = [
      [{ category: 'fire' }, 'cameraId'],
      [{ cameraId: 'x', category: 'fire' }, 'cameraId'],
      [{ cameraId }, 'category'],
      [{ cameraId, category: 'illegal-building' }, 'category'],
      [{ cameraId, category: 'fire', note: 'x'.repeat(201) }, 'note'],
      [{ cameraId, category: 'fire', evidenceJpeg: FRAME.toString('base64') }, 'evidenceJpeg'],
    ];
    for (const [body, field] of cases) {
      const res = await post(body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body).toContain(field);
    }
    // A camera outside the link (even one the compound has) is as if absent.
    const outside = await post({ cameraId: outsideCamera, category: 'fire' });
    expect(outside.statusCode).toBe(404);
    expect(outside.json()).toMatchObject({ field: 'cameraId' });
  });

  it('refuses without a usable link, before looking at the body', async () => {
    expect((await post({})).statusCode).toBe(400);
    expect((await post({}, 'not-a-valid-token-at-all')).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/share/reports', payload: {} })).statusCode).toBe(401);
    // Staff sessions are not residents.
    expect((await t.app.inject({ method: 'POST', url: '/api/share/reports', headers: village.headers, payload: {} })).statusCode).toBe(401);
  });

  it('does not file a report without a frame (503), and counts nothing for it', async () => {
    const before = (await mine()).json<ResidentReportList>().items.length;
    frameFails = true;
    try {
      expect((await post({ cameraId: view.cameras[0].id, category: 'fire' })).statusCode).toBe(503);
    } finally {
      frameFails = false;
    }
    expect((await mine()).json<ResidentReportList>().items.length).toBe(before);
  });

  it('limits reports per device and per link', async () => {
    const phone = await openAs('phone-bbbbbbbb');
    for (let i = 0; i < RESIDENT_REPORTS_PER_DEVICE_PER_HOUR; i++) {
      expect((await post({ cameraId: view.cameras[0].id, category: 'road' }, phone)).statusCode).toBe(201);
    }
    const limited = await post({ cameraId: view.cameras[0].id, category: 'road' }, phone);
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toContain('hourly report limit on this phone');
    // Another phone may still report, until the link's own cap.
    const other = await openAs('phone-cccccccc');
    expect((await post({ cameraId: view.cameras[0].id, category: 'road' }, other)).statusCode).toBe(201);
    const sent = (await t.app.db.get<{ n: number }>('SELECT count(*) AS n FROM resident_reports WHERE link_id = ?', [linkId]))!.n;
    const anyDanger = (await t.app.db.get<{ id: number }>('SELECT danger_id AS id FROM resident_reports LIMIT 1'))!.id;
    for (let i = sent; i < RESIDENT_REPORTS_PER_LINK_PER_HOUR; i++) {
      await t.app.db.run('INSERT INTO resident_reports (link_id, device, danger_id, created_at) VALUES (?, ?, ?, ?)', [linkId, `filler${i}`, anyDanger, new Date().toISOString()]);
    }
    const linkFull = await post({ cameraId: view.cameras[0].id, category: 'road' }, await openAs('phone-dddddddd'));
    expect(linkFull.statusCode).toBe(429);
    expect(linkFull.body).toContain('This link has reached its hourly report limit');
  });

  it('shows each phone only its own reports, as received until closed for good, then handled', async () => {
    const own = (await mine()).json<ResidentReportList>().items;
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ category: 'environment', status: 'received' });
    expect(Object.keys(own[0]).sort()).toEqual(['cameraId', 'cameraName', 'category', 'createdAt', 'id', 'status']);
    const dangerId = (await t.app.db.get<{ id: number }>('SELECT danger_id AS id FROM resident_reports WHERE id = ?', [own[0].id]))!.id;
    await t.app.db.run(`UPDATE dangers SET status = 'closed', recheck_status = 'pending' WHERE id = ?`, [dangerId]);
    expect((await mine()).json<ResidentReportList>().items[0].status).toBe('received');
    await t.app.db.run(`UPDATE dangers SET recheck_status = 'passed' WHERE id = ?`, [dangerId]);
    expect((await mine()).json<ResidentReportList>().items[0].status).toBe('handled');
    const phone = await openAs('phone-bbbbbbbb');
    expect((await mine(phone)).json<ResidentReportList>().items.map((r) => r.id)).not.toContain(own[0].id);
  });

  it('stops reporting the moment the link is revoked', async () => {
    await t.app.inject({ method: 'POST', url: `/api/share-links/${linkId}/revoke`, headers: dongcheng.headers });
    expect((await post({ cameraId: view.cameras[0].id, category: 'fire' })).statusCode).toBe(401);
    expect((await mine()).statusCode).toBe(401);
  });
});
