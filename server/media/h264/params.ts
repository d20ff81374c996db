// Parameter-set facts the relay needs: picture size (server/protocol/sps.ts, the probe's reader too) and the
// RFC 6381 codec string for the HLS CODECS attribute / decoder config.
import { unescapeRbsp } from '../../protocol/rbsp';
import { h264PictureSize, h265PictureSize } from '../../protocol/sps';
import type { VideoCodec } from '../types';

export interface ParamSets {
  vps?: Uint8Array;
  sps: Uint8Array;
  pps: Uint8Array;
}

export interface VideoFormat {
  codec: VideoCodec;
  codecString: string;
  width: number;
  height: number;
}

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

/** hvc1.<space><profile>.<compat reversed>.<tier><level>.<constraints> per ISO/IEC 14496-15 Annex E. */
export function hevcCodecString(sps: Uint8Array): string {
  const r = unescapeRbsp(sps);
  // 2 bytes NAL header, then vps_id(4) max_sub_layers(3) nesting(1): profile_tier_level starts at byte 3.
  const b = r.subarray(3);
  const space = b[0]! >> 6;
  const tier = (b[0]! >> 5) & 1;
  const profile = b[0]! & 0x1f;
  let compat = ((b[1]! << 24) | (b[2]! << 16) | (b[3]! << 8) | b[4]!) >>> 0;
  let reversed = 0;
  for (let i = 0; i < 32; i++) { reversed = (reversed << 1) | (compat & 1); compat >>>= 1; }
  const constraints = Array.from(b.subarray(5, 11));
  while (constraints.length > 0 && constraints[constraints.length - 1] === 0) constraints.pop();
  const level = b[11]!;
  const spaceStr = ['', 'A', 'B', 'C'][space]!;
  return ['hvc1', `${spaceStr}${profile}`, (reversed >>> 0).toString(16), `${tier ? 'H' : 'L'}${level}`,
    ...constraints.map((c) => c.toString(16))].join('.');
}

export function describeVideo(codec: VideoCodec, params: ParamSets): VideoFormat | null {
  const size = codec === 'h264' ? h264PictureSize(params.sps) : h265PictureSize(params.sps);
  if (!size) return null;
  const codecString = codec === 'h264'
    ? `avc1.${hex2(params.sps[1]!)}${hex2(params.sps[2]!)}${hex2(params.sps[3]!)}`
    : hevcCodecString(params.sps);
  return { codec, codecString, width: size.width, height: size.height };
}

export function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return Buffer.compare(a, b) === 0;
}
