// H.264 access unit (Annex-B) → RTP packets per RFC 6184, packetization-mode=1: a NAL unit that fits the MTU goes
// as a Single NAL Unit packet, a larger one as FU-A fragments. Pure: no sockets, no WebRTC; the WHEP session hands
// the packets to werift. Browsers decode nothing before an IDR preceded by SPS and PPS, so a key picture without
// them in band gets the last parameter sets seen put in front (cameras often send them only in the SDP).
const NAL_SPS = 7;
const NAL_PPS = 8;
const NAL_AUD = 9;
const NAL_IDR = 5;
const NAL_FILLER = 12;
const FU_A = 28;

/** RTP payload bytes per packet: 1200 keeps a packet (plus RTP/SRTP/UDP/IP headers) under any path MTU. */
export const DEFAULT_PAYLOAD_MTU = 1200;
export const H264_CLOCK_RATE = 90_000;

/** The NAL units of an Annex-B byte stream (3- or 4-byte start codes), as views without the start codes. */
export function splitAnnexB(data: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const n = data.length;
  let start = -1;
  let i = 0;
  while (i + 2 < n) {
    if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1) {
      if (start >= 0) {
        // A 4-byte start code's leading zero belongs to the code, not to the previous NAL unit.
        let end = i;
        while (end > start && data[end - 1] === 0) end--;
        if (end > start) out.push(data.subarray(start, end));
      }
      i += 3;
      start = i;
      continue;
    }
    i++;
  }
  if (start >= 0 && start < n) out.push(data.subarray(start, n));
  else if (start < 0 && n > 0) out.push(data); // no start code: one bare NAL unit
  return out;
}

export interface RtpPayload {
  payload: Uint8Array;
  /** Last packet of the access unit (RTP marker bit). */
  marker: boolean;
}

/** Packetizes the pictures of one H.264 stream; remembers SPS/PPS to put in front of key pictures lacking them. */
export class H264Packetizer {
  private sps: Uint8Array | null = null;
  private pps: Uint8Array | null = null;

  constructor(private readonly mtu = DEFAULT_PAYLOAD_MTU) {}

  /** Parameter sets known from elsewhere (the SDP's sprop-parameter-sets, an earlier key picture). */
  setParams(sps: Uint8Array, pps: Uint8Array): void {
    this.sps = sps;
    this.pps = pps;
  }

  /** RTP payloads of one access unit, in order; empty when it holds nothing to send. */
  packetize(au: Uint8Array): RtpPayload[] {
    const nals: Uint8Array[] = [];
    let hasSps = false;
    let hasPps = false;
    let hasIdr = false;
    for (const nal of splitAnnexB(au)) {
      const type = nal[0]! & 0x1f;
      // AUDs and filler carry nothing a WebRTC decoder needs (the marker bit ends the picture).
      if (type === NAL_AUD || type === NAL_FILLER) continue;
      if (type === NAL_SPS) { hasSps = true; this.sps = nal; }
      if (type === NAL_PPS) { hasPps = true; this.pps = nal; }
      if (type === NAL_IDR) {
        if (!hasIdr && (!hasSps || !hasPps) && this.sps && this.pps) {
          if (!hasSps) nals.push(this.sps);
          if (!hasPps) nals.push(this.pps);
          hasSps = hasPps = true;
        }
        hasIdr = true;
      }
      nals.push(nal);
    }
    const out: RtpPayload[] = [];
    for (const nal of nals) {
      if (nal.length <= this.mtu) { out.push({ payload: nal, marker: false }); continue; }
      out.push(...this.fragment(nal));
    }
    if (out.length > 0) out[out.length - 1]!.marker = true;
    return out;
  }

  /** FU-A (RFC 6184 §5.8): the NAL header's F/NRI go in the FU indicator, its type in the FU header. */
  private fragment(nal: Uint8Array): RtpPayload[] {
    const header = nal[0]!;
    const indicator = (header & 0xe0) | FU_A;
    const type = header & 0x1f;
    const chunk = this.mtu - 2;
    const out: RtpPayload[] = [];
    for (let at = 1; at < nal.length; at += chunk) {
      const end = Math.min(nal.length, at + chunk);
      const p = new Uint8Array(2 + end - at);
      p[0] = indicator;
      p[1] = type | (at === 1 ? 0x80 : 0) | (end === nal.length ? 0x40 : 0);
      p.set(nal.subarray(at, end), 2);
      out.push({ payload: p, marker: false });
    }
    return out;
  }
}

/** A 12-byte RTP header (RFC 3550) + payload; sequence numbers and SSRC are the caller's. */
export function rtpPacket(payloadType: number, seq: number, timestamp: number, ssrc: number, marker: boolean, payload: Uint8Array): Buffer {
  const b = Buffer.allocUnsafe(12 + payload.length);
  b[0] = 0x80;
  b[1] = (marker ? 0x80 : 0) | (payloadType & 0x7f);
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(timestamp >>> 0, 4);
  b.writeUInt32BE(ssrc >>> 0, 8);
  b.set(payload, 12);
  return b;
}

/** Presentation time (seconds on the relay's timeline) → 90 kHz RTP timestamp, wrapped to 32 bits. */
export function rtpTimestamp(pts: number, base = 0): number {
  return (Math.round(pts * H264_CLOCK_RATE) + base) >>> 0;
}
