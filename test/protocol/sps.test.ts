// The one SPS reader (server/protocol/sps.ts, rbsp.ts), used by the probe (SDP) and the relay (in-band), against
// parameter sets from real encoders. The probe and relay tests read simulated cameras' SPSs end to end
// (test/discovery/rtsp-probe.test.ts, test/media/relay.test.ts, test/media/faults.test.ts sps-change).
import { describe, expect, it } from 'vitest';
import { describeVideo } from '../../server/media/h264/params';
import { BitReader, unescapeRbsp } from '../../server/protocol/rbsp';
import { h264PictureSize, h265PictureSize } from '../../server/protocol/sps';

// SPS NAL units written by ffmpeg's libx264/libx265 from `testsrc` (one frame, `-f h264|hevc`), each size as
// ffprobe reports it. Every one has emulation-prevention bytes (00 00 03), so each also tests the unescaping.
const H264: [string, string, number, number][] = [
  ['High, 1080 coded as 1088 and cropped', '67640028acd940780227e5c044000003000400000300c83c60c658', 1920, 1080],
  ['Constrained Baseline (no chroma fields)', '6742c00dd9016096c044000003000400000300c83c50a920', 352, 288],
  ['High 4:2:2, odd height (crop unit 1 row: NMS said 706)', '677a0020bcd9405005df843011000003000100000300320f183196', 1280, 721],
  ['High 4:4:4 Predictive, odd width and height', '67f4001e919b281485fc211180880000030008000003019078b16cb0', 641, 361],
  ['High, interlaced (frame_mbs_only 0: map units are field pairs)', '67640028acd94078044fde0220000003002000000643e2c5b2c0', 1920, 1080],
  ['High, cropped right and bottom', '67640020acd94056061e6ac044000003000400000300c83c60c658', 1366, 766],
  ['High, monochrome (chroma_format_idc 0)', '6764001ef3650280bfe27016c80000030008000003019078b16cb0', 640, 360],
  // x264 puts its scaling matrices in the PPS; this is its 1080p SPS with seq_scaling_matrix_present and two lists
  // spliced in (one ending early on a zero scale, one full 8x8); ffmpeg decodes the stream with it without error.
  ['High, scaling lists in the SPS', '67640028ad840e281283ff88fffffffffffffb6501e0089f97011000000300100000030320f1831960', 1920, 1080],
];
const H265: [string, string, number, number][] = [
  ['Main, 1080 coded as 1088 (conformance window)', '420101016000000300900000030000030078a003c08010e596566924caf0168080000003008000000c84', 1920, 1080],
  ['Main, cropped right and bottom', '420101016000000300900000030000030078a002ac80301d565959a4932bc05a020000030002000003003210', 1366, 766],
  ['Main, two sub-layers (sub-layer flags and reserved bits)', '42010201600000030090000003000003005d0000a00280802d1659598acd24995e02d0100000030010000003019080', 1280, 720],
  ['Rext 4:2:2 10-bit, odd height', '4201010408000003009d0800000300005db00280802d9f10d96566924caf016808000003000800000300c840', 1280, 721],
  ['Rext 4:4:4, odd width and height', '4201010408000003009e0800000300003f9000a2402e38888cb2b349265780b4040000030004000003006420', 641, 361],
];
const hex = (s: string) => Buffer.from(s, 'hex');

describe('SPS picture size', () => {
  for (const [label, sps, width, height] of H264) it(`H.264 ${label}: ${width}x${height}`, () => expect(h264PictureSize(hex(sps))).toEqual({ width, height }));
  for (const [label, sps, width, height] of H265) it(`H.265 ${label}: ${width}x${height}`, () => expect(h265PictureSize(hex(sps))).toEqual({ width, height }));

  it('the relay reads the same size and names the codec from it', () => {
    const [, sps422] = H264[2]!;
    expect(describeVideo('h264', { sps: hex(sps422), pps: new Uint8Array([0x68]) })).toEqual({ codec: 'h264', codecString: 'avc1.7a0020', width: 1280, height: 721 });
    const [, sps265] = H265[0]!;
    expect(describeVideo('h265', { sps: hex(sps265), pps: new Uint8Array([0x44, 0x01]) })).toMatchObject({ codecString: 'hvc1.1.6.L120.90', width: 1920, height: 1080 });
  });

  it('gives no size for what is not an SPS, cut short, or noise (never an invented one)', () => {
    const [, sps] = H264[0]!;
    expect(h264PictureSize(hex(sps).subarray(0, 8))).toBeNull(); // truncated before the size
    expect(h264PictureSize(hex('68ebe3cb22c0'))).toBeNull(); // a PPS
    expect(h264PictureSize(hex('67ff001f'))).toBeNull(); // profile_idc 255
    expect(h265PictureSize(hex(H265[0]![1]).subarray(0, 20))).toBeNull();
    expect(h265PictureSize(hex('4401c172b46240'))).toBeNull(); // a PPS
    expect(h264PictureSize(new Uint8Array())).toBeNull();
    // Noise with the right first byte: a size only if it is within bounds; never a throw.
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    for (let i = 0; i < 2000; i++) {
      const noise = Uint8Array.from({ length: 4 + (i % 40) }, rand);
      noise[0] = i % 2 ? 0x67 : 0x42;
      for (const size of [h264PictureSize(noise), h265PictureSize(noise)]) {
        if (size) expect(size.width * size.height).toBeGreaterThan(0);
        if (size) expect(Math.max(size.width, size.height)).toBeLessThanOrEqual(16384);
      }
    }
  });
});

describe('RBSP', () => {
  it('removes each emulation-prevention byte and nothing else', () => {
    expect([...unescapeRbsp(hex('0000030000030100000302'))]).toEqual([0, 0, 0, 0, 1, 0, 0, 2]);
    // 03 not after two zeros, and 00 00 03 at the very end, as written by encoders before a trailing zero byte.
    expect([...unescapeRbsp(hex('000103030000'))]).toEqual([0, 1, 3, 3, 0, 0]);
    expect([...unescapeRbsp(hex('00000300'))]).toEqual([0, 0, 0]);
    expect([...unescapeRbsp(hex('0003000003'))]).toEqual([0, 3, 0, 0]);
  });

  it('reads fixed and Exp-Golomb fields and refuses to read past the end', () => {
    // 1 | 010 | 011 | 00100 | 1 | 000: ue 0, 1, 2, 3, a flag, three bits left
    const r = new BitReader(Uint8Array.of(0b10100110, 0b01001000));
    expect([r.ue(), r.ue(), r.ue(), r.ue()]).toEqual([0, 1, 2, 3]);
    expect(r.u(1)).toBe(1);
    const s = new BitReader(Uint8Array.of(0b00101010)); // ue 00101 = 4 → se -2; ue 010 = 1 → se +1
    expect([s.se(), s.se()]).toEqual([-2, 1]);
    expect(() => r.u(8)).toThrow(RangeError);
    expect(new BitReader(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff)).u(40)).toBe(2 ** 40 - 1); // no 32-bit wrap
    expect(() => new BitReader(new Uint8Array(8)).ue()).toThrow(RangeError); // 64 zero bits: no such field
    expect(() => new BitReader(new Uint8Array(1)).skip(9)).toThrow(RangeError);
  });
});
