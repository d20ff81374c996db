// RTCP sender reports (RFC 3550 §6.4.1) with the SDES CNAME every compound packet needs. They tie each
// track's RTP clock to wall-clock (NTP) time, which is what lets a player line audio up with video.

const NTP_EPOCH_OFFSET = 2_208_988_800; // seconds from 1900-01-01 to 1970-01-01

export interface SenderReportInput {
  ssrc: number;
  /** Wall-clock time the report describes, ms since the Unix epoch. */
  wallMs: number;
  /** The RTP timestamp that corresponds to wallMs on this track's clock. */
  rtpTime: number;
  packets: number;
  octets: number;
  cname: string;
}

export function senderReport(r: SenderReportInput): Buffer {
  const cname = Buffer.from(r.cname, 'utf8').subarray(0, 255);
  // SDES chunk: SSRC, CNAME item (type 1, length, text), end item (0), padded to a 32-bit boundary.
  const chunkLen = 4 + 2 + cname.length + 1;
  const sdesLen = 4 + Math.ceil(chunkLen / 4) * 4;
  const buf = Buffer.alloc(28 + sdesLen);
  buf[0] = 0x80; // V=2, P=0, RC=0
  buf[1] = 200; // SR
  buf.writeUInt16BE(6, 2); // length in 32-bit words minus one
  buf.writeUInt32BE(r.ssrc >>> 0, 4);
  const sec = Math.floor(r.wallMs / 1000);
  buf.writeUInt32BE((sec + NTP_EPOCH_OFFSET) >>> 0, 8);
  buf.writeUInt32BE(Math.floor(((r.wallMs % 1000) / 1000) * 0x100000000) >>> 0, 12);
  buf.writeUInt32BE(r.rtpTime >>> 0, 16);
  buf.writeUInt32BE(r.packets >>> 0, 20);
  buf.writeUInt32BE(r.octets >>> 0, 24);
  const o = 28;
  buf[o] = 0x81; // V=2, SC=1
  buf[o + 1] = 202; // SDES
  buf.writeUInt16BE(sdesLen / 4 - 1, o + 2);
  buf.writeUInt32BE(r.ssrc >>> 0, o + 4);
  buf[o + 8] = 1; // CNAME
  buf[o + 9] = cname.length;
  cname.copy(buf, o + 10);
  return buf; // the rest is zero: end item and padding
}

/** Reads the fields a test or client cares about back out of an SR. */
export function parseSenderReport(b: Buffer): { ssrc: number; wallMs: number; rtpTime: number; packets: number; octets: number } | undefined {
  if (b.length < 28 || b[1] !== 200) return undefined;
  const sec = b.readUInt32BE(8) - NTP_EPOCH_OFFSET;
  return {
    ssrc: b.readUInt32BE(4),
    wallMs: sec * 1000 + Math.round((b.readUInt32BE(12) / 0x100000000) * 1000),
    rtpTime: b.readUInt32BE(16),
    packets: b.readUInt32BE(20),
    octets: b.readUInt32BE(24),
  };
}
