// RTP fixed header (RFC 3550 §5.1) read in place: no object or Buffer per packet, unlike node-media-server's
// parser (which also builds a CSRC array and a trace string for every packet).

export interface RtpHeader {
  payloadType: number;
  marker: boolean;
  sequenceNumber: number;
  timestamp: number;
  payloadStart: number;
  payloadEnd: number;
}

/** Reads the packet `p[from, to)`; fills `out` (payload offsets are into `p`) and returns true for a well-formed
 * RTP packet, false for anything else (RTCP, junk). */
export function readRtp(p: Uint8Array, from: number, to: number, out: RtpHeader): boolean {
  if (to - from < 12) return false;
  const b0 = p[from]!;
  if (b0 >> 6 !== 2) return false;
  let start = from + 12 + (b0 & 0x0f) * 4;
  if (b0 & 0x10) {
    if (to < start + 4) return false;
    start += 4 + ((p[start + 2]! << 8) | p[start + 3]!) * 4;
  }
  let end = to;
  if (b0 & 0x20) {
    // The count includes itself (RFC 3550 §5.1), so 0 or more than the payload is a corrupt packet: dropped, not
    // played with its padding bytes taken as video (the bad-rtp padding fault used to play on, corrupted).
    const pad = p[end - 1]!;
    if (pad === 0 || pad > end - start) return false;
    end -= pad;
  }
  if (start > end) return false;
  const b1 = p[from + 1]!;
  out.payloadType = b1 & 0x7f;
  out.marker = (b1 & 0x80) !== 0;
  out.sequenceNumber = (p[from + 2]! << 8) | p[from + 3]!;
  out.timestamp = ((p[from + 4]! << 24) | (p[from + 5]! << 16) | (p[from + 6]! << 8) | p[from + 7]!) >>> 0;
  out.payloadStart = start;
  out.payloadEnd = end;
  return true;
}

export function newRtpHeader(): RtpHeader {
  return { payloadType: 0, marker: false, sequenceNumber: 0, timestamp: 0, payloadStart: 0, payloadEnd: 0 };
}
