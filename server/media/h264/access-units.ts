// RTP (RFC 6184 H.264 / RFC 7798 H.265) → NAL units → access units.
// Cameras send slices, SEI and AUDs as separate packets with one RTP timestamp; a decoder and the MPEG-TS muxer need
// whole pictures (pitfall 2), so NAL units are grouped until the timestamp changes or the marker bit closes the
// picture. Parameter sets are kept aside and re-inserted in front of every key frame, so each segment starts
// decodable even when the camera only sent them in the SDP (sprop-parameter-sets).
import type { VideoCodec } from '../types';
import { sameBytes, type ParamSets } from './params';

export interface AssembledUnit {
  rtpTimestamp: number;
  key: boolean;
  /** Annex-B byte stream. */
  data: Uint8Array;
  params: ParamSets | null;
}

const START_CODE = new Uint8Array([0, 0, 0, 1]);
const copyRange = Buffer.prototype.copy as unknown as { call(src: Uint8Array, dst: Uint8Array, at: number, s: number, e: number): number };
/** Access unit delimiters exactly as mediabunny's MPEG-TS muxer writes them (see hls/reorder-ts-format.ts). */
export const AUD = {
  h264: new Uint8Array([0, 0, 0, 1, 0x09, 0xf0]),
  h265: new Uint8Array([0, 0, 0, 1, 0x46, 0x01]),
} as const;

/** Kinds of NAL unit we treat specially, independent of the codec's numbering. */
export type NalRole = 'vps' | 'sps' | 'pps' | 'aud' | 'key' | 'slice' | 'other';

function roleH264(t: number): NalRole {
  switch (t) {
    case 7: return 'sps';
    case 8: return 'pps';
    case 9: return 'aud';
    case 5: return 'key';
    case 1: return 'slice';
    default: return 'other';
  }
}

function roleH265(t: number): NalRole {
  if (t === 32) return 'vps';
  if (t === 33) return 'sps';
  if (t === 34) return 'pps';
  if (t === 35) return 'aud';
  if (t >= 16 && t <= 21) return 'key'; // BLA, IDR, CRA: random access points
  if (t <= 9) return 'slice';
  return 'other';
}

/** The role of a NAL unit from the first byte of its header. */
export function nalRole(codec: VideoCodec, header: number): NalRole {
  return codec === 'h264' ? roleH264(header & 0x1f) : roleH265((header >> 1) & 0x3f);
}

export class AccessUnitAssembler {
  /** The picture being assembled, as Annex-B (start code + NAL, ...), written in place as packets arrive: no
   * per-NAL views, fragment lists or concatenations (those were a visible share of GC at 100 cameras). */
  private buf = new Uint8Array(64 * 1024);
  private len = 0;
  private ts: number | null = null;
  private key = false;
  private hasSlice = false;
  /** Offset in `buf` where the open fragmented NAL unit starts, or -1. */
  private fuAt = -1;
  private lastSeq = -1;
  private corrupt = false;
  private params: Partial<ParamSets> = {};
  /** After loss we cannot decode until the next key frame; emitting would only show smeared pictures. */
  private waitForKey = true;
  dropped = 0;

  constructor(
    readonly codec: VideoCodec,
    private readonly onUnit: (unit: AssembledUnit) => void,
    fmtp: Record<string, string> = {},
    /** Start each unit with an AUD, as MPEG-TS wants: the muxer then takes the unit as is instead of splitting
     * and re-joining it to insert one (a scan and a copy of every picture). CMAF wants none. */
    private readonly withAud = false,
  ) {
    this.initFromFmtp(fmtp);
  }

  private roleAt(b0: number): NalRole {
    return nalRole(this.codec, b0);
  }

  private initFromFmtp(fmtp: Record<string, string>): void {
    const lists = this.codec === 'h264'
      ? [fmtp['sprop-parameter-sets']]
      : [fmtp['sprop-vps'], fmtp['sprop-sps'], fmtp['sprop-pps']];
    for (const list of lists) {
      for (const b64 of (list ?? '').split(',')) {
        if (b64.trim()) this.keepParam(new Uint8Array(Buffer.from(b64.trim(), 'base64')));
      }
    }
  }

  private keepParam(nal: Uint8Array): boolean {
    if (nal.length === 0) return false;
    const role = this.roleAt(nal[0]!);
    if (role !== 'vps' && role !== 'sps' && role !== 'pps') return false;
    if (!sameBytes(this.params[role], nal)) this.params[role] = new Uint8Array(nal); // a copy (Buffer#slice would be a view of the read buffer)
    return true;
  }

  /** Current parameter sets, or null until SPS and PPS (and VPS for H.265) are known. */
  get currentParams(): ParamSets | null {
    const { vps, sps, pps } = this.params;
    if (!sps || !pps || (this.codec === 'h265' && !vps)) return null;
    return this.codec === 'h265' ? { vps, sps, pps } : { sps, pps };
  }

  /** One RTP payload, `p[start, end)`. The bytes are copied before this returns: `p` may be reused. */
  push(p: Uint8Array, start: number, end: number, rtpTimestamp: number, seq: number, marker: boolean): void {
    if (this.lastSeq >= 0 && ((seq - this.lastSeq) & 0xffff) !== 1) {
      // Loss (or reordering, impossible over TCP): the open picture and any fragment are unusable.
      this.dropFragment();
      this.corrupt = true;
      this.waitForKey = true;
    }
    this.lastSeq = seq;
    if (this.ts !== null && rtpTimestamp !== this.ts) this.flush();
    this.ts = rtpTimestamp;
    if (end - start < (this.codec === 'h264' ? 1 : 2)) return;
    if (this.codec === 'h264') this.depacketizeH264(p, start, end);
    else this.depacketizeH265(p, start, end);
    if (marker) this.flush();
  }

  private depacketizeH264(p: Uint8Array, s: number, e: number): void {
    const type = p[s]! & 0x1f;
    if (type >= 1 && type <= 23) { this.addNal(p, s, e); return; }
    if (type === 24) { // STAP-A
      for (let o = s + 1; o + 2 <= e;) {
        const n = (p[o]! << 8) | p[o + 1]!;
        o += 2;
        if (o + n > e) { this.corrupt = true; return; }
        this.addNal(p, o, o + n);
        o += n;
      }
      return;
    }
    if (type === 28 && e - s > 2) { // FU-A
      const fu = p[s + 1]!;
      if (fu & 0x80) { this.dropFragment(); this.beginFragment([(p[s]! & 0xe0) | (fu & 0x1f)]); }
      if (this.fuAt < 0) return; // continuation of a fragment we never saw the start of
      this.append(p, s + 2, e);
      if (fu & 0x40) this.endFragment();
    }
  }

  private depacketizeH265(p: Uint8Array, s: number, e: number): void {
    const type = (p[s]! >> 1) & 0x3f;
    if (type < 48) { this.addNal(p, s, e); return; }
    if (type === 48) { // AP (no DONL: sprop-max-don-diff is 0 for cameras)
      for (let o = s + 2; o + 2 <= e;) {
        const n = (p[o]! << 8) | p[o + 1]!;
        o += 2;
        if (o + n > e) { this.corrupt = true; return; }
        this.addNal(p, o, o + n);
        o += n;
      }
      return;
    }
    if (type === 49 && e - s > 3) { // FU
      const fu = p[s + 2]!;
      if (fu & 0x80) { this.dropFragment(); this.beginFragment([(p[s]! & 0x81) | ((fu & 0x3f) << 1), p[s + 1]!]); }
      if (this.fuAt < 0) return;
      this.append(p, s + 3, e);
      if (fu & 0x40) this.endFragment();
    }
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private append(p: Uint8Array, s: number, e: number): void {
    this.reserve(e - s);
    // Buffer#copy takes a range without making a view object (it accepts any Uint8Array).
    copyRange.call(p, this.buf, this.len, s, e);
    this.len += e - s;
  }

  private beginFragment(header: number[]): void {
    this.fuAt = this.len;
    this.reserve(4 + header.length);
    this.buf.set(START_CODE, this.len);
    this.len += 4;
    for (const b of header) this.buf[this.len++] = b;
  }

  /** A fragment that will never complete leaves nothing behind. */
  private dropFragment(): void {
    if (this.fuAt >= 0) this.len = this.fuAt;
    this.fuAt = -1;
  }

  private endFragment(): void {
    const at = this.fuAt;
    this.fuAt = -1;
    // Rare kinds (parameter sets, AUDs) arrive fragmented only from odd encoders: take them out of the picture.
    const role = this.roleAt(this.buf[at + 4]!);
    if (role === 'vps' || role === 'sps' || role === 'pps' || role === 'aud') {
      this.keepParam(this.buf.subarray(at + 4, this.len));
      this.len = at;
      return;
    }
    this.noteRole(role);
  }

  private addNal(p: Uint8Array, s: number, e: number): void {
    if (e <= s) return;
    const role = this.roleAt(p[s]!);
    if (role === 'vps' || role === 'sps' || role === 'pps') { this.keepParam(p.subarray(s, e)); return; }
    if (role === 'aud') return; // exactly one AUD per unit, ours or the muxer's; a second one confuses decoders
    this.noteRole(role);
    this.reserve(4 + e - s);
    this.buf.set(START_CODE, this.len);
    this.len += 4;
    this.append(p, s, e);
  }

  private noteRole(role: NalRole): void {
    if (role === 'key') this.key = true;
    if (role === 'key' || role === 'slice') this.hasSlice = true;
  }

  /** Emit the picture collected so far (called on timestamp change, marker bit, or by the owner at teardown). */
  flush(): void {
    this.dropFragment();
    const len = this.len, key = this.key, ts = this.ts, ok = !this.corrupt && this.hasSlice;
    this.len = 0;
    this.key = false;
    this.hasSlice = false;
    this.corrupt = false;
    if (len === 0 || ts === null) return;
    if (!ok) { this.dropped++; return; }
    const params = this.currentParams;
    if (key && params) this.waitForKey = false;
    if (this.waitForKey) { this.dropped++; return; }
    // One exact-size copy out of the scratch buffer: the muxer keeps units until their segment is written.
    const aud = this.withAud ? AUD[this.codec] : null;
    const prefix = key && params
      ? [...(aud ? [aud] : []), ...(params.vps ? [START_CODE, params.vps] : []), START_CODE, params.sps, START_CODE, params.pps]
      : aud ? [aud] : [];
    let size = len;
    for (const part of prefix) size += part.length;
    const data = Buffer.allocUnsafe(size);
    let o = 0;
    // In-band parameter sets in front of each key frame keep every segment independently decodable.
    for (const part of prefix) { data.set(part, o); o += part.length; }
    data.set(this.buf.subarray(0, len), o);
    this.onUnit({ rtpTimestamp: ts, key, data, params: key ? params : null });
  }
}
