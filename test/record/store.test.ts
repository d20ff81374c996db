// The segment store against a real simulated camera and relay: files are rolled, the index plays back, ffprobe
// decodes across file boundaries with continuous timestamps, and an outage shows as a gap.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RecordingStore, spansOf, vodPlaylist } from '../../server/media/record/index';
import { continuousRun, exportClip } from '../../server/media/record/clip';
import { HAVE_FFPROBE, probe } from '../media/helpers/ffprobe';
import { camera, managerFor, until } from '../media/helpers/sim';
import { allSegments, concat, tempIndex } from './helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

async function setup(index: number, format: 'mpegts' | 'cmaf' = 'mpegts') {
  const cam = await camera(index);
  cleanups.push(() => cam.close());
  const idx = await tempIndex();
  cleanups.push(() => idx.db.close());
  const store = new RecordingStore({ dir: idx.store, index: idx.repo, format, ringFileMs: 3_000, recordFileMs: 3_000, flushMs: 200 });
  cleanups.push(() => store.close());
  const { manager, events } = managerFor(new Map([[index, cam]]), {
    onPublish: (relayId, p) => store.accept({ cameraId: relayId, stream: 'main' }, p, 'record'),
    onRelayEnd: (relayId) => { void store.release({ cameraId: relayId, stream: 'main' }); },
    segmentFormat: format,
  });
  cleanups.push(() => manager.close());
  manager.pin(index, true);
  return { cam, idx, store, manager, events };
}

describe('segment store', () => {
  it.skipIf(!HAVE_FFPROBE)('records a running relay into few files that decode as one stream with continuous timestamps', { timeout: 60_000 }, async () => {
    const { idx } = await setup(2151);
    // ≥ 3 files of 3 s: at least two file boundaries inside what we read back.
    await until(async () => (await idx.repo.filesOverlapping(2151, 0, Number.MAX_SAFE_INTEGER)).length >= 3 && (await allSegments(idx.repo, 2151)).length >= 8, 200);
    const segs = await allSegments(idx.repo, 2151);
    const files = new Set(segs.map((s) => s.fileId));
    expect(files.size).toBeGreaterThanOrEqual(2);
    // No segment splits: offsets inside one file are contiguous.
    const byFile = new Map<number, typeof segs>();
    for (const s of segs) byFile.set(s.fileId, [...(byFile.get(s.fileId) ?? []), s]);
    for (const list of byFile.values()) list.forEach((s, i) => { if (i > 0) expect(s.offset).toBe(list[i - 1]!.offset + list[i - 1]!.size); });
    // Wall-clock times chain within an epoch.
    for (let i = 1; i < segs.length; i++) expect(Math.abs(segs[i]!.startMs - (segs[i - 1]!.startMs + segs[i - 1]!.durationMs))).toBeLessThan(1_500);

    const playlist = vodPlaylist(segs);
    expect(playlist).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(playlist).toMatch(/#EXT-X-BYTERANGE:\d+@\d+/);
    expect(playlist).toContain('#EXT-X-PROGRAM-DATE-TIME:');
    expect(playlist).toContain('#EXT-X-ENDLIST');

    const bytes = await concat(idx.store, idx.repo, segs.filter((s) => !s.dependent || segs.indexOf(s) > 0));
    const result = await probe(bytes);
    expect(result.errors).toBe('');
    const video = result.packets.filter((p) => p.codec_type === 'video').map((p) => p.dts).filter(Number.isFinite);
    expect(video.length).toBeGreaterThan(100);
    // DTS in 90 kHz ticks: continuous (no step over 0.5 s) across every file boundary.
    let maxStep = 0;
    for (let i = 1; i < video.length; i++) maxStep = Math.max(maxStep, video[i]! - video[i - 1]!);
    expect(maxStep).toBeGreaterThan(0);
    expect(maxStep).toBeLessThan(45_000);

    // Clip export: the same run remuxed into MP4 by mediabunny decodes, with the same codec and frame count.
    const { run } = continuousRun(segs);
    const out = join(idx.dir, 'clip.mp4');
    const paths = new Map((await idx.repo.filesOverlapping(2151, 0, Number.MAX_SAFE_INTEGER)).map((f) => [f.id, f.path]));
    await exportClip(idx.store, (id) => paths.get(id)!, run, out);
    const mp4 = await probe(readFileSync(out), '.mp4');
    const ts = await probe(await concat(idx.store, idx.repo, run));
    expect(mp4.errors).toBe('');
    expect(mp4.streams.find((st) => st.codec_type === 'video')?.codec_name).toBe('h264');
    expect(mp4.packets.filter((p) => p.codec_type === 'video').length).toBe(ts.packets.filter((p) => p.codec_type === 'video').length);
  });

  it('a camera outage shows as a gap in the spans and a discontinuity in the playlist', async () => {
    const { cam, idx, events } = await setup(2152);
    await until(async () => (await allSegments(idx.repo, 2152)).length >= 3, 200);
    cam.setFault({ kind: 'offline' });
    await cam.settled();
    await until(() => events.find((e) => e.status === 'offline'));
    // Stay away long enough for a visible gap (the relay's backoff brings it back after ~1 s).
    await new Promise((r) => setTimeout(r, 2_500)); // the outage itself: time must pass for a gap to exist
    cam.setFault({ kind: 'none' });
    await cam.settled();
    const before = (await allSegments(idx.repo, 2152)).length;
    await until(async () => (await allSegments(idx.repo, 2152)).length >= before + 3, 200);
    const segs = await allSegments(idx.repo, 2152);
    const spans = spansOf(segs);
    expect(spans.length).toBeGreaterThanOrEqual(2);
    expect(spans[1]!.startMs - spans[0]!.endMs).toBeGreaterThan(1_500);
    expect(vodPlaylist(segs)).toContain('#EXT-X-DISCONTINUITY');
  });

  it.skipIf(!HAVE_FFPROBE)('stores CMAF with its init segment in each file; init + segments decode as fragmented MP4', { timeout: 60_000 }, async () => {
    const { idx } = await setup(2154, 'cmaf');
    await until(async () => (await idx.repo.filesOverlapping(2154, 0, Number.MAX_SAFE_INTEGER)).length >= 2 && (await allSegments(idx.repo, 2154)).length >= 6, 200);
    const segs = await allSegments(idx.repo, 2154);
    expect(segs.every((s) => s.initSize !== null && s.initOffset !== null)).toBe(true);
    const playlist = vodPlaylist(segs);
    expect(playlist).toMatch(/#EXT-X-MAP:URI="f\d+\.m4s",BYTERANGE="\d+@0"/);
    // One file: its init, then its segments, as a player assembles them from the playlist.
    const fileId = segs[0]!.fileId;
    const inFile = segs.filter((s) => s.fileId === fileId);
    const f = (await idx.repo.fileById(fileId))!;
    const data = readFileSync(join(idx.store, f.path));
    const bytes = Buffer.concat([data.subarray(inFile[0]!.initOffset!, inFile[0]!.initOffset! + inFile[0]!.initSize!), ...inFile.map((s) => data.subarray(s.offset, s.offset + s.size))]);
    const result = await probe(bytes, '.mp4');
    expect(result.errors).toBe('');
    expect(result.packets.filter((p) => p.codec_type === 'video').length).toBeGreaterThan(20);
  });
});
