// RTP payload formats. Payloads are computed once per fixture and shared by every session of every camera:
// only the 12-byte RTP header differs between sessions, which keeps 200 cameras cheap.
import { type VideoCodec } from '../codec/nal';

/** Below a typical 1500-byte MTU with room for IP/UDP/RTP headers, as cameras do even over TCP. */
export const MAX_PAYLOAD = 1400;

export interface RtpPayload {
  data: Buffer;
  /** Set on the last packet of a video access unit, and on every audio packet. */
  marker: boolean;
}

/** One access unit (all its NAL units) → RTP payloads: single NAL unit packets, FU-A (RFC 6184) or FU (RFC 7798). */
export function packetizeVideo(codec: VideoCodec, nals: Buffer[], max = MAX_PAYLOAD): RtpPayload[] {
  const out: RtpPayload[] = [];
  for (const nal of nals) {
    if (nal.length <= max) out.push({ data: nal, marker: false });
    else if (codec === 'H264') fragmentH264(nal, max, out);
    else fragmentH265(nal, max, out);
  }
  if (out.length) out[out.length - 1].marker = true;
  return out;
}

function fragmentH264(nal: Buffer, max: number, out: RtpPayload[]): void {
  const indicator = (nal[0] & 0xe0) | 28; // F + NRI of the original, type FU-A
  const type = nal[0] & 0x1f;
  const chunk = max - 2;
  for (let off = 1; off < nal.length; off += chunk) {
    const end = Math.min(off + chunk, nal.length);
    const header = (off === 1 ? 0x80 : 0) | (end === nal.length ? 0x40 : 0) | type;
    out.push({ data: Buffer.concat([Buffer.from([indicator, header]), nal.subarray(off, end)]), marker: false });
  }
}

function fragmentH265(nal: Buffer, max: number, out: RtpPayload[]): void {
  // PayloadHdr keeps F, LayerId and TID of the original NAL header, with type 49 (FU).
  const hdr0 = (nal[0] & 0x81) | (49 << 1);
  const hdr1 = nal[1];
  const type = (nal[0] >> 1) & 0x3f;
  const chunk = max - 3;
  for (let off = 2; off < nal.length; off += chunk) {
    const end = Math.min(off + chunk, nal.length);
    const fu = (off === 2 ? 0x80 : 0) | (end === nal.length ? 0x40 : 0) | type;
    out.push({ data: Buffer.concat([Buffer.from([hdr0, hdr1, fu]), nal.subarray(off, end)]), marker: false });
  }
}

/**
 * RFC 3640 mpeg4-generic, AAC-hbr mode (sizelength=13, indexlength=3): one raw AAC frame per packet,
 * AU-headers-length 16 bits then one 16-bit AU header (13 bits size, 3 bits index 0).
 */
export function packetizeAac(frame: Buffer): RtpPayload {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(16, 0);
  head.writeUInt16BE((frame.length << 3) & 0xfff8, 2);
  return { data: Buffer.concat([head, frame]), marker: true };
}

export interface RtpHeaderFields {
  payloadType: number;
  marker: boolean;
  seq: number;
  timestamp: number;
  ssrc: number;
}

export function writeRtpHeader(buf: Buffer, offset: number, h: RtpHeaderFields): void {
  buf[offset] = 0x80; // version 2, no padding, no extension, no CSRC
  buf[offset + 1] = (h.marker ? 0x80 : 0) | (h.payloadType & 0x7f);
  buf.writeUInt16BE(h.seq & 0xffff, offset + 2);
  buf.writeUInt32BE(h.timestamp >>> 0, offset + 4);
  buf.writeUInt32BE(h.ssrc >>> 0, offset + 8);
}
