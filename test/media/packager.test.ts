// Packager from fixture frames, no RTSP: proves segmenting, playlist bookkeeping, B-frame DTS and H.265 output.
import { describe, expect, it } from 'vitest';
import { LivePackager, type PackagerOptions, type Publish } from '../../server/media/hls/packager';
import { LiveWindow } from '../../server/media/live-window';
import { readFixture } from './helpers/annexb';
import { HAVE_FFPROBE, SKIP_FFPROBE_MSG, probe } from './helpers/ffprobe';

async function settle(p: LivePackager): Promise<void> {
  for (let i = 0; i < 200 && p.backlog > 0; i++) await new Promise((r) => setTimeout(r, 5));
}

function feed(p: LivePackager, name: string, codec: 'h264' | 'h265', loops: number, offsetSec = 0): number {
  const units = readFixture(name, codec);
  const span = (Math.max(...units.map((u) => u.pts)) + 3600) / 90000;
  let t = offsetSec;
  for (let l = 0; l < loops; l++) {
    for (const u of units) p.addVideo(t + u.pts / 90000, u.key, u.data);
    t += span;
  }
  return t;
}

const spec = (codec: 'h264' | 'h265', codecString: string, w: number, h: number) =>
  ({ video: { codec, codecString, width: w, height: h, fps: 25 }, audio: null, targetDuration: 1 });

/** The packager hands bodies out once; a LiveWindow keeps them, as the serving thread does. */
function withWindow(opts: PackagerOptions) {
  const w = new LiveWindow();
  const p = new LivePackager({ ...opts, onPublish: (x) => w.apply(x) });
  return { p, w };
}

function playlistNames(text: string): string[] {
  return text.split('\n').filter((l) => l && !l.startsWith('#'));
}

describe('LivePackager', () => {
  it('keeps a bounded live window with advancing media sequence', async () => {
    const { p, w } = withWindow({ segmentFormat: 'mpegts', windowSize: 3 });
    p.startEpoch(spec('h264', 'avc1.4d401f', 1280, 720));
    feed(p, 'h264', 'h264', 3); // 3 s at GOP 1 s
    await settle(p);
    const text = p.playlist();
    expect(text).not.toBeNull();
    const names = playlistNames(text!);
    expect(names.length).toBeLessThanOrEqual(3);
    expect(p.segmentCount).toBeGreaterThan(3 - 1);
    // Segments out of the window are gone (freed), those in it are served.
    expect(w.file('s1-1.ts')).toBeUndefined();
    for (const n of names) expect(w.file(n)?.contentType).toBe('video/mp2t');
    const seq = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text!)![1]);
    expect(seq).toBe(p.segmentCount - names.length);
    for (const d of text!.matchAll(/#EXTINF:([\d.]+),/g)) expect(Number(d[1])).toBeCloseTo(1, 1);
    p.close();
  });

  it('marks a new epoch with EXT-X-DISCONTINUITY and keeps names unique', async () => {
    const { p } = withWindow({ segmentFormat: 'mpegts', windowSize: 10 });
    p.startEpoch(spec('h264', 'avc1.4d401f', 1280, 720));
    feed(p, 'h264', 'h264', 2);
    await settle(p);
    p.startEpoch(spec('h264', 'avc1.4d401f', 1280, 720));
    feed(p, 'h264', 'h264', 2, 500);
    await settle(p);
    const text = p.playlist()!;
    const names = playlistNames(text);
    expect(new Set(names).size).toBe(names.length);
    expect(names.some((n) => n.startsWith('s2-'))).toBe(true);
    expect(text.split('\n').filter((l) => l === '#EXT-X-DISCONTINUITY').length).toBe(1);
    p.close();
  });

  it.skipIf(!HAVE_FFPROBE)('writes B-frame streams with DTS <= PTS and monotonic DTS ' + (HAVE_FFPROBE ? '' : SKIP_FFPROBE_MSG), async () => {
    const { p, w } = withWindow({ segmentFormat: 'mpegts', windowSize: 10 });
    p.startEpoch(spec('h264', 'avc1.4d401e', 640, 360));
    feed(p, 'h264-bframes', 'h264', 3);
    await settle(p);
    const names = playlistNames(p.playlist()!);
    expect(names.length).toBeGreaterThanOrEqual(2);
    const body = Buffer.concat(names.map((n) => w.file(n)!.body));
    const r = await probe(body);
    expect(r.errors).toBe('');
    expect(r.streams[0]?.codec_name).toBe('h264');
    const video = r.packets.filter((x) => x.codec_type === 'video');
    expect(video.length).toBeGreaterThan(100);
    let reordered = 0;
    for (let i = 0; i < video.length; i++) {
      expect(video[i]!.dts).toBeLessThanOrEqual(video[i]!.pts);
      if (i > 0) expect(video[i]!.dts).toBeGreaterThan(video[i - 1]!.dts);
      if (i > 0 && video[i]!.pts < video[i - 1]!.pts) reordered++;
    }
    // Composition offsets survived: presentation order differs from decode order.
    expect(reordered).toBeGreaterThan(10);
    // One frame of reorder delay is the least that keeps DTS <= PTS for this I-P-B-B pattern.
    expect(p.reorderDelay).toBeCloseTo(0.04, 3);
    p.close();
  });

  /** The relay's probe as it drives the packager: cut every 0.5 s at pictures shown after all earlier ones, then
   * refine at the second key frame (Relay.probeVideo). */
  function quickStart(p: LivePackager, name: string, codec: 'h264' | 'h265', loops: number, target: number) {
    const units = readFixture(name, codec);
    const span = (Math.max(...units.map((u) => u.pts)) + 3600) / 90000;
    let probing = true;
    let lastCut = 0;
    let max = -1;
    let keys = 0;
    for (let l = 0; l < loops; l++) {
      for (const u of units) {
        const t = l * span + u.pts / 90000;
        if (u.key) keys++;
        const cut = probing && !u.key && t - lastCut >= 0.5 - 1e-3 && t > max;
        if (cut) lastCut = t;
        max = Math.max(max, t);
        p.addVideo(t, u.key, u.data, cut);
        if (probing && keys === 2) { probing = false; p.refineEpoch(25, target); }
      }
    }
  }

  for (const [name, label] of [['h264', 'H.264'], ['h264-bframes', 'H.264 with B-frames']] as const) {
    it.skipIf(!HAVE_FFPROBE)(`quick start cuts the first GOP, then whole GOPs (${label}) ` + (HAVE_FFPROBE ? '' : SKIP_FFPROBE_MSG), async () => {
      const { p, w } = withWindow({ segmentFormat: 'mpegts', windowSize: 20 });
      p.startEpoch(spec('h264', 'avc1.4d401f', 1280, 720), true);
      // Only the first half GOP: its piece is published before the GOP ends.
      const units = readFixture(name, 'h264');
      const half = units.findIndex((u, i) => i > 0 && u.pts / 90000 >= 0.5 && u.pts > Math.max(...units.slice(0, i).map((x) => x.pts)));
      for (const [i, u] of units.slice(0, half + 1).entries()) p.addVideo(u.pts / 90000, u.key, u.data, i === half);
      await settle(p);
      const early = p.playlist()!;
      expect(playlistNames(early)).toHaveLength(1);
      const first = Number(/#EXTINF:([\d.]+)/.exec(early)![1]);
      expect(first).toBeGreaterThanOrEqual(0.48);
      expect(first).toBeLessThan(0.75); // B-frames: the first picture shown after all earlier ones
      expect(early).not.toContain('#EXT-X-INDEPENDENT-SEGMENTS'); // the next piece will not start with a key frame
      p.close();

      // The whole run, refined to a 2 s target: after the probe, segments hold two 1 s GOPs (mediabunny's own
      // target changed under it; were it left at the probe's, every key frame would cut).
      const run = withWindow({ segmentFormat: 'mpegts', windowSize: 20 });
      run.p.startEpoch(spec('h264', 'avc1.4d401f', 1280, 720), true);
      quickStart(run.p, name, 'h264', 7, 2);
      await settle(run.p);
      const text = run.p.playlist()!;
      const durations = [...text.matchAll(/#EXTINF:([\d.]+),/g)].map((m) => Number(m[1]));
      expect(durations[0]! + durations[1]!).toBeCloseTo(1, 1);
      expect(durations[0]).toBeLessThan(0.75);
      for (const d of durations.slice(2, -1)) expect(d).toBeCloseTo(2, 1);
      const names = playlistNames(text);
      const bodies = names.map((n) => w.file(n)?.body ?? run.w.file(n)!.body);
      // random_access_indicator (adaptation field flag 0x40) on the key frame's first packet, not on the cut's.
      const rai = (seg: Uint8Array) => {
        for (let o = 0; o + 188 <= seg.length; o += 188) {
          const pid = ((seg[o + 1]! & 0x1f) << 8) | seg[o + 2]!;
          if (pid !== 0x100 || !(seg[o + 1]! & 0x40)) continue; // first video packet (PID 256, payload start)
          return (seg[o + 3]! & 0x20) !== 0 && seg[o + 4]! > 0 && (seg[o + 5]! & 0x40) !== 0;
        }
        return null;
      };
      expect(rai(bodies[0]!)).toBe(true);
      expect(rai(bodies[1]!)).toBe(false);
      expect(rai(bodies[2]!)).toBe(true);
      // Played in order, the pieces decode without errors, and DTS stays monotonic and at or before PTS.
      const r = await probe(Buffer.concat(bodies));
      expect(r.errors).toBe('');
      const video = r.packets.filter((x) => x.codec_type === 'video');
      for (let i = 1; i < video.length; i++) {
        expect(video[i]!.dts).toBeGreaterThan(video[i - 1]!.dts);
        expect(video[i]!.dts).toBeLessThanOrEqual(video[i]!.pts);
      }
      run.p.close();
    });
  }

  /** As the relay feeds a packager with parts: quick-start pieces until the second key frame, then a cut every
   * `partFrames` pictures from each key frame (at a picture shown after all earlier ones). Returns the publishes. */
  function withParts(name: string, loops: number, partFrames: number, target: number, windowSize = 20) {
    const publishes: Publish[] = [];
    const w = new LiveWindow();
    const p = new LivePackager({ segmentFormat: 'mpegts', windowSize, parts: true, onPublish: (x) => { publishes.push(x); w.apply(x); } });
    p.startEpoch(spec('h264', 'avc1.4d401f', 1280, 720), true);
    const units = readFixture(name, 'h264');
    const span = (Math.max(...units.map((u) => u.pts)) + 3600) / 90000;
    let probing = true;
    let lastCut = 0;
    let max = -1;
    let keys = 0;
    let inPart = 0;
    for (let l = 0; l < loops; l++) {
      for (const u of units) {
        const t = l * span + u.pts / 90000;
        if (u.key) keys++;
        const later = t > max;
        max = Math.max(max, t);
        let cut = false;
        if (probing) {
          cut = !u.key && t - lastCut >= 0.5 - 1e-3 && later;
          if (cut) lastCut = t;
        } else if (u.key) inPart = 1;
        else if (inPart >= partFrames && later) { cut = true; inPart = 1; } else inPart++;
        p.addVideo(t, u.key, u.data, cut);
        if (probing && keys === 2) { probing = false; inPart = 1; p.refineEpoch(25, target, true, partFrames / 25); }
      }
    }
    return { p, w, publishes };
  }

  it.skipIf(!HAVE_FFPROBE)('LL-HLS parts after the first GOP; segments are their concatenation and decode ' + (HAVE_FFPROBE ? '' : SKIP_FFPROBE_MSG), async () => {
    const { p, w, publishes } = withParts('h264', 3, 13, 1);
    await settle(p);
    const text = p.playlist()!;
    expect(text).toContain('#EXT-X-PART-INF:PART-TARGET=0.520');
    expect(text).toContain('#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.560');
    // Whole segments (added) still start with key frames and hold whole GOPs after the two quick-start pieces.
    const segments = publishes.flatMap((x) => x.added);
    const durations = [...text.matchAll(/#EXTINF:([\d.]+),/g)].map((m) => Number(m[1]));
    expect(durations.slice(2).every((d) => Math.abs(d - 1) < 0.05)).toBe(true);
    // Every publish after the first GOP brings one part (~0.5 s of media), so a player never waits a GOP.
    const afterProbe = publishes.slice(publishes.findIndex((x) => x.parts));
    expect(afterProbe.length).toBeGreaterThan(8);
    for (const x of afterProbe) expect(x.parts?.length).toBe(1);
    // No playlist ends on a whole segment: one made of parts is listed whole only with the first part after it
    // (hls.js takes a trailing whole segment for its open one and loses its part timeline when the window slides).
    for (const x of afterProbe) expect(x.playlist.trim().split('\n').pop()).toMatch(/^#EXT-X-PART:/);
    const parts = [...text.matchAll(/#EXT-X-PART:DURATION=([\d.]+),URI="([^"]+)"(,INDEPENDENT=YES)?/g)];
    for (const m of parts) expect(Number(m[1])).toBeLessThanOrEqual(0.52 + 1e-9);
    // Parts of the last two whole segments and of the open one are listed; the key frame's part is independent.
    expect(parts.length).toBeGreaterThanOrEqual(4);
    expect(parts.filter((m) => m[3]).length).toBeGreaterThanOrEqual(2);
    // A segment made of parts is their concatenation, and the served parts are views of it.
    const made = segments.filter((f) => f.parts);
    expect(made.length).toBeGreaterThan(3);
    const last = made[made.length - 1]!;
    const partBodies = last.parts!.map((n) => w.file(n)!.body);
    expect(Buffer.concat(partBodies).equals(Buffer.from(w.file(last.name)!.body))).toBe(true);
    expect(partBodies[0]!.buffer).toBe(w.file(last.name)!.body.buffer);
    // The blocking-reload edge: the open segment's newest part, right after the last whole segment.
    const edge = publishes[publishes.length - 1]!.edge!;
    const msn = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)![1]) + durations.length;
    expect(edge.msn).toBe(msn);
    expect(w.holds({ msn: msn - 1 })).toBe(true);
    expect(w.holds({ msn })).toBe(edge.part >= 0); // a whole segment is asked for: its first part answers
    expect(w.holds({ msn, part: edge.part })).toBe(edge.part >= 0);
    expect(w.holds({ msn, part: edge.part + 1 })).toBe(false);
    // Played in order (what an LL-HLS player appends), the pieces and parts decode; so do the whole segments.
    const names = playlistNames(text);
    const r = await probe(Buffer.concat(names.map((n) => w.file(n)!.body)));
    expect(r.errors).toBe('');
    const video = r.packets.filter((x) => x.codec_type === 'video');
    for (let i = 1; i < video.length; i++) expect(video[i]!.dts).toBeGreaterThan(video[i - 1]!.dts);
    const single = await probe(w.file(last.name)!.body);
    expect(single.errors).toBe('');
    expect(single.packets.filter((x) => x.codec_type === 'video')[0]!.flags).toContain('K');
    p.close();
  });

  it('LL-HLS parts: a 2 s segment is four parts; parts of old segments leave the playlist', async () => {
    // The h264 fixture has 1 s GOPs: a 2 s target holds two of them, so four parts a segment.
    const two = withParts('h264', 8, 13, 2, 4);
    await settle(two.p);
    const text = two.p.playlist()!;
    const segs = two.publishes.flatMap((x) => x.added).filter((f) => f.parts);
    expect(segs.length).toBeGreaterThan(2);
    for (const s of segs) expect(s.parts).toHaveLength(4);
    // Parts are listed for at most the last two whole segments plus the open one; older ones were dropped.
    const listed = [...text.matchAll(/#EXT-X-PART:[^\n]*URI="([^"]+)"/g)].map((m) => m[1]!);
    expect(listed.length).toBeLessThanOrEqual(4 * 3);
    const dropped = two.publishes.flatMap((x) => x.droppedParts ?? []);
    expect(dropped.length).toBeGreaterThan(0);
    for (const n of dropped) expect(listed).not.toContain(n);
    two.p.close();
  });

  it.skipIf(!HAVE_FFPROBE)('writes H.265 that decodes ' + (HAVE_FFPROBE ? '' : SKIP_FFPROBE_MSG), async () => {
    const { p, w } = withWindow({ segmentFormat: 'mpegts', windowSize: 10 });
    p.startEpoch(spec('h265', 'hvc1.1.6.L63.90', 640, 360));
    feed(p, 'h265', 'h265', 2);
    await settle(p);
    const names = playlistNames(p.playlist()!);
    const r = await probe(w.file(names[0]!)!.body);
    expect(r.errors).toBe('');
    expect(r.streams[0]?.codec_name).toBe('hevc');
    expect(r.streams[0]?.width).toBe(640);
    p.close();
  });

  it.skipIf(!HAVE_FFPROBE)('writes CMAF with an init segment ' + (HAVE_FFPROBE ? '' : SKIP_FFPROBE_MSG), async () => {
    const { p, w } = withWindow({ segmentFormat: 'cmaf', windowSize: 10 });
    p.startEpoch(spec('h264', 'avc1.4d401f', 1280, 720));
    feed(p, 'h264', 'h264', 2);
    await settle(p);
    const text = p.playlist()!;
    expect(text).toContain('#EXT-X-MAP:URI="init-1.mp4"');
    const names = playlistNames(text);
    const init = w.file('init-1.mp4');
    expect(init?.contentType).toBe('video/mp4');
    const r = await probe(Buffer.concat([init!.body, w.file(names[0]!)!.body]), '.mp4');
    expect(r.errors).toBe('');
    expect(r.streams[0]?.codec_name).toBe('h264');
    p.close();
  });
});

describe('LiveWindow', () => {
  const publish = (name: string, dropped: string[], first = false) => ({
    playlist: `#EXTM3U\n${name}\n`, added: [{ name, body: new Uint8Array([0x47, name.length]) }], dropped, first,
    resume: { epoch: 1, mediaSequence: 0, discontinuitySequence: 0, nextStart: 1 },
  });

  it('offers snapshots the newest segment that starts with a key frame, not a quick-start piece', () => {
    const w = new LiveWindow();
    w.apply(publish('s1-1.ts', [], true));
    w.apply({ ...publish('s1-2.ts', []), added: [{ name: 's1-2.ts', body: new Uint8Array([0x47]), dependent: true as const }] });
    expect(w.file('s1-2.ts')).toBeDefined(); // served to players all the same
    expect(w.latest()?.name).toBe('s1-1.ts');
    w.apply(publish('s1-3.ts', []));
    expect(w.latest()?.name).toBe('s1-3.ts');
  });

  it('still serves the segment that left the playlist last, and frees the one before it', () => {
    const w = new LiveWindow();
    w.apply(publish('s1-1.ts', [], true));
    w.apply(publish('s1-2.ts', ['s1-1.ts']));
    // A player holding the previous playlist asks for its oldest segment a moment later: still there.
    expect(w.file('s1-1.ts')?.body[0]).toBe(0x47);
    w.apply(publish('s1-3.ts', ['s1-2.ts']));
    expect(w.file('s1-1.ts')).toBeUndefined();
    expect(w.file('s1-2.ts')).toBeDefined();
    expect(w.bytesHeld).toBe(4);
    // A new packager's first publish replaces everything, lingering bodies included.
    w.apply(publish('s2-1.ts', [], true));
    expect(w.file('s1-2.ts')).toBeUndefined();
    expect(w.file('s1-3.ts')).toBeUndefined();
    expect(w.file('s2-1.ts')).toBeDefined();
  });
});
