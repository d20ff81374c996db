// Disk full on a real small file system: the recordings directory is a tmpfs of 8 MB mounted by this test (skipped
// where mounting is not permitted). A recorded camera fills it; the store meets ENOSPC and recording stops for
// that camera with the reason 'disk full'; live keeps playing for it and for a watched camera; what was stored
// before still decodes and no index row points past its file's end; once space is freed the next sweep resumes it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Janitor, Recorder, RecordingStore } from '../../server/media/record/index';
import { HAVE_FFPROBE, probe } from '../media/helpers/ffprobe';
import { camera, managerFor, until } from '../media/helpers/sim';
import { allSegments, concat, tempIndex } from './helpers';

// Simulator indexes reserved for this file: 2177 (recorded), 2178 (watched live only).
const RECORDED = 2177;
const WATCHED = 2178;

function mountTmpfs(): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'cvc-diskfull-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
}

const mount = mountTmpfs();
afterAll(() => {
  if (!mount) return;
  execFileSync('umount', [mount], { stdio: 'ignore' });
  rmSync(mount, { recursive: true, force: true });
});

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

describe.skipIf(!mount)('disk full (tmpfs of 8 MB)', () => {
  it.skipIf(!HAVE_FFPROBE)('stops recording the camera with "disk full", keeps live playing, leaves a sound index, and resumes once space is freed', { timeout: 120_000 }, async () => {
    const store = join(mount!, 'store');
    mkdirSync(store);
    // Other data on the same disk: leaves ~3 MB for recording (~13 s of the simulator's 1.8 Mb/s) so the test
    // does not wait for 8 MB; the recording still runs into the real end of the file system.
    const filler = join(mount!, 'other-data');
    writeFileSync(filler, Buffer.alloc(5 * 1024 * 1024));
    const cams = new Map(await Promise.all([RECORDED, WATCHED].map(async (i) => [i, await camera(i)] as const)));
    cleanups.push(() => Promise.all([...cams.values()].map((c) => c.close())).then(() => {}));
    // The index lives elsewhere (the data directory), as when recording.dir is its own disk.
    const idx = await tempIndex();
    cleanups.push(() => idx.db.close());
    const stopped: { cameraId: number; reason: string }[] = [];
    const st = new RecordingStore({
      dir: store, index: idx.repo, format: 'mpegts', recordFileMs: 2_000, flushMs: 100,
      onStopped: (key, reason) => stopped.push({ cameraId: key.cameraId, reason }),
    });
    cleanups.push(() => st.close());
    // Real free space (statfs of the tmpfs); no quota, no low-disk mark: only ENOSPC stops the recording.
    const janitor = new Janitor({ dir: store, index: idx.repo, defaultRetentionDays: 7, quotaBytes: 0, minFreeBytes: 0 });
    const recorder = new Recorder({ store: st, janitor, ringEnabled: false, tickMs: 600_000 });
    cleanups.push(() => recorder.close());
    const { manager } = managerFor(cams, {
      onPublish: (id, p) => recorder.onPublish(id, p),
      onRelayEnd: (id) => recorder.onRelayEnd(id),
    });
    cleanups.push(() => manager.close());
    recorder.attach(manager);
    recorder.apply({ cameraId: RECORDED, mode: 'continuous', stream: 'main', retentionDays: 7 });
    await manager.playlist(WATCHED, 'viewer');

    // Recording runs into the end of the file system.
    await until(() => stopped.length > 0, 100);
    expect(stopped).toEqual([{ cameraId: RECORDED, reason: 'disk full' }]);
    expect(recorder.state(RECORDED)).toMatchObject({ state: 'stopped', reason: 'disk full' });
    await st.flush();

    // Live keeps playing for both cameras: their relays still make new segments and serve playlists.
    const made = (id: number) => manager.list().find((r) => r.relayId === id)?.segments ?? 0;
    const before = { rec: made(RECORDED), live: made(WATCHED) };
    await until(() => made(RECORDED) >= before.rec + 2 && made(WATCHED) >= before.live + 2, 100);
    expect((await manager.playlist(RECORDED)).length).toBeGreaterThan(0);
    expect((await manager.playlist(WATCHED)).length).toBeGreaterThan(0);
    expect(manager.list().filter((r) => r.state === 'online').map((r) => r.relayId).sort()).toEqual([RECORDED, WATCHED]);

    // The index is sound: every row inside its file's bytes on disk, and what was stored decodes.
    const segs = await allSegments(idx.repo, RECORDED);
    expect(segs.length).toBeGreaterThan(2);
    const files = await idx.repo.filesOverlapping(RECORDED, 0, Number.MAX_SAFE_INTEGER);
    for (const f of files) {
      const size = statSync(join(store, f.path)).size;
      for (const s of segs.filter((x) => x.fileId === f.id)) expect(s.offset + s.size).toBeLessThanOrEqual(size);
    }
    expect(files.every((f) => f.sealed === 1)).toBe(true);
    const decoded = await probe(await concat(store, idx.repo, segs.filter((s, i) => i > 0 || !s.dependent)));
    expect(decoded.errors).toBe('');
    expect(decoded.packets.filter((p) => p.codec_type === 'video').length).toBeGreaterThan(25);
    // Nothing is written while stopped.
    const rowsWhileFull = segs.length;
    await until(() => made(RECORDED) >= before.rec + 4, 100);
    await st.flush();
    expect((await allSegments(idx.repo, RECORDED)).length).toBe(rowsWhileFull);

    // Space comes back (the other data goes): the next sweep lets the camera record again.
    rmSync(filler);
    await recorder.sweepDisk();
    expect(recorder.state(RECORDED).state).toBe('recording');
    await until(async () => { await st.flush(); return (await allSegments(idx.repo, RECORDED)).length > rowsWhileFull; }, 200);
    expect(stopped).toHaveLength(1);
  });
});
