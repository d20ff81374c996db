// Our PES/TS writer must produce exactly mediabunny's bytes: same packager, same input, both writers.
import { describe, expect, it } from 'vitest';
import { LivePackager, type Publish } from '../../server/media/hls/packager';
import { parseAacConfig } from '../../server/media/rtsp/aac';
import { readFixture } from './helpers/annexb';

async function segments(fastTs: boolean, name: string, codec: 'h264' | 'h265', codecString: string, withAudio: boolean) {
  const out = new Map<string, Uint8Array>();
  const p = new LivePackager({
    segmentFormat: 'mpegts', windowSize: 50, fastTs,
    onPublish: (x: Publish) => { for (const f of x.added) out.set(f.name, f.body); },
  });
  const audio = withAudio ? parseAacConfig('1190') : null; // AAC-LC, 48 kHz, stereo
  p.startEpoch({ video: { codec, codecString, width: 640, height: 360, fps: 25 }, audio, targetDuration: 1 });
  const units = readFixture(name, codec);
  const span = (Math.max(...units.map((u) => u.pts)) + 3600) / 90000;
  let next = 0;
  let seed = 1;
  for (let loop = 0; loop < 2; loop++) {
    for (const u of units) {
      const t = loop * span + u.pts / 90000;
      p.addVideo(t, u.key, u.data);
      // Pseudo-random "AAC" frames of varied sizes (the bytes need not decode to compare writers).
      while (audio && next <= t) {
        const frame = new Uint8Array(20 + (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 700).fill(seed & 0xff);
        p.addAudio(next, frame);
        next += 1024 / 48000;
      }
    }
  }
  for (let i = 0; i < 400 && p.backlog > 0; i++) await new Promise((r) => setTimeout(r, 5));
  p.close();
  return out;
}

describe('PES/TS writer', () => {
  const cases: [string, 'h264' | 'h265', string, boolean][] = [
    ['h264-bframes', 'h264', 'avc1.4d401e', false],
    ['h265', 'h265', 'hvc1.1.6.L63.90', false],
    ['h264', 'h264', 'avc1.4d401f', true],
  ];
  for (const [name, codec, codecString, withAudio] of cases) {
    it(`writes mediabunny's bytes for ${name}${withAudio ? ' + audio' : ''}`, async () => {
      const ours = await segments(true, name, codec, codecString, withAudio);
      const theirs = await segments(false, name, codec, codecString, withAudio);
      expect(ours.size).toBeGreaterThan(0);
      expect([...ours.keys()]).toEqual([...theirs.keys()]);
      for (const [k, body] of ours) expect(Buffer.compare(body, theirs.get(k)!), k).toBe(0);
    });
  }
});
