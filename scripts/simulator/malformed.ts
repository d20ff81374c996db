// Malformed device output for the bad-sdp, bad-rtsp and bad-rtp faults: what broken firmware, a misconfigured
// proxy or a half-dead encoder puts on the wire. Pure functions over the good output; the RTSP server and session
// call them while the fault is set.
import { randomBytes } from 'node:crypto';

export const SDP_VARIANTS = ['garbage', 'no-media', 'absurd-fmtp'] as const;
export const RTSP_VARIANTS = ['status-line', 'no-cseq', 'huge-headers', 'truncated'] as const;
export const RTP_VARIANTS = ['version', 'padding', 'extension', 'short', 'oversized', 'fua-no-start'] as const;
export type SdpVariant = (typeof SDP_VARIANTS)[number];
export type RtspVariant = (typeof RTSP_VARIANTS)[number];
export type RtpVariant = (typeof RTP_VARIANTS)[number];

/** Bigger than any sane RTSP response head (clients should cap well below this). */
const HUGE_HEADER_BYTES = 1024 * 1024;

/** The DESCRIBE body under bad-sdp. */
export function malformedSdp(variant: SdpVariant, good: string): string {
  const lines = good.split('\r\n');
  switch (variant) {
    case 'garbage':
      // An HTML error page with binary junk, served as application/sdp (seen behind broken proxies).
      return `<html><body>500 Internal Error</body></html>\r\n\u0000\u0001\u00ff${randomBytes(300).toString('latin1')}\r\n`;
    case 'no-media':
      // Session-level lines only: no m= section at all.
      return lines.filter((l) => l && l.indexOf('m=') !== 0 && !/^a=(rtpmap|fmtp|framerate|recvonly|control:trackID)/.test(l)).join('\r\n') + '\r\n';
    case 'absurd-fmtp': {
      // Parameter sets that are not base64, an "SPS" of random bytes, a huge attribute and nonsense values.
      const fakeSps = Buffer.concat([Buffer.from([0x67, 0xff, 0xff, 0xff]), randomBytes(64)]).toString('base64');
      const absurd = `packetization-mode=7;profile-level-id=zzzzzz;sprop-parameter-sets=${fakeSps},!!!!${'A'.repeat(8000)};level-asymmetry-allowed=-1;config=zz`;
      return lines.map((l) => (/^a=fmtp:/.test(l) ? `${l.slice(0, l.indexOf(' '))} ${absurd}` : /^a=framerate:/.test(l) ? 'a=framerate:1e309' : l)).join('\r\n');
    }
  }
}

/** A response as written under bad-rtsp; `close` ends the connection after it. */
export function malformedResponse(variant: RtspVariant, good: Buffer): { bytes: Buffer; close: boolean } {
  const text = good.toString('latin1');
  const headEnd = text.indexOf('\r\n\r\n');
  const head = text.slice(0, headEnd);
  const rest = text.slice(headEnd);
  switch (variant) {
    case 'status-line':
      // Version, code and reason in the wrong places.
      return { bytes: Buffer.from(head.replace(/^RTSP\/1\.0 (\d{3}) ([^\r]*)/, 'RTSP/1.0 $2 $1x') + rest, 'latin1'), close: false };
    case 'no-cseq':
      return { bytes: Buffer.from(head.replace(/\r\nCSeq: [^\r]*/i, '') + rest, 'latin1'), close: false };
    case 'huge-headers':
      return { bytes: Buffer.from(`${head}\r\nX-Padding: ${'x'.repeat(HUGE_HEADER_BYTES)}${rest}`, 'latin1'), close: false };
    case 'truncated':
      // Half a response, then the connection ends (a camera rebooting mid-answer).
      return { bytes: good.subarray(0, Math.max(1, Math.floor(good.length / 2))), close: true };
  }
}

/**
 * Rewrites a buffer of '$'-framed RTP packets (one frame, as the session writes it) under bad-rtp. H.264 payloads
 * are assumed for fua-no-start (the default fixture); other variants are codec-blind.
 */
export function malformedRtp(variant: RtpVariant, framed: Buffer): Buffer {
  const out: Buffer[] = [];
  for (let o = 0; o + 4 <= framed.length;) {
    const channel = framed[o + 1];
    const len = framed.readUInt16BE(o + 2);
    const rtp = Buffer.from(framed.subarray(o + 4, o + 4 + len));
    o += 4 + len;
    const bad = corruptPacket(variant, rtp);
    if (!bad) continue;
    const head = Buffer.from([0x24, channel, bad.length >> 8, bad.length & 0xff]);
    out.push(head, bad);
    if (variant === 'oversized') break; // one maximal packet per frame is plenty
  }
  return Buffer.concat(out);
}

function corruptPacket(variant: RtpVariant, rtp: Buffer): Buffer | undefined {
  if (rtp.length < 12) return rtp;
  switch (variant) {
    case 'version':
      rtp[0] = (rtp[0] & 0x3f) | 0x40; // version 1
      return rtp;
    case 'padding':
      // P bit with an impossible count: beyond the payload where one byte can say so, else 0 (the count includes
      // itself, so 0 is never valid).
      rtp[0] |= 0x20;
      rtp[rtp.length - 1] = rtp.length - 12 < 0xff ? 0xff : 0;
      return rtp;
    case 'extension':
      if (rtp.length < 16) return rtp;
      rtp[0] |= 0x10; // X bit, with an extension claiming 65535 words (256 KiB) that are not there
      rtp.writeUInt16BE(0xbede, 12);
      rtp.writeUInt16BE(0xffff, 14);
      return rtp;
    case 'short':
      return rtp.subarray(0, 5);
    case 'oversized': {
      // The largest interleaved packet there is: a valid header and 64 KiB of bytes that are no NAL unit.
      const big = Buffer.alloc(0xffff, 0x5c);
      rtp.copy(big, 0, 0, 12);
      return big;
    }
    case 'fua-no-start': {
      const nal = rtp.subarray(12);
      if (nal.length < 2) return rtp;
      if ((nal[0] & 0x1f) === 28) {
        nal[1] &= 0x7f; // FU-A with its start bit cleared: the fragment continues a NAL that never began
        return rtp;
      }
      // A whole NAL unit becomes a middle FU-A fragment (no start, no end).
      return Buffer.concat([rtp.subarray(0, 12), Buffer.from([(nal[0] & 0xe0) | 28, nal[0] & 0x1f]), nal.subarray(1)]);
    }
  }
}
