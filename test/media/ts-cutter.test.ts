// Our MPEG-TS cutter for LL-HLS parts (server/media/hls/ts-cutter.ts) against mediabunny's HLS muxer, which it
// replaces when parts are on: fed the same pictures (and AAC frames) the way the relay feeds them — quick-start
// pieces until the second key frame, then a cut every 13 pictures — both packagers must publish the same files
// with the same bytes and the same playlists (with AAC too: each file's audio ends where its video does, interleaved
// by PTS as mediabunny does); what they publish decodes with ffprobe.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LivePackager, type EpochSpec, type Publish } from '../../server/media/hls/packager';
import { adtsTemplate } from '../../server/media/hls/ts-cutter';
import { LiveWindow } from '../../server/media/live-window';
import { readFixture } from './helpers/annexb';
import { HAVE_FFPROBE, SKIP_FFPROBE_MSG, probe } from './helpers/ffprobe';

async function settle(p: LivePackager): Promise<void> {
  for (let i = 0; i < 400 && p.backlog > 0; i++) await new Promise((r) => setTimeout(r, 5));
}

/** Raw AAC frames of the ADTS fixture (mono 32 kHz AAC-LC) with their times. */
function aacFrames(): { pts: number; data: Uint8Array }[] {
  const adts = readFileSync(new URL('../../scripts/simulator/fixtures/h264-aac.aac', import.meta.url));
  const out: { pts: number; data: Uint8Array }[] = [];
  for (let o = 0; o + 7 <= adts.length;) {
    const len = ((adts[o + 3]! & 3) << 11) | (adts[o + 4]! << 3) | (adts[o + 5]! >> 5);
    out.push({ pts: out.length * 1024 / 32000, data: new Uint8Array(adts.subarray(o + 7, o + len)) });
    o += len;
  }
  return out;
}

const AAC_CONFIG = new Uint8Array([0x12, 0x88]); // AAC-LC, 32 kHz, mono

type Feed = { t: number; video?: { key: boolean; data: Uint8Array }; audio?: Uint8Array }[];

function feedOf(fixture: string, codec: 'h264' | 'h265', loops: number, audio: boolean): Feed {
  const units = readFixture(fixture, codec);
  const span = (Math.max(...units.map((u) => u.pts)) + 3600) / 90000;
  const feed: Feed = [];
  for (let l = 0; l < loops; l++) for (const u of units) feed.push({ t: l * span + u.pts / 90000, video: { key: u.key, data: u.data } });
  if (audio) {
    const frames = aacFrames();
    const end = loops * span;
    const aspan = frames.length * 1024 / 32000;
    for (let t0 = 0; t0 < end; t0 += aspan) for (const f of frames) if (t0 + f.pts < end) feed.push({ t: t0 + f.pts, audio: f.data });
  }
  // Stable: a picture and an audio frame at the same time keep picture first, as RTP usually delivers them.
  return feed.map((f, i) => ({ f, i })).sort((a, b) => a.f.t - b.f.t || a.i - b.i).map((x) => x.f);
}

/** As the relay feeds a packager with parts (see packager.test.ts withParts). */
function run(feed: Feed, spec: EpochSpec, cutter: boolean) {
  const publishes: Publish[] = [];
  const w = new LiveWindow();
  const p = new LivePackager({ segmentFormat: 'mpegts', windowSize: 30, parts: true, cutter, onPublish: (x) => { publishes.push(x); w.apply(x); } });
  p.startEpoch(spec, true);
  let probing = true;
  let lastCut = 0;
  let max = -1;
  let keys = 0;
  let inPart = 0;
  // Without B-frames decode order is presentation order; with them a cut only goes at a picture shown after all
  // earlier ones, as Relay.partCut does.
  for (const f of feed) {
    if (f.audio) { p.addAudio(f.t, f.audio); continue; }
    const u = f.video!;
    const t = f.t;
    if (u.key) keys++;
    const later = t > max;
    max = Math.max(max, t);
    let cut = false;
    if (probing) {
      cut = !u.key && t - lastCut >= 0.5 - 1e-3 && later;
      if (cut) lastCut = t;
    } else if (u.key) inPart = 1;
    else if (inPart >= 13 && later) { cut = true; inPart = 1; } else inPart++;
    p.addVideo(t, u.key, u.data, cut);
    if (probing && keys === 2) { probing = false; inPart = 1; p.refineEpoch(25, 1, true, 13 / 25); }
  }
  return { p, w, publishes };
}

const files = (ps: Publish[]) => ps.flatMap((x) => [...(x.parts ?? []), ...x.added]).map((f) => ({ name: f.name, bytes: Buffer.from(f.body) }));

const CASES: { fixture: string; codec: 'h264' | 'h265'; spec: EpochSpec }[] = [
  { fixture: 'h264', codec: 'h264', spec: { video: { codec: 'h264', codecString: 'avc1.4d401f', width: 1280, height: 720, fps: 25 }, audio: null, targetDuration: 1 } },
  { fixture: 'h264-bframes', codec: 'h264', spec: { video: { codec: 'h264', codecString: 'avc1.4d401e', width: 640, height: 360, fps: 25 }, audio: null, targetDuration: 1 } },
  { fixture: 'h265', codec: 'h265', spec: { video: { codec: 'h265', codecString: 'hvc1.1.6.L93.B0', width: 1280, height: 720, fps: 25 }, audio: null, targetDuration: 1 } },
];

describe('TsCutter (LL-HLS parts without an Output per file)', () => {
  it('builds the ADTS header of an AudioSpecificConfig, and refuses what ADTS cannot say', () => {
    expect([...adtsTemplate(AAC_CONFIG)!]).toEqual([0xff, 0xf1, 0x54, 0x40, 0x00, 0x1f, 0xfc]);
    // HE-AAC signalled explicitly (object type 5): the core AAC-LC goes in ADTS.
    expect(adtsTemplate(new Uint8Array([0x2a, 0x88, 0x88, 0x00]))![2]! >> 6).toBe(1);
    expect(adtsTemplate(new Uint8Array([0x17, 0x80]))).toBeNull(); // explicit rate (index 15)
    expect(adtsTemplate(new Uint8Array([0x12]))).toBeNull();
  });

  for (const c of CASES) {
    it(`writes the bytes mediabunny writes, file for file (${c.fixture})`, async () => {
      const feed = feedOf(c.fixture, c.codec, 3, false);
      const ours = run(feed, c.spec, true);
      const theirs = run(feed, c.spec, false);
      await settle(theirs.p);
      const a = files(ours.publishes);
      const b = files(theirs.publishes);
      expect(a.length).toBeGreaterThan(8);
      expect(a.map((f) => f.name)).toEqual(b.map((f) => f.name));
      for (let i = 0; i < a.length; i++) expect(a[i]!.bytes.equals(b[i]!.bytes), a[i]!.name).toBe(true);
      expect(ours.publishes.map((x) => x.playlist)).toEqual(theirs.publishes.map((x) => x.playlist));
      ours.p.close();
      theirs.p.close();
    });
  }

  it.skipIf(!HAVE_FFPROBE)('with AAC: parts and segments decode, every frame once, audio with its video ' + (HAVE_FFPROBE ? '' : SKIP_FFPROBE_MSG), async () => {
    const spec: EpochSpec = {
      video: { codec: 'h264', codecString: 'avc1.4d401e', width: 640, height: 360, fps: 25 },
      audio: { config: AAC_CONFIG, sampleRate: 32000, channels: 1, codecString: 'mp4a.40.2' }, targetDuration: 1,
    };
    const feed = feedOf('h264-aac', 'h264', 3, true);
    const ours = run(feed, spec, true);
    const theirs = run(feed, spec, false);
    await settle(theirs.p);
    const a = files(ours.publishes);
    const b = files(theirs.publishes);
    expect(a.map((f) => f.name)).toEqual(b.map((f) => f.name));
    for (let i = 0; i < a.length; i++) expect(a[i]!.bytes.equals(b[i]!.bytes), a[i]!.name).toBe(true);
    // Same playlists: same files with the same durations (each file's audio ends where its video does).
    expect(ours.publishes.map((x) => x.playlist)).toEqual(theirs.publishes.map((x) => x.playlist));
    const text = ours.p.playlist()!;
    const names = text.split('\n').filter((l) => l && !l.startsWith('#'));
    const played = Buffer.concat(names.map((n) => ours.w.file(n)!.body));
    const r = await probe(played);
    expect(r.errors).toBe('');
    expect(r.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    const ref = await probe(Buffer.concat(names.map((n) => theirs.w.file(n)!.body)));
    for (const type of ['video', 'audio']) {
      expect(r.packets.filter((x) => x.codec_type === type).map((x) => x.pts)).toEqual(ref.packets.filter((x) => x.codec_type === type).map((x) => x.pts));
    }
    // A single part decodes on its own terms too (an LL-HLS player fetches them one by one).
    const part = ours.publishes.flatMap((x) => x.parts ?? []).findLast((f) => f.name.startsWith('p'))!;
    const one = await probe(ours.w.file(part.name)!.body);
    expect(one.errors).toBe('');
    expect(one.packets.some((x) => x.codec_type === 'audio')).toBe(true);
    ours.p.close();
    theirs.p.close();
  });
});
