// Recording plans over a real relay: a weekly schedule's start pins the relay and records, its end unpins and the
// segments go back to the ring; event mode keeps only the ring until an event, then the ring's past becomes the
// recording (pre-roll) and the post-roll is recorded until it ends. The plan's clock is the test's own (no sleeps).
import { afterEach, describe, expect, it } from 'vitest';
import { Janitor, Recorder, RecordingStore } from '../../server/media/record/index';
import { camera, managerFor, until } from '../media/helpers/sim';
import { tempIndex } from './helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

async function setup(index: number, now: () => number) {
  const cams = new Map([[index, await camera(index)]]);
  cleanups.push(() => Promise.all([...cams.values()].map((c) => c.close())).then(() => {}));
  const idx = await tempIndex();
  cleanups.push(() => idx.db.close());
  const store = new RecordingStore({ dir: idx.store, index: idx.repo, format: 'mpegts', ringMs: 3_000, ringFileMs: 1_000, recordFileMs: 1_000, flushMs: 100 });
  cleanups.push(() => store.close());
  const janitor = new Janitor({ dir: idx.store, index: idx.repo, defaultRetentionDays: 7, quotaBytes: 0, minFreeBytes: 0, freeBytes: async () => 1e12 });
  const recorder = new Recorder({ store, janitor, ringEnabled: true, tickMs: 60_000, now });
  cleanups.push(() => recorder.close());
  const { manager } = managerFor(cams, { onPublish: (id, p) => recorder.onPublish(id, p), onRelayEnd: (id) => recorder.onRelayEnd(id) });
  cleanups.push(() => manager.close());
  recorder.attach(manager);
  const count = async (kind: 'ring' | 'record') => {
    await store.flush();
    return (await idx.db.get<{ n: number }>(
      'SELECT count(*) AS n FROM recording_segments s JOIN recording_files f ON f.id = s.file_id WHERE f.camera_id = ? AND f.kind = ?', [index, kind]))!.n;
  };
  return { idx, store, recorder, manager, count };
}

// Monday 2026-12-07, 08:00–09:00 China time.
const cst = (iso: string) => Date.parse(`${iso}+08:00`);
const mondayMorning = { days: [[{ from: '08:00', to: '09:00' }], [], [], [], [], [], []] };

describe('recording plans', () => {
  it('a schedule starts recording at its start (relay pinned) and stops at its end', { timeout: 60_000 }, async () => {
    let clock = cst('2026-12-07T07:59:00');
    const { recorder, manager, count } = await setup(4450, () => clock);
    recorder.apply({ cameraId: 4450, mode: 'schedule', stream: 'main', retentionDays: 7, schedule: mondayMorning });
    expect(recorder.state(4450)).toMatchObject({ state: 'standby', pinned: false, nextChange: cst('2026-12-07T08:00:00') });
    expect(manager.isPinned(4450)).toBe(false);

    clock = cst('2026-12-07T08:00:00');
    recorder.reconcile();
    expect(manager.isPinned(4450)).toBe(true);
    expect(recorder.state(4450).nextChange).toBe(cst('2026-12-07T09:00:00'));
    // Nobody watches: the pinned relay runs by itself and its segments are recorded.
    await until(async () => (await count('record')) >= 3, 100);
    expect(recorder.state(4450).state).toBe('recording');
    expect(await count('ring')).toBe(0);

    clock = cst('2026-12-07T09:00:00');
    recorder.reconcile();
    expect(manager.isPinned(4450)).toBe(false);
    expect(recorder.state(4450)).toMatchObject({ state: 'standby', reason: 'outside the schedule' });
    // The relay still runs until idle: its segments now go to the ring, and the recording grows no more.
    await until(async () => (await count('ring')) >= 1, 100);
    const recorded = await count('record');
    await until(async () => (await count('ring')) >= 3, 100);
    expect(await count('record')).toBe(recorded);
  });

  it('event mode keeps the ring until an event, then records the pre-roll from the ring and the post-roll', { timeout: 60_000 }, async () => {
    const { idx, recorder, manager, count } = await setup(4451, Date.now);
    recorder.apply({ cameraId: 4451, mode: 'event', stream: 'main', retentionDays: 7, preRollSec: 2, postRollSec: 2 });
    // Event mode pins the relay (the pre-roll lives in its ring) but records nothing yet.
    expect(manager.isPinned(4451)).toBe(true);
    await until(async () => (await count('ring')) >= 4, 100);
    expect(await count('record')).toBe(0);
    expect(recorder.state(4451)).toMatchObject({ state: 'standby', reason: 'waiting for an event' });

    const at = Date.now();
    const { fromMs, toMs } = await recorder.trigger(4451, at);
    expect([fromMs, toMs]).toEqual([at - 2000, at + 2000]);
    expect(recorder.state(4451).holdUntil).toBe(toMs);
    // The pre-roll: ring segments from before the event are now recording, and the ring pruner leaves them.
    const before = await idx.db.all<{ id: number; start_ms: number }>("SELECT id, start_ms FROM recording_files WHERE camera_id = 4451 AND kind = 'record' ORDER BY start_ms");
    expect(before.length).toBeGreaterThan(0);
    expect(before[0]!.start_ms).toBeLessThan(at - 1000);
    const prunable = new Set((await idx.repo.ringExpired(Date.now() + 3600_000)).map((f) => f.id));
    expect(before.some((f) => prunable.has(f.id))).toBe(false);

    // The post-roll: recorded until it ends, then the ring again.
    await until(async () => (await idx.db.get<{ n: number }>(
      "SELECT count(*) AS n FROM recording_segments s JOIN recording_files f ON f.id = s.file_id WHERE f.camera_id = 4451 AND f.kind = 'record' AND s.start_ms >= ?", [at]))!.n >= 1, 100);
    await until(() => recorder.state(4451).holdUntil === null && Date.now() > toMs + 500, 100);
    await until(async () => (await idx.db.get<{ n: number }>(
      "SELECT count(*) AS n FROM recording_files WHERE camera_id = 4451 AND kind = 'ring' AND start_ms > ?", [toMs]))!.n >= 1, 100);
    const last = await idx.db.get<{ end: number }>(
      "SELECT max(s.start_ms) AS end FROM recording_segments s JOIN recording_files f ON f.id = s.file_id WHERE f.camera_id = 4451 AND f.kind = 'record' AND s.start_ms >= ?", [at]);
    // Nothing recorded starts after the post-roll (a segment that began inside it may end a little later).
    expect(last!.end).toBeLessThanOrEqual(toMs + 1500);
    expect(manager.isPinned(4451)).toBe(true);
  });
});
