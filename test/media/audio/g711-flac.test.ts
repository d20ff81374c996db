// The G.711 tables and the FLAC frames against Debian's ffmpeg: ffmpeg's own pcm_alaw/pcm_mulaw decoders must give
// the same samples as our tables, and its FLAC decoder must read our frames back bit-exactly (CRCs checked).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flacDescription, flacFrame } from '../../../server/media/audio/flac';
import { ALAW_TABLE, ULAW_TABLE, decodeG711 } from '../../../server/media/audio/g711';
import { G711ToFlac } from '../../../server/media/audio/g711-flac';

const FFMPEG = '/usr/bin/ffmpeg';
const ALL = Uint8Array.from({ length: 256 }, (_, i) => i);

function ffmpegDecode(input: Uint8Array, args: string[]): Int16Array {
  const out = execFileSync(FFMPEG, ['-v', 'error', ...args, '-i', 'pipe:0', '-f', 's16le', '-ac', '1', 'pipe:1'], { input, maxBuffer: 16 << 20 });
  return new Int16Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength));
}

describe('G.711 tables', () => {
  it('known points', () => {
    expect(ALAW_TABLE[0xd5]).toBe(8); // A-law "zero" (alternate bits inverted)
    expect(ALAW_TABLE[0x55]).toBe(-8);
    expect(ULAW_TABLE[0xff]).toBe(0);
    expect(ULAW_TABLE[0x80]).toBe(32124);
    expect(ULAW_TABLE[0x00]).toBe(-32124);
  });

  it.skipIf(!existsSync(FFMPEG))('match ffmpeg for every byte', () => {
    const a = new Int16Array(256);
    decodeG711('pcma', ALL, a);
    expect([...ffmpegDecode(ALL, ['-f', 'alaw', '-ar', '8000', '-ac', '1'])]).toEqual([...a]);
    const u = new Int16Array(256);
    decodeG711('pcmu', ALL, u);
    expect([...ffmpegDecode(ALL, ['-f', 'mulaw', '-ar', '8000', '-ac', '1'])]).toEqual([...u]);
  });
});

describe.skipIf(!existsSync(FFMPEG))('FLAC frames', () => {
  it('decode bit-exactly in ffmpeg, across block sizes and large sample numbers', () => {
    const pcm = Int16Array.from({ length: 4096 }, (_, i) => Math.round(Math.sin(i / 7) * 20000) + (i % 13) - 6);
    const parts: Uint8Array[] = [flacDescription(8000, 1)];
    const sizes = [160, 320, 17, 1024, 4096 - 160 - 320 - 17 - 1024];
    let at = 0;
    // A stream that started long ago: sample numbers needing 5- and 6-byte codings decode too.
    const base = 2 ** 27;
    for (const n of sizes) { parts.push(flacFrame(pcm.subarray(at), n, 1, base + at)); at += n; }
    const file = Buffer.concat(parts);
    const decoded = ffmpegDecode(file, ['-f', 'flac', '-err_detect', 'crccheck+bitstream+explode']);
    expect(decoded.length).toBe(pcm.length);
    expect([...decoded]).toEqual([...pcm]);
  });

  it('G711ToFlac gathers RTP payloads into ~128 ms frames, timed and numbered in order; a gap closes a frame', async () => {
    const enc = new G711ToFlac({ law: 'pcma', sampleRate: 8000, channels: 1, codecString: 'flac' });
    const payload = new Uint8Array(160).fill(0xd5);
    const frames = [];
    for (let i = 0; i < 7; i++) frames.push(...enc.encode(payload, 1 + i * 0.02));
    expect(frames).toHaveLength(1); // 7 × 160 = 1120 samples: one frame of 1024 once the seventh arrived
    expect(frames[0]!.pts).toBeCloseTo(1, 6);
    expect(frames[0]!.duration).toBeCloseTo(1024 / 8000, 6);
    // A payload 1 s later does not follow on: the 96 held samples go out first, in their own frame and time.
    const after = enc.encode(payload, 2.14);
    expect(after).toHaveLength(1);
    expect(after[0]!.pts).toBeCloseTo(1 + 1024 / 8000, 6);
    expect(after[0]!.duration).toBeCloseTo(96 / 8000, 6);
    const decoded = ffmpegDecode(Buffer.concat([enc.description, frames[0]!.data, after[0]!.data]), ['-f', 'flac', '-err_detect', 'crccheck+explode']);
    expect([...decoded]).toEqual(new Array(1120).fill(8));
  });
});
