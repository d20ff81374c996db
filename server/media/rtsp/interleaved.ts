// RTSP over TCP framing (RFC 2326 §10.12): '$' + channel + length + RTP/RTCP packet, interleaved with RTSP text
// messages. node-media-server's client re-concatenates its receive buffer on every socket read and copies every
// packet into a fresh Buffer (and formats a trace string per packet even when tracing is off); at 100 cameras that
// was most of its cost and much of the GC. Here packets are handed out as views of the socket's read buffer, which
// is reused for the next read (rtsp/nms.ts, connectWithSharedReads): handlers copy what they keep, and the reader
// copies the unfinished rest of a read (at most one packet) before returning.
// Text messages (responses, or requests from the camera) are cut out whole and given to the signalling client.
import { RtspError } from '../errors';

const DOLLAR = 0x24;
/** A header block longer than this is not RTSP (SDPs are a few KB). */
const MAX_MESSAGE = 64 * 1024;
/** Bytes of junk tolerated between frames (some cameras pad) before the stream is declared broken. */
const MAX_GARBAGE = 256 * 1024;

export interface InterleavedHandlers {
  /** The packet is `buf[start, end)`; `buf` is the socket's read buffer, valid only during the call (no view object
   * is made per packet). */
  packet(channel: number, buf: Buffer, start: number, end: number): void;
  message(data: Buffer): void;
}

function isUpper(b: number): boolean { return b >= 0x41 && b <= 0x5a; }

function headerEnd(buf: Buffer, from: number): number {
  return buf.indexOf('\r\n\r\n', from, 'latin1');
}

function contentLength(buf: Buffer, from: number, to: number): number {
  const m = /\r\ncontent-length:\s*(\d+)/i.exec(buf.toString('latin1', from, to));
  return m ? Number(m[1]) : 0;
}

/**
 * A response the signalling client cannot match (a status line it cannot read, no CSeq) would leave its request
 * waiting for the timeout; it is a protocol error at once, so the camera's reason says what is wrong
 * (test/security/malformed-devices.test.ts, bad-rtsp). Requests from the camera (no "RTSP/" start) pass as they are.
 */
function checkResponseHead(buf: Buffer, from: number, end: number): void {
  if (buf.toString('latin1', from, from + 5) !== 'RTSP/') return;
  const head = buf.toString('latin1', from, end);
  if (!/^RTSP\/\d\.\d \d{3}(?: [^\r]*)?(?:\r\n|$)/.test(head)) throw new RtspError('protocol error', 'malformed RTSP status line');
  if (!/\r\ncseq:/i.test(head)) throw new RtspError('protocol error', 'RTSP response without CSeq');
}

export class InterleavedReader {
  private tail: Buffer | null = null;
  private garbage = 0;
  bytes = 0;

  constructor(private readonly h: InterleavedHandlers, private readonly maxChannel = 15) {}

  /** Throws RtspError('protocol error') when the stream cannot be RTSP. */
  push(chunk: Buffer): void {
    let buf = chunk;
    let o = 0;
    const t = this.tail;
    if (t) {
      this.tail = null;
      if (t[0] === DOLLAR && t.length >= 4) {
        // Finish the straddling packet with exactly the bytes it lacks, then go on in the new chunk without
        // copying it.
        const total = 4 + ((t[2]! << 8) | t[3]!);
        const need = total - t.length;
        if (chunk.length < need) { this.tail = Buffer.concat([t, chunk]); return; }
        const frame = Buffer.allocUnsafe(total);
        t.copy(frame, 0);
        chunk.copy(frame, t.length, 0, need);
        this.emitPacket(frame, 0, total);
        o = need;
      } else {
        buf = Buffer.concat([t, chunk]); // a split text message or frame header: rare and small
      }
    }
    const n = buf.length;
    while (o < n) {
      const b = buf[o]!;
      if (b === DOLLAR) {
        if (n - o < 4) break;
        if (buf[o + 1]! > this.maxChannel) { o = this.skip(buf, o + 1); continue; }
        const total = 4 + ((buf[o + 2]! << 8) | buf[o + 3]!);
        if (n - o < total) break;
        this.emitPacket(buf, o, total);
        o += total;
      } else if (isUpper(b)) {
        const end = headerEnd(buf, o);
        if (end < 0) {
          if (n - o > MAX_MESSAGE) throw new RtspError('protocol error', 'oversized RTSP message');
          break;
        }
        const total = end + 4 - o + contentLength(buf, o, end);
        if (total > MAX_MESSAGE + 1024 * 1024) throw new RtspError('protocol error', 'oversized RTSP message');
        if (n - o < total) break;
        checkResponseHead(buf, o, end);
        this.garbage = 0;
        this.h.message(buf.subarray(o, o + total));
        o += total;
      } else {
        o = this.skip(buf, o);
      }
    }
    if (o < n) this.tail = Buffer.from(buf.subarray(o)); // the read buffer is reused after this returns
  }

  private emitPacket(buf: Buffer, o: number, total: number): void {
    this.garbage = 0;
    this.bytes += total;
    this.h.packet(buf[o + 1]!, buf, o + 4, o + total);
  }

  /** Junk: resynchronise on the next '$' (or text), within a budget. */
  private skip(buf: Buffer, from: number): number {
    let i = from + 1;
    while (i < buf.length && buf[i] !== DOLLAR && !isUpper(buf[i]!)) i++;
    this.garbage += i - from;
    if (this.garbage > MAX_GARBAGE) throw new RtspError('protocol error', 'not an RTSP stream');
    return i;
  }
}
