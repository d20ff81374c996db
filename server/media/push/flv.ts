// FLV tag bodies (what an RTMP publisher sends) → the relay's lingua franca: H.264 access units in Annex-B form with
// parameter sets in band before each key frame (as h264/access-units.ts makes them from RTP) and raw AAC frames.
// Video: AVCDecoderConfigurationRecord (AVCPacketType 0) gives SPS/PPS and the NAL length size; coded frames
// (type 1) carry length-prefixed NAL units and a composition-time offset (B-frames). Audio: AudioSpecificConfig
// (AACPacketType 0), then raw frames. Pure: no sockets, no threads.
import { AUD } from '../h264/access-units';
import { sameBytes, type ParamSets } from '../h264/params';
import { parseAacConfig, type AacConfig } from '../rtsp/aac';
import type { SourceVideoUnit } from '../rtsp/session';
import type { AudioFrame } from '../types';

/** One tag as it crosses to the relay: type 8 audio / 9 video, its RTMP timestamp (ms), its body. */
export interface FlvTag {
  type: number;
  time: number;
  data: Uint8Array;
}

/** FLV tag types (RTMP message types 8 and 9). */
export const FLV_AUDIO = 8;
export const FLV_VIDEO = 9;

const START_CODE = new Uint8Array([0, 0, 0, 1]);
const FLV_CODEC_AVC = 7;
const FLV_SOUND_AAC = 10;

/** What a video tag is, read from its first bytes, without depacketizing it. */
export function videoTagKind(data: Uint8Array): 'config' | 'key' | 'frame' | 'other' {
  if (data.length < 5 || (data[0]! & 0x0f) !== FLV_CODEC_AVC || data[0]! & 0x80) return 'other';
  if (data[1] === 0) return 'config';
  if (data[1] !== 1) return 'other';
  return data[0]! >> 4 === 1 ? 'key' : 'frame';
}

export function audioTagKind(data: Uint8Array): 'config' | 'frame' | 'other' {
  if (data.length < 2 || data[0]! >> 4 !== FLV_SOUND_AAC) return 'other';
  return data[1] === 0 ? 'config' : 'frame';
}

/** The video codec a tag announces, for a clear refusal ('unsupported codec …'). */
export function videoCodecName(data: Uint8Array): string {
  if (data.length === 0) return 'none';
  if (data[0]! & 0x80) return Buffer.from(data.subarray(1, 5)).toString('latin1').replace(/[^\x20-\x7e]/g, '?');
  return ({ 2: 'h263', 4: 'vp6', 7: 'h264', 12: 'h265' } as Record<number, string>)[data[0]! & 0x0f] ?? `flv-${data[0]! & 0x0f}`;
}

export interface AvcConfig {
  params: ParamSets;
  /** Bytes of each NAL length prefix (1, 2 or 4). */
  lengthSize: number;
}

/** AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.2.4.1): the first SPS and PPS, and the NAL length size. */
export function parseAvcConfig(body: Uint8Array): AvcConfig | null {
  const r = body.subarray(5);
  if (r.length < 7 || r[0] !== 1) return null;
  const lengthSize = (r[4]! & 3) + 1;
  let o = 5;
  const numSps = r[o++]! & 0x1f;
  let sps: Uint8Array | undefined;
  for (let i = 0; i < numSps; i++) {
    if (o + 2 > r.length) return null;
    const len = (r[o]! << 8) | r[o + 1]!;
    o += 2;
    if (o + len > r.length) return null;
    sps ??= new Uint8Array(r.subarray(o, o + len));
    o += len;
  }
  if (o >= r.length) return null;
  const numPps = r[o++]!;
  let pps: Uint8Array | undefined;
  for (let i = 0; i < numPps; i++) {
    if (o + 2 > r.length) return null;
    const len = (r[o]! << 8) | r[o + 1]!;
    o += 2;
    if (o + len > r.length) return null;
    pps ??= new Uint8Array(r.subarray(o, o + len));
    o += len;
  }
  if (!sps || !pps || lengthSize === 3) return null;
  return { params: { sps, pps }, lengthSize };
}

export function parseAacTagConfig(body: Uint8Array): AacConfig | null {
  return parseAacConfig(Buffer.from(body.subarray(2)).toString('hex'));
}

/** Signed 24-bit composition time offset (ms) of an AVC coded-frame tag. */
function compositionOffset(body: Uint8Array): number {
  const v = (body[2]! << 16) | (body[3]! << 8) | body[4]!;
  return v & 0x800000 ? v - 0x1000000 : v;
}

/**
 * One publish session's video: coded-frame tags → access units. In-band SPS/PPS update the parameter sets (a
 * changed SPS then reaches the relay as new params on the next key frame, and it starts a new epoch, pitfall 7);
 * in-band AUDs are dropped (exactly one per unit, ours). Until a key frame, nothing is emitted.
 */
export class AvcTagReader {
  private params: ParamSets;
  private readonly lengthSize: number;
  private waitForKey = true;
  private readonly aud: Uint8Array | null;

  constructor(config: AvcConfig, accessUnitDelimiter: boolean) {
    this.params = config.params;
    this.lengthSize = config.lengthSize;
    this.aud = accessUnitDelimiter ? AUD.h264 : null;
  }

  /** `origin` (ms) is subtracted from the tag's timestamp: the session's timeline starts near zero. */
  read(tag: FlvTag, origin: number): SourceVideoUnit | null {
    const body = tag.data;
    const nals: Uint8Array[] = [];
    let size = 0;
    let idr = false;
    let sps: Uint8Array | undefined;
    let pps: Uint8Array | undefined;
    for (let o = 5; o + this.lengthSize <= body.length;) {
      let len = 0;
      for (let i = 0; i < this.lengthSize; i++) len = len * 256 + body[o + i]!;
      o += this.lengthSize;
      if (len === 0 || o + len > body.length) break; // a torn tag: keep what was whole
      const nal = body.subarray(o, o + len);
      o += len;
      const t = nal[0]! & 0x1f;
      if (t === 9) continue;
      if (t === 7) { sps = nal; continue; }
      if (t === 8) { pps = nal; continue; }
      if (t === 5) idr = true;
      nals.push(nal);
      size += 4 + nal.length;
    }
    if (sps && !sameBytes(sps, this.params.sps)) this.params = { ...this.params, sps: new Uint8Array(sps) };
    if (pps && !sameBytes(pps, this.params.pps)) this.params = { ...this.params, pps: new Uint8Array(pps) };
    const key = idr || (body[0]! >> 4 === 1 && nals.length > 0);
    if (nals.length === 0) return null;
    if (key) this.waitForKey = false;
    if (this.waitForKey) return null;
    const prefix = key ? [...(this.aud ? [this.aud] : []), START_CODE, this.params.sps, START_CODE, this.params.pps] : this.aud ? [this.aud] : [];
    for (const p of prefix) size += p.length;
    const data = Buffer.allocUnsafe(size);
    let w = 0;
    for (const p of prefix) { data.set(p, w); w += p.length; }
    for (const nal of nals) { data.set(START_CODE, w); w += 4; data.set(nal, w); w += nal.length; }
    const pts = (tag.time + compositionOffset(body) - origin) / 1000;
    return { pts, key, data, params: key ? this.params : null };
  }
}

/** A raw AAC frame out of an audio tag (a view: tags are copied once out of NMS's buffer and never written). */
export function readAacFrame(tag: FlvTag, origin: number): AudioFrame {
  return { pts: (tag.time - origin) / 1000, data: tag.data.subarray(2) };
}
