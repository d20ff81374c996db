// 移动视频: a device pushing RTMP (the simulator's pusher: ffmpeg publishing a fixture) through the gateway's ingest.
// An administrator makes the device (a camera of network mobile, key shown once), the device publishes, the camera
// comes online and plays as live HLS like a pulled camera (ffprobe decodes h264 + aac); it goes offline with a
// reason when the device stops; a revoked key and an unknown key are refused at publish and audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssuedPushKey, PushDevice } from '../../server/contracts/push';
import { startPusher, type Pusher } from '../../scripts/simulator';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';
import { HAVE_FFPROBE, probe } from '../media/helpers/ffprobe';

const segmentsOf = (playlist: string) => playlist.split('\n').filter((l) => l && !l.startsWith('#'));

describe('RTMP push devices (移动视频)', () => {
  let t: TestApp;
  let admin: Login, county: Login;
  let compoundId: number;
  let port: number;
  const pushers: Pusher[] = [];
  const push = (key: string) => {
    const p = startPusher({ rtmpUrl: `rtmp://127.0.0.1:${port}/live/${key}`, fixture: 'h264-aac' });
    pushers.push(p);
    return p;
  };

  beforeAll(async () => {
    // Port 0: the ingest takes a free loopback port (other suites and helpers run beside this one).
    t = await buildTestApp({ rtmp: { enabled: true, port: 0, host: '127.0.0.1', publicHost: '' }, media: { idleTimeoutSec: 30, stallTimeoutSec: 5, maxRelays: 8, segmentFormat: 'mpegts' } });
    port = t.app.rtmpIngest!.port!;
    [admin, county] = await Promise.all([login(t.app, ...DEMO.admin), login(t.app, ...DEMO.county)]);
    compoundId = (await t.app.db.get<{ id: number }>("SELECT id FROM org_units WHERE name = '东城小区'"))!.id;
  });
  afterAll(async () => {
    await Promise.all(pushers.map((p) => p.stop()));
    await t.close();
  });

  const create = async (name: string) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/push-devices', headers: admin.headers, payload: { name, orgUnitId: compoundId } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<IssuedPushKey>();
  };
  const refusals = () => t.app.db.all<{ detail: string; ip: string }>("SELECT detail, ip FROM audit_log WHERE action = 'mobile.publish-refused' ORDER BY id");

  it('makes a camera of network mobile, publishes into it, and plays it as live HLS with h264 + aac', async () => {
    const issued = await create('执法记录仪-推流测试3900');
    expect(issued.rtmpUrl).toBe(`rtmp://localhost:${port}/live/${issued.streamKey}`);
    expect(issued.streamKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only a hash is stored, and the list never shows the key again.
    const stored = await t.app.db.get<{ key_hash: string }>('SELECT key_hash FROM push_keys WHERE camera_id = ?', [issued.cameraId]);
    expect(stored!.key_hash).not.toContain(issued.streamKey);
    const list = await t.app.inject({ url: '/api/push-devices', headers: admin.headers });
    expect(list.body).not.toContain(issued.streamKey);
    const camera = (await t.app.repos.cameras.byId(issued.cameraId))!;
    expect(camera.network).toBe('mobile');
    expect(camera.status).toBe('unknown');

    const pusher = push(issued.streamKey);
    await expect.poll(async () => (await t.app.repos.cameras.byId(issued.cameraId))!.status, { timeout: 15_000 }).toBe('online');
    expect((await t.app.repos.cameras.byId(issued.cameraId))!.width).toBe(640);
    const listed = (await t.app.inject({ url: '/api/push-devices', headers: admin.headers })).json<PushDevice[]>();
    expect(listed.find((d) => d.cameraId === issued.cameraId)).toMatchObject({ publishing: true, revokedAt: null });

    // Staff in scope watch it through the same live route as any camera.
    const playlist = await t.app.inject({ url: `/live/${issued.cameraId}/index.m3u8`, headers: { cookie: county.cookie } });
    expect(playlist.statusCode, playlist.body).toBe(200);
    expect(playlist.body).toContain('#EXTINF');
    // A whole segment after the quick-start pieces (how many depends on the GOP and on LL-HLS parts): wait until
    // the last one listed holds a whole GOP (the pieces are shorter than one).
    let names: string[] = [];
    await expect.poll(async () => {
      const p = await t.app.inject({ url: `/live/${issued.cameraId}/index.m3u8`, headers: { cookie: county.cookie } });
      names = segmentsOf(p.body);
      const durations = [...p.body.matchAll(/#EXTINF:([\d.]+),/g)].map((m) => Number(m[1]));
      return durations.length >= 3 && durations[durations.length - 1]! >= 0.9;
    }, { timeout: 15_000 }).toBe(true);
    const seg = await t.app.inject({ url: `/live/${issued.cameraId}/${names[names.length - 1]}`, headers: { cookie: county.cookie } });
    expect(seg.statusCode).toBe(200);
    if (HAVE_FFPROBE) {
      const r = await probe(seg.rawPayload);
      expect(r.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
      expect(r.streams.find((s) => s.codec_name === 'h264')).toMatchObject({ width: 640, height: 360 });
      expect(r.packets.filter((p) => p.codec_type === 'audio').length).toBeGreaterThan(10);
      expect(r.errors).toBe('');
    }
    const relays = (await t.app.inject({ url: '/api/live/relays', headers: county.headers })).json<{ cameraId: number; audio: string | null; state: string }[]>();
    expect(relays.find((r) => r.cameraId === issued.cameraId)).toMatchObject({ state: 'online', audio: 'mp4a.40.2' });

    // The device stops: offline, with the reason.
    await pusher.stop();
    await expect.poll(async () => (await t.app.repos.cameras.byId(issued.cameraId))!.status, { timeout: 15_000 }).toBe('offline');
    expect((await t.app.repos.cameras.byId(issued.cameraId))!.statusReason).toBe('closed');
  });

  it('refuses a revoked key at publish, cuts off its publisher, and audits it', async () => {
    const issued = await create('无人机-推流测试3901');
    const first = push(issued.streamKey);
    await expect.poll(async () => (await t.app.repos.cameras.byId(issued.cameraId))!.status, { timeout: 15_000 }).toBe('online');
    const revoke = await t.app.inject({ method: 'POST', url: `/api/push-devices/${issued.cameraId}/revoke`, headers: admin.headers });
    expect(revoke.statusCode).toBe(204);
    expect(await first.exited).not.toBe(0); // cut off: ffmpeg fails on the broken connection
    expect(t.app.rtmpIngest!.isPublishing(issued.cameraId)).toBe(false);
    await expect.poll(async () => (await t.app.repos.cameras.byId(issued.cameraId))!.statusReason, { timeout: 10_000 }).toBe('unauthorized');

    const before = (await refusals()).length;
    const again = push(issued.streamKey);
    expect(await again.exited).not.toBe(0);
    expect(t.app.rtmpIngest!.isPublishing(issued.cameraId)).toBe(false);
    await expect.poll(async () => (await refusals()).length, { timeout: 10_000 }).toBe(before + 1);
    expect(JSON.parse((await refusals()).at(-1)!.detail)).toEqual({ reason: 'revoked key' });
    const revokeAudit = await t.app.db.get<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = 'mobile.key-revoke' AND target_id = ?", [String(issued.cameraId)]);
    expect(revokeAudit!.n).toBe(1);

    // Rotating issues a new key that works again.
    const rotated = (await t.app.inject({ method: 'POST', url: `/api/push-devices/${issued.cameraId}/rotate`, headers: admin.headers })).json<IssuedPushKey>();
    expect(rotated.streamKey).not.toBe(issued.streamKey);
    push(rotated.streamKey);
    await expect.poll(() => t.app.rtmpIngest!.isPublishing(issued.cameraId), { timeout: 15_000 }).toBe(true);
  });

  it('refuses an unknown key and a wrong path, and audits the refusal without the key', async () => {
    // Refusals are throttled per address (one row a minute); start from a clean slate for this address.
    await t.app.db.run("DELETE FROM audit_log WHERE action = 'mobile.publish-refused'");
    (t.app.push as unknown as { refusals: Map<string, unknown> }).refusals.clear();
    const key = 'x'.repeat(43);
    const p = push(key);
    expect(await p.exited).not.toBe(0);
    await expect.poll(async () => (await refusals()).length, { timeout: 10_000 }).toBe(1);
    const row = (await refusals())[0]!;
    expect(JSON.parse(row.detail)).toEqual({ reason: 'unknown key' });
    expect(row.detail).not.toContain(key);
    expect(row.ip).toContain('127.0.0.1');
  });

  it('deleting a pushed camera cuts its publisher off and removes its key', async () => {
    const issued = await create('4G布控球-推流测试3903');
    const p = push(issued.streamKey);
    await expect.poll(async () => (await t.app.repos.cameras.byId(issued.cameraId))!.status, { timeout: 15_000 }).toBe('online');
    const del = await t.app.inject({ method: 'DELETE', url: `/api/cameras/${issued.cameraId}`, headers: admin.headers });
    expect(del.statusCode).toBe(204);
    expect(await p.exited).not.toBe(0);
    expect(t.app.rtmpIngest!.isPublishing(issued.cameraId)).toBe(false);
    expect(await t.app.db.get('SELECT 1 FROM push_keys WHERE camera_id = ?', [issued.cameraId])).toBeUndefined();
  });

  it('lets only administrators make push devices', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/push-devices', headers: county.headers, payload: { name: 'x', orgUnitId: compoundId } });
    expect(res.statusCode).toBe(403);
    const bad = await t.app.inject({ method: 'POST', url: '/api/push-devices', headers: admin.headers, payload: { orgUnitId: compoundId } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('name');
  });
});
