// Answers a request for a stored recording file (or one byte range of it) from disk: 200 with the whole file, or 206
// with `Range: bytes=a-b`, 416 for a range the file cannot satisfy or one larger than a player ever asks. Shared by
// staff playback and residents' rewind, which differ only in who may read which bytes.
import { createReadStream } from 'node:fs';
import type { FastifyReply } from 'fastify';
import { HttpError } from '../../errors';
import { CONTENT_TYPES } from '../../media/hls/packager';

/** One Range answer at most this large (a player asks for one segment, ~0.25–2 MB). */
const MAX_RANGE = 32 * 1024 * 1024;

export interface StoredFile {
  /** Absolute path on disk. */
  abs: string;
  bytes: number;
  format: 'mpegts' | 'cmaf';
}

/** `bytes=a-b` (or `bytes=a-`) of a file of `size` bytes; null for no header, 416 for a bad or unsatisfiable one. */
export function parseByteRange(header: string | undefined, size: number): { start: number; end: number } | null {
  if (!header) return null;
  const m = /^bytes=(\d+)-(\d*)$/.exec(header.trim());
  const start = m ? Number(m[1]) : NaN;
  const end = m && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  if (!m || start >= size || end < start) throw new RangeNotSatisfiable(size);
  if (end - start + 1 > MAX_RANGE) throw new HttpError(416, `Range larger than ${MAX_RANGE} bytes`);
  return { start, end };
}

export class RangeNotSatisfiable extends HttpError {
  constructor(readonly size: number) {
    super(416, 'Range not satisfiable');
  }
}

export function sendStoredFile(reply: FastifyReply, f: StoredFile, range: { start: number; end: number } | null, cacheControl: string) {
  const type = f.format === 'cmaf' ? CONTENT_TYPES['.m4s']! : CONTENT_TYPES['.ts']!;
  const headers = { 'content-type': type, 'accept-ranges': 'bytes', 'cache-control': cacheControl, 'x-content-type-options': 'nosniff' };
  if (!range) {
    return reply.headers({ ...headers, 'content-length': String(f.bytes) }).send(createReadStream(f.abs, { start: 0, end: Math.max(0, f.bytes - 1) }) as never);
  }
  return reply.code(206).headers({ ...headers, 'content-length': String(range.end - range.start + 1), 'content-range': `bytes ${range.start}-${range.end}/${f.bytes}` })
    .send(createReadStream(f.abs, { start: range.start, end: range.end }) as never);
}
