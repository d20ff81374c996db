// Evidence clips: tagging a danger keeps 30 s before to 30 s after the tagged moment as a locked range (the ring's
// past marked as recording, the post-roll recorded with the relay pinned), names it on the danger, and hashes it
// once stored. Officers down the chain see and play it within their area; another township gets 404.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DangerDetail } from '../../server/contracts/dispatch';
import { api, buildWorld, dangerBody, type World } from '../dispatch/helpers';

describe('danger evidence clips', () => {
  let w: World;
  let cameraId: number;
  const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 251));
  const t0 = Date.now() - 120_000;
  let fileId: number;

  beforeAll(async () => {
    w = await buildWorld();
    cameraId = w.cameras.dongfeng;
    // Three seconds of the camera's rewind ring, as the store would have written them.
    const path = join(String(cameraId), 'main', 'ring', 'day', `${t0}.ts`);
    mkdirSync(join(w.t.app.recordings.dir, path, '..'), { recursive: true });
    writeFileSync(join(w.t.app.recordings.dir, path), bytes);
    const repo = w.t.app.repos.recordings;
    fileId = await repo.insertFile({ cameraId, stream: 'main', kind: 'ring', path, format: 'mpegts', startMs: t0 });
    await repo.insertSegments([0, 1, 2].map((i) => ({
      fileId, startMs: t0 + i * 1000, durationMs: 1000, offset: i * 1000, size: 1000, epoch: 1, discontinuity: i === 0, dependent: false, initOffset: null, initSize: null,
    })), [{ id: fileId, endMs: t0 + 3000, bytes: 3000, sealed: true }]);
  });
  afterAll(() => w.t.close());

  it('locks the tagged range, keeps the ring\'s past, hashes the clip and shows it down the chain only', async () => {
    const { get, post } = api(w.t);
    const capturedAt = new Date(t0 + 1500).toISOString();
    const created = await post<{ id: number }>(w.dongcheng, '/api/dangers', dangerBody(cameraId, { capturedAt }));
    expect(created.status).toBe(201);
    const id = created.body.id;

    // The ring file is a recording now (the ring pruner no longer takes it), and the range is locked.
    expect((await w.t.app.repos.recordings.fileById(fileId))!.kind).toBe('record');
    const locks = await w.t.app.repos.recordings.locks(cameraId);
    expect(locks).toEqual([expect.objectContaining({ startMs: t0 + 1500 - 30_000, endMs: t0 + 1500 + 30_000, reason: `danger #${id}` })]);
    expect((await w.t.app.repos.recordings.oldestUnlocked(100)).map((f) => f.id)).not.toContain(fileId);

    const first = await get<DangerDetail>(w.village, `/api/dangers/${id}`);
    expect(first.status).toBe(200);
    expect(first.body.clip).toMatchObject({ cameraId, from: new Date(t0 + 1500 - 30_000).toISOString(), to: new Date(t0 + 1500 + 30_000).toISOString(), state: 'recording', sha256: null });

    // Its post-roll ended long ago: the next pass hashes the stored bytes of the range in order.
    expect(await w.t.app.recordings.clips.finish(0)).toBe(1);
    const detail = await get<DangerDetail>(w.dongcheng, `/api/dangers/${id}`);
    expect(detail.body.clip).toMatchObject({ state: 'ready', bytes: 3000, sha256: createHash('sha256').update(bytes).digest('hex') });

    // The village officer of the camera's area plays it; another township sees neither the danger nor the video.
    const play = await w.t.app.inject({ url: detail.body.clip!.playlistUrl, headers: w.village.headers });
    expect(play.statusCode).toBe(200);
    expect(play.body).toContain(`f${fileId}.ts`);
    expect((await get(w.chengguan, `/api/dangers/${id}`)).status).toBe(404);
    expect((await w.t.app.inject({ url: detail.body.clip!.playlistUrl, headers: w.chengguan.headers })).statusCode).toBe(404);
    const audit = await w.t.app.db.get<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'danger.create' AND target_id = ?", [String(id)]);
    expect(JSON.parse(audit!.detail).clip).toEqual({ from: detail.body.clip!.from, to: detail.body.clip!.to });
  });

  it('a live tag records its post-roll (relay pinned until it ends); a tag without stored video is missing', async () => {
    const { get, post } = api(w.t);
    // A tag made without watching starts no relay: the clip is what the store has.
    const unwatched = await post<{ id: number }>(w.dongcheng, '/api/dangers', dangerBody(cameraId));
    expect(w.t.app.recordings.recorder.state(cameraId)).toMatchObject({ pinned: false, holdUntil: null });
    expect((await get<DangerDetail>(w.dongcheng, `/api/dangers/${unwatched.body.id}`)).body.clip!.state).toBe('recording');
    // A tile watches the camera (its relay runs; no simulator here, so it keeps retrying): the tag pins it for the post-roll.
    void w.t.app.relays.manager.playlist(cameraId, 'tile').catch(() => {});
    const before = Date.now();
    const created = await post<{ id: number }>(w.dongcheng, '/api/dangers', dangerBody(cameraId));
    const state = w.t.app.recordings.recorder.state(cameraId);
    expect(state.pinned).toBe(true);
    expect(state.holdUntil).toBeGreaterThanOrEqual(before + 30_000 - 5_000);
    expect(w.t.app.relays.manager.isPinned(cameraId)).toBe(true);
    // Not yet hashed while the post-roll runs.
    expect(await w.t.app.recordings.clips.finish(0)).toBe(0);
    expect((await get<DangerDetail>(w.village, `/api/dangers/${created.body.id}`)).body.clip!.state).toBe('recording');
    w.t.app.recordings.recorder.forget(cameraId);
    expect(w.t.app.relays.manager.isPinned(cameraId)).toBe(false);

    // Opting out: no clip.
    const plain = await post<{ id: number }>(w.dongcheng, '/api/dangers', dangerBody(cameraId, { clip: false, capturedAt: new Date(t0 - 600_000).toISOString() }));
    expect((await get<DangerDetail>(w.dongcheng, `/api/dangers/${plain.body.id}`)).body.clip).toBeNull();
    // A past moment nothing was stored for: the clip is missing, not an error.
    const old = await post<{ id: number }>(w.dongcheng, '/api/dangers', dangerBody(cameraId, { capturedAt: new Date(t0 - 3600_000).toISOString() }));
    await w.t.app.recordings.clips.finish(0);
    expect((await get<DangerDetail>(w.dongcheng, `/api/dangers/${old.body.id}`)).body.clip).toMatchObject({ state: 'missing', sha256: null });
  });
});
