// Playback over HTTP: org scope as live (a township officer outside the area gets 404, the compound's village
// officer gets the video), every playlist open audited with the camera and range, byte ranges served with 206,
// another camera's file refused, settings and locks for editors only.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPOUND_NAME } from '../../server/demo/county';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';

describe('playback routes', () => {
  let t: TestApp;
  let cameraId: number;
  let otherId: number;
  let fileId: number;
  let otherFileId: number;
  const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251));
  const as: Record<string, Login> = {};
  const t0 = Date.now() - 60_000;

  async function storeFile(camera: number): Promise<number> {
    const path = join(String(camera), 'main', 'record', 'day', `${t0}.ts`);
    mkdirSync(join(t.app.recordings.dir, path, '..'), { recursive: true });
    writeFileSync(join(t.app.recordings.dir, path), bytes);
    const repo = t.app.repos.recordings;
    const id = await repo.insertFile({ cameraId: camera, stream: 'main', kind: 'record', path, format: 'mpegts', startMs: t0 });
    await repo.insertSegments([0, 1, 2].map((i) => ({
      fileId: id, startMs: t0 + i * 1000, durationMs: 1000, offset: i * 1000, size: 1000, epoch: 1, discontinuity: i === 0, dependent: false, initOffset: null, initSize: null,
    })), [{ id, endMs: t0 + 3000, bytes: 3000, sealed: true }]);
    return id;
  }

  beforeAll(async () => {
    t = await buildTestApp();
    for (const name of ['dongcheng', 'chengguan', 'village'] as const) as[name] = await login(t.app, ...(DEMO[name] as [string, string]));
    const compound = (await t.app.repos.orgUnits.subtree('/')).find((u) => u.name === COMPOUND_NAME)!;
    cameraId = (await t.app.db.get<{ id: number }>('SELECT id FROM cameras WHERE org_path LIKE ? ORDER BY id LIMIT 1', [`${compound.path}%`]))!.id;
    otherId = (await t.app.db.get<{ id: number }>('SELECT id FROM cameras WHERE org_path NOT LIKE ? ORDER BY id LIMIT 1', [`${compound.path}%`]))!.id;
    fileId = await storeFile(cameraId);
    otherFileId = await storeFile(otherId);
  });
  afterAll(() => t.close());

  const range = () => `from=${new Date(t0 - 1000).toISOString()}&to=${new Date(t0 + 10_000).toISOString()}`;

  it('gives the timeline and a VOD playlist to staff whose area holds the camera, 404 to others', async () => {
    const tl = await t.app.inject({ url: `/api/recordings/${cameraId}/timeline?${range()}`, headers: as.village!.headers });
    expect(tl.statusCode).toBe(200);
    expect(tl.json().spans).toEqual([{ start: new Date(t0).toISOString(), end: new Date(t0 + 3000).toISOString() }]);
    expect((await t.app.inject({ url: `/api/recordings/${cameraId}/timeline?${range()}`, headers: as.chengguan!.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/playback/${cameraId}/index.m3u8?${range()}`, headers: as.chengguan!.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/playback/${cameraId}/index.m3u8?${range()}` })).statusCode).toBe(401);

    const pl = await t.app.inject({ url: `/playback/${cameraId}/index.m3u8?${range()}`, headers: as.dongcheng!.headers });
    expect(pl.statusCode).toBe(200);
    expect(pl.body).toContain(`#EXT-X-BYTERANGE:1000@1000\nf${fileId}.ts`);
    expect(pl.body).toContain(`#EXT-X-PROGRAM-DATE-TIME:${new Date(t0).toISOString()}`);
    expect(pl.body.trim().endsWith('#EXT-X-ENDLIST')).toBe(true);
    const audit = await t.app.db.get<{ actor_name: string; detail: string }>("SELECT actor_name, detail FROM audit_log WHERE action = 'playback.open' AND target_id = ?", [String(cameraId)]);
    expect(audit?.actor_name).toBe('dongcheng');
    expect(JSON.parse(audit!.detail)).toMatchObject({ from: new Date(t0 - 1000).toISOString(), to: new Date(t0 + 10_000).toISOString() });
  });

  it('names the local days holding video for the day picker, with 400 naming the field for a bad range', async () => {
    const today = new Date(t0 + 480 * 60_000).toISOString().slice(0, 10);
    const days = await t.app.inject({ url: `/api/recordings/${cameraId}/days?from=${today}&to=${today}&tzOffset=480`, headers: as.village!.headers });
    expect(days.statusCode).toBe(200);
    expect(days.json()).toEqual({ cameraId, days: [{ day: today, seconds: 3 }] });
    const long = await t.app.inject({ url: `/api/recordings/${cameraId}/days?from=2026-01-01&to=2026-12-31`, headers: as.village!.headers });
    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({ field: 'to', message: 'range longer than 62 days' });
    const bad = await t.app.inject({ url: `/api/recordings/${cameraId}/days?from=yesterday&to=${today}`, headers: as.village!.headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/from/);
    expect((await t.app.inject({ url: `/api/recordings/${cameraId}/days?from=${today}&to=${today}`, headers: as.chengguan!.headers })).statusCode).toBe(404);
  });

  it('serves byte ranges of the camera\'s own files only', async () => {
    const part = await t.app.inject({ url: `/playback/${cameraId}/f${fileId}.ts`, headers: { ...as.village!.headers, range: 'bytes=1000-1999' } });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 1000-1999/3000');
    expect(part.rawPayload.equals(bytes.subarray(1000, 2000))).toBe(true);
    const whole = await t.app.inject({ url: `/playback/${cameraId}/f${fileId}.ts`, headers: as.village!.headers });
    expect(whole.statusCode).toBe(200);
    expect(whole.rawPayload.equals(bytes)).toBe(true);
    expect((await t.app.inject({ url: `/playback/${cameraId}/f${otherFileId}.ts`, headers: as.dongcheng!.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/playback/${cameraId}/f${fileId}.ts`, headers: { ...as.village!.headers, range: 'bytes=5000-' } })).statusCode).toBe(416);
  });

  it('exports clips of the caller\'s cameras only, audited', async () => {
    expect((await t.app.inject({ url: `/api/recordings/${cameraId}/clip.mp4?${range()}`, headers: as.chengguan!.headers })).statusCode).toBe(404);
    // The stored bytes here are not MPEG-TS: refused as such, and nothing is audited.
    const res = await t.app.inject({ url: `/api/recordings/${cameraId}/clip.mp4?${range()}`, headers: as.village!.headers });
    expect(res.statusCode).toBe(422);
    const far = `from=${new Date(t0).toISOString()}&to=${new Date(t0 + 31 * 60_000).toISOString()}`;
    expect((await t.app.inject({ url: `/api/recordings/${cameraId}/clip.mp4?${far}`, headers: as.village!.headers })).json()).toMatchObject({ field: 'to' });
    expect(await t.app.db.get("SELECT 1 FROM audit_log WHERE action = 'recording.export'")).toBeUndefined();
  });

  it('lets editors record a camera and lock a range; village officers may not', async () => {
    const body = { mode: 'continuous', retentionDays: 3 };
    expect((await t.app.inject({ method: 'PUT', url: `/api/recordings/${cameraId}/settings`, headers: as.village!.headers, payload: body })).statusCode).toBe(403);
    const put = await t.app.inject({ method: 'PUT', url: `/api/recordings/${cameraId}/settings`, headers: as.dongcheng!.headers, payload: body });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ mode: 'continuous', retentionDays: 3, stream: 'main' });
    expect(['waiting', 'recording']).toContain(put.json().state);
    expect(t.app.relays.manager.isPinned(cameraId)).toBe(true);
    const off = await t.app.inject({ method: 'PUT', url: `/api/recordings/${cameraId}/settings`, headers: as.dongcheng!.headers, payload: { mode: 'off' } });
    expect(off.json()).toMatchObject({ mode: 'off', state: 'off', retentionDays: 3 });
    expect(t.app.relays.manager.isPinned(cameraId)).toBe(false);

    const lock = await t.app.inject({ method: 'POST', url: `/api/recordings/${cameraId}/locks`, headers: as.dongcheng!.headers, payload: { from: new Date(t0).toISOString(), to: new Date(t0 + 2000).toISOString(), reason: 'evidence' } });
    expect(lock.statusCode).toBe(200);
    const locks = await t.app.inject({ url: `/api/recordings/${cameraId}/locks`, headers: as.village!.headers });
    expect(locks.json()).toHaveLength(1);
    // A locked range survives even the quota: the janitor never picks its file.
    const candidates = await t.app.repos.recordings.oldestUnlocked(100);
    expect(candidates.map((f) => f.id)).not.toContain(fileId);
    expect(candidates.map((f) => f.id)).toContain(otherFileId);
  });
});
