// Residents' rewind (回看) over HTTP, off by default: a link without it answers 403; a link with 5 minutes lists only
// segments from when the link was made on (older ones of the same file are not listed), each readable only as the
// exact byte range listed (a wider or older range 404s, no range 416); revoked → 401; staff without a token 401.
// Real SQLite, a real stored file; no camera needed (the segments are written as the recorder would).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedShareLink, ResidentView } from '../../server/contracts/share';
import { COMPOUND_NAME } from '../../server/demo/county';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';

describe('resident rewind', () => {
  let t: TestApp;
  let dongcheng: Login;
  let cameraId: number;
  let fileId: number;
  const now = Date.now();
  // Six 1-second segments of one file: three from 200 s ago (before the link was made), three from 100 s ago.
  const starts = [-200, -199, -198, -100, -99, -98].map((s) => now + s * 1000);
  const bytes = Buffer.from(Array.from({ length: 6000 }, (_, i) => i % 251));

  beforeAll(async () => {
    t = await buildTestApp();
    dongcheng = await login(t.app, ...DEMO.dongcheng);
    const compound = (await t.app.repos.orgUnits.subtree('/')).find((u) => u.name === COMPOUND_NAME)!;
    cameraId = (await t.app.db.get<{ id: number }>('SELECT id FROM cameras WHERE org_path LIKE ? AND public_area = 1 ORDER BY id LIMIT 1', [`${compound.path}%`]))!.id;
    const path = join(String(cameraId), 'main', 'ring', 'day', `${starts[0]}.ts`);
    mkdirSync(join(t.app.recordings.dir, path, '..'), { recursive: true });
    writeFileSync(join(t.app.recordings.dir, path), bytes);
    const repo = t.app.repos.recordings;
    fileId = await repo.insertFile({ cameraId, stream: 'main', kind: 'ring', path, format: 'mpegts', startMs: starts[0]! });
    await repo.insertSegments(starts.map((startMs, i) => ({
      fileId, startMs, durationMs: 1000, offset: i * 1000, size: 1000, epoch: 1, discontinuity: i === 0, dependent: false, initOffset: null, initSize: null,
    })), [{ id: fileId, endMs: starts[5]! + 1000, bytes: 6000, sealed: false }]);
  });
  afterAll(() => t.close());

  async function openLink(rewindMinutes?: number): Promise<{ id: number; view: ResidentView }> {
    const compound = (await t.app.repos.orgUnits.subtree('/')).find((u) => u.name === COMPOUND_NAME)!;
    const made = await t.app.inject({
      method: 'POST', url: '/api/share-links', headers: dongcheng.headers,
      payload: { orgUnitId: compound.id, label: `rewind ${rewindMinutes ?? 'default'}`, expiresInHours: 1, cameraIds: [cameraId], ...(rewindMinutes === undefined ? {} : { rewindMinutes }) },
    });
    expect(made.statusCode).toBe(201);
    const created = made.json<CreatedShareLink>();
    expect(created.link.rewindMinutes).toBe(rewindMinutes ?? 0);
    // The link was "made" 150 s ago: between the two runs of segments.
    await t.app.db.run('UPDATE share_links SET created_at = ? WHERE id = ?', [new Date(now - 150_000).toISOString(), created.link.id]);
    const view = (await t.app.inject({ method: 'POST', url: '/api/share/open', payload: { token: created.url.split('/r/')[1], device: 'rewind-device-1' } })).json<ResidentView>();
    return { id: created.link.id, view };
  }

  const range = `from=${encodeURIComponent(new Date(now - 600_000).toISOString())}&to=${encodeURIComponent(new Date(now).toISOString())}`;

  it('is off by default: no rewind URL, 403 on the playlist', async () => {
    const { view } = await openLink();
    expect(view.rewindMinutes).toBe(0);
    expect(view.cameras[0]!.rewindUrl).toBeUndefined();
    const res = await t.app.inject({ url: `/api/share/cameras/${cameraId}/rewind/index.m3u8?v=${encodeURIComponent(view.viewerToken)}&${range}` });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toContain('rewind');
  });

  it('lists only what the link\'s window allows and serves exactly those byte ranges', async () => {
    const { id, view } = await openLink(5);
    const camera = view.cameras.find((c) => c.id === cameraId)!;
    expect(camera.rewindUrl).toBe(`/api/share/cameras/${cameraId}/rewind/index.m3u8?v=${encodeURIComponent(view.viewerToken)}`);
    const pl = await t.app.inject({ url: `${camera.rewindUrl}&${range}` });
    expect(pl.statusCode).toBe(200);
    const listed = [...pl.body.matchAll(/#EXT-X-BYTERANGE:(\d+)@(\d+)\n(\S+)/g)].map((m) => ({ size: Number(m[1]), offset: Number(m[2]), uri: m[3]! }));
    expect(listed.map((l) => l.offset)).toEqual([3000, 4000, 5000]);
    for (const l of listed) expect(l.uri).toBe(`f${fileId}.ts?v=${encodeURIComponent(view.viewerToken)}`);
    expect(pl.body).toContain(`#EXT-X-PROGRAM-DATE-TIME:${new Date(starts[3]!).toISOString()}`);
    expect(pl.body).not.toContain(new Date(starts[0]!).toISOString());
    const audit = await t.app.db.get<{ actor_id: string; actor_type: string }>("SELECT actor_id, actor_type FROM audit_log WHERE action = 'playback.open' AND target_id = ?", [String(cameraId)]);
    expect(audit).toEqual({ actor_id: `link:${id}`, actor_type: 'resident' });

    const file = `/api/share/cameras/${cameraId}/rewind/f${fileId}.ts?v=${encodeURIComponent(view.viewerToken)}`;
    const ok = await t.app.inject({ url: file, headers: { range: 'bytes=3000-3999' } });
    expect(ok.statusCode).toBe(206);
    expect(Buffer.compare(ok.rawPayload, bytes.subarray(3000, 4000))).toBe(0);
    // Older bytes of the same file, a wider range, or no range: refused.
    expect((await t.app.inject({ url: file, headers: { range: 'bytes=0-999' } })).statusCode).toBe(404);
    expect((await t.app.inject({ url: file, headers: { range: 'bytes=3000-4999' } })).statusCode).toBe(404);
    expect((await t.app.inject({ url: file })).statusCode).toBe(416);
    // Staff have playback of their own; here, without a token: 401. A missing range bound names the field.
    expect((await t.app.inject({ url: `/api/share/cameras/${cameraId}/rewind/index.m3u8?${range}`, headers: dongcheng.headers })).statusCode).toBe(401);
    const noFrom = await t.app.inject({ url: `${camera.rewindUrl}&to=${encodeURIComponent(new Date(now).toISOString())}` });
    expect(noFrom.statusCode).toBe(400);
    expect(noFrom.json().field).toBe('from');

    await t.app.inject({ method: 'POST', url: `/api/share-links/${id}/revoke`, headers: dongcheng.headers });
    expect((await t.app.inject({ url: `${camera.rewindUrl}&${range}` })).statusCode).toBe(401);
    expect((await t.app.inject({ url: file, headers: { range: 'bytes=3000-3999' } })).statusCode).toBe(401);
  });

  it('refuses more rewind than the policy allows, naming the field', async () => {
    const compound = (await t.app.repos.orgUnits.subtree('/')).find((u) => u.name === COMPOUND_NAME)!;
    const res = await t.app.inject({
      method: 'POST', url: '/api/share-links', headers: dongcheng.headers,
      payload: { orgUnitId: compound.id, label: 'too much', expiresInHours: 1, rewindMinutes: 61 },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('rewindMinutes');
  });
});
