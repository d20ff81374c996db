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
/** Access unit delimiters exactly as mediabunny's MPEG-TS muxer writes them (see hls/reorder-ts-format.ts). */
export const AUD = {
  h264: new Uint8Array([0, 0, 0, 1, 0x09, 0xf0]),
  h265: new Uint8Array([0, 0, 0, 1, 0x46, 0x01]),
} as const;

/** Kinds of NAL unit we treat specially, independent of the codec's numbering. */
type NalRole = 'vps' | 'sps' | 'pps' | 'aud' | 'key' | 'slice' | 'other';

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

export class AccessUnitAssembler {
  private nals: Uint8Array[] = [];
  private size = 0;
  private ts: number | null = null;
  private key = false;
  private hasSlice = false;
  private fu: Uint8Array[] | null = null;
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

  private role(nal: Uint8Array): NalRole {
    return this.codec === 'h264' ? roleH264(nal[0]! & 0x1f) : roleH265((nal[0]! >> 1) & 0x3f);
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
    const role = this.role(nal);
    if (role !== 'vps' && role !== 'sps' && role !== 'pps') return false;
    if (!sameBytes(this.params[role], nal)) this.params[role] = nal.slice();
    return true;
  }

  /** Current parameter sets, or null until SPS and PPS (and VPS for H.265) are known. */
  get currentParams(): ParamSets | null {
    const { vps, sps, pps } = this.params;
    if (!sps || !pps || (this.codec === 'h265' && !vps)) return null;
    return this.codec === 'h265' ? { vps, sps, pps } : { sps, pps };
  }

  push(payload: Uint8Array, rtpTimestamp: number, seq: number, marker: boolean): void {
    if (this.lastSeq >= 0 && ((seq - this.lastSeq) & 0xffff) !== 1) {
      // Loss (or reordering, impossible over TCP): the open picture and any fragment are unusable.
      this.fu = null;
      this.corrupt = true;
      this.waitForKey = true;
    }
    this.lastSeq = seq;
    if (this.ts !== null && rtpTimestamp !== this.ts) this.flush();
    this.ts = rtpTimestamp;
    if (payload.length < (this.codec === 'h264' ? 1 : 2)) return;
    if (this.codec === 'h264') this.depacketizeH264(payload);
    else this.depacketizeH265(payload);
    if (marker) this.flush();
  }

  private depacketizeH264(p: Uint8Array): void {
    const type = p[0]! & 0x1f;
    if (type >= 1 && type <= 23) { this.addNal(p); return; }
    if (type === 24) { // STAP-A
      for (let o = 1; o + 2 <= p.length;) {
        const n = (p[o]! << 8) | p[o + 1]!;
        o += 2;
        if (o + n > p.length) { this.corrupt = true; return; }
        this.addNal(p.subarray(o, o + n));
        o += n;
      }
      return;
    }
    if (type === 28 && p.length > 2) { // FU-A
      const start = p[1]! & 0x80, end = p[1]! & 0x40;
      if (start) this.fu = [new Uint8Array([(p[0]! & 0xe0) | (p[1]! & 0x1f)]), p.subarray(2)];
      else if (this.fu) this.fu.push(p.subarray(2));
      else return; // continuation of a fragment we never saw the start of
      if (end && this.fu) { this.addNal(Buffer.concat(this.fu)); this.fu = null; }
    }
  }

  private depacketizeH265(p: Uint8Array): void {
    const type = (p[0]! >> 1) & 0x3f;
    if (type < 48) { this.addNal(p); return; }
    if (type === 48) { // AP (no DONL: sprop-max-don-diff is 0 for cameras)
      for (let o = 2; o + 2 <= p.length;) {
        const n = (p[o]! << 8) | p[o + 1]!;
        o += 2;
        if (o + n > p.length) { this.corrupt = true; return; }
        this.addNal(p.subarray(o, o + n));
        o += n;
      }
      return;
    }
    if (type === 49 && p.length > 3) { // FU
      const start = p[2]! & 0x80, end = p[2]! & 0x40, fuType = p[2]! & 0x3f;
      if (start) this.fu = [new Uint8Array([(p[0]! & 0x81) | (fuType << 1), p[1]!]), p.subarray(3)];
      else if (this.fu) this.fu.push(p.subarray(3));
      else return;
      if (end && this.fu) { this.addNal(Buffer.concat(this.fu)); this.fu = null; }
    }
  }

  private addNal(nal: Uint8Array): void {
    if (nal.length === 0) return;
    if (this.keepParam(nal)) return;
    const role = this.role(nal);
    if (role === 'aud') return; // exactly one AUD per unit, ours or the muxer's; a second one confuses decoders
    if (role === 'key') this.key = true;
    if (role === 'key' || role === 'slice') this.hasSlice = true;
    // NAL units are views of the socket's read buffer (fresh per read, never reused), kept only until flush()
    // copies the picture into one Annex-B buffer.
    this.nals.push(nal);
    this.size += 4 + nal.length;
  }

  /** Emit the picture collected so far (called on timestamp change, marker bit, or by the owner at teardown). */
  flush(): void {
    const nals = this.nals, key = this.key, ts = this.ts, ok = !this.corrupt && this.hasSlice;
    this.nals = [];
    this.size = 0;
    this.key = false;
    this.hasSlice = false;
    this.corrupt = false;
    if (nals.length === 0 || ts === null) return;
    if (!ok) { this.dropped++; return; }
    const params = this.currentParams;
    if (key && params) this.waitForKey = false;
    if (this.waitForKey) { this.dropped++; return; }
    const parts: Uint8Array[] = [];
    if (this.withAud) parts.push(AUD[this.codec]);
    if (key && params) {
      // In-band parameter sets in front of each key frame keep every segment independently decodable.
      if (params.vps) parts.push(START_CODE, params.vps);
      parts.push(START_CODE, params.sps, START_CODE, params.pps);
    }
    for (const nal of nals) parts.push(START_CODE, nal);
    this.onUnit({ rtpTimestamp: ts, key, data: Buffer.concat(parts), params: key ? params : null });
  }
}
