// The recorder over a real relay: a recorded camera's relay runs with no viewer and its segments are kept as
// recordings; a watched camera's go to the rewind ring, which is pruned as it goes; a low disk deletes the oldest
// unlocked files, never a locked one, and stops recording with a visible reason while live keeps playing.
import { afterEach, describe, expect, it } from 'vitest';
import { Janitor, Recorder, RecordingStore } from '../../server/media/record/index';
import { camera, managerFor, until } from '../media/helpers/sim';
import { tempIndex } from './helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

async function setup(indexes: number[], free: { bytes: number }) {
  const cams = new Map(await Promise.all(indexes.map(async (i) => [i, await camera(i)] as const)));
  cleanups.push(() => Promise.all([...cams.values()].map((c) => c.close())).then(() => {}));
  const idx = await tempIndex();
  cleanups.push(() => idx.db.close());
  const store = new RecordingStore({ dir: idx.store, index: idx.repo, format: 'mpegts', ringMs: 3_000, ringFileMs: 1_000, recordFileMs: 1_000, flushMs: 100 });
  cleanups.push(() => store.close());
  const janitor = new Janitor({ dir: idx.store, index: idx.repo, defaultRetentionDays: 7, quotaBytes: 0, minFreeBytes: 1_000, freeBytes: async () => free.bytes });
  const recorder = new Recorder({ store, janitor, ringEnabled: true, tickMs: 60_000 });
  cleanups.push(() => recorder.close());
  const { manager } = managerFor(cams, {
    onPublish: (id, p) => recorder.onPublish(id, p),
    onRelayEnd: (id) => recorder.onRelayEnd(id),
  });
  cleanups.push(() => manager.close());
  recorder.attach(manager);
  return { idx, store, recorder, manager };
}

const files = (idx: Awaited<ReturnType<typeof tempIndex>>, cameraId: number, kind: string) =>
  idx.db.all<{ id: number; kind: string }>('SELECT id, kind FROM recording_files WHERE camera_id = ? AND kind = ? ORDER BY id', [cameraId, kind]);

describe('recorder', () => {
  it('records a camera nobody watches, keeps a pruned ring for a watched one, and stops on a low disk without touching live or locks', { timeout: 60_000 }, async () => {
    const free = { bytes: 1e12 };
    const { idx, recorder, manager } = await setup([2161, 2162], free);
    recorder.apply({ cameraId: 2161, mode: 'continuous', stream: 'main', retentionDays: 7 });
    // No playlist was asked for 2161: the pinned relay runs by itself.
    await until(() => manager.list().find((r) => r.relayId === 2161 && r.state === 'online'), 100);
    await manager.playlist(2162, 'viewer');
    await until(async () => (await files(idx, 2161, 'record')).length >= 4 && (await files(idx, 2162, 'ring')).length >= 5, 200);
    expect(recorder.state(2161)).toMatchObject({ state: 'recording', reason: null });
    expect(await files(idx, 2161, 'ring')).toHaveLength(0);
    expect(await files(idx, 2162, 'record')).toHaveLength(0);

    // The ring keeps ~3 s in files of 1 s: pruning leaves a handful, however long it ran.
    await recorderTick(recorder);
    const ring = await files(idx, 2162, 'ring');
    expect(ring.length).toBeLessThanOrEqual(6);

    // Lock the first recorded second, then the disk runs low: unlocked files go, oldest first; the locked one stays.
    const recorded = await idx.db.all<{ id: number; start_ms: number; end_ms: number }>("SELECT id, start_ms, end_ms FROM recording_files WHERE camera_id = 2161 AND sealed = 1 ORDER BY start_ms");
    await idx.repo.addLock({ cameraId: 2161, startMs: recorded[0]!.start_ms, endMs: recorded[0]!.start_ms + 10, reason: 'evidence', createdBy: null });
    free.bytes = 0;
    await recorder.sweepDisk();
    const left = await idx.db.all<{ id: number }>('SELECT id FROM recording_files WHERE sealed = 1');
    expect(left.map((f) => f.id)).toEqual([recorded[0]!.id]);
    expect(recorder.state(2161)).toMatchObject({ state: 'stopped', reason: 'disk full' });
    // Live is unaffected.
    expect((await manager.playlist(2161)).length).toBeGreaterThan(0);
    const writtenWhileFull = (await files(idx, 2161, 'record')).length;
    // Segments keep arriving from the relay (and are not written).
    const made = () => manager.list().find((r) => r.relayId === 2161)!.segments;
    const madeWhileFull = made();
    await until(() => made() >= madeWhileFull + 2, 100);
    expect((await files(idx, 2161, 'record')).length).toBe(writtenWhileFull);

    free.bytes = 1e12;
    await recorder.sweepDisk();
    expect(recorder.state(2161).state).toBe('recording');
    await until(async () => (await files(idx, 2161, 'record')).length > writtenWhileFull, 200);

    recorder.apply({ cameraId: 2161, mode: 'off', stream: 'main', retentionDays: 7 });
    expect(manager.isPinned(2161)).toBe(false);
  });
});

async function recorderTick(recorder: Recorder) {
  await recorder.tick();
}
