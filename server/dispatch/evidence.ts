// Evidence frames and feedback photos: base64 JPEG in, content-addressed file out (<dataDir>/evidence/<sha256>.jpg).
// The file is written before the database row that names it: the name is the hash, so a retry writes the same
// file, and a row never points at a missing file (an orphan file after a rolled-back insert is harmless).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BadRequestError, HttpError } from '../errors';

export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
/** Route body limit for JSON carrying one base64 image: 4/3 of the decoded cap plus room for the other fields. */
export const IMAGE_BODY_LIMIT = Math.ceil((MAX_IMAGE_BYTES * 4) / 3) + 64 * 1024;

const DATA_URL = /^data:image\/jpeg;base64,/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export class PayloadTooLargeError extends HttpError {
  constructor(message: string, field?: string) {
    super(413, message, field);
  }
}

/** Decodes and checks a base64 JPEG (a data URL is fine): JPEG start and end markers, size cap. */
export function decodeJpeg(input: string, field: string): Buffer {
  const text = input.replace(DATA_URL, '');
  // Buffer.from ignores junk silently, so check the alphabet first: a typo must not become a broken image.
  if (text.length % 4 !== 0 || !BASE64.test(text)) throw new BadRequestError(`${field} must be base64 (or a data:image/jpeg;base64 URL)`, field);
  if ((text.length / 4) * 3 > MAX_IMAGE_BYTES + 2) throw new PayloadTooLargeError(`${field} is larger than ${MAX_IMAGE_BYTES} bytes`, field);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length > MAX_IMAGE_BYTES) throw new PayloadTooLargeError(`${field} is larger than ${MAX_IMAGE_BYTES} bytes`, field);
  // SOI + a marker at the start, EOI at the end: catches other formats and truncated uploads.
  const jpeg = bytes.length > 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff && bytes[bytes.length - 2] === 0xff && bytes[bytes.length - 1] === 0xd9;
  if (!jpeg) throw new BadRequestError(`${field} is not a complete JPEG image`, field);
  return bytes;
}

export interface StoredImage {
  sha256: string;
  bytes: number;
}

export function evidenceDir(dataDir: string): string {
  return join(dataDir, 'evidence');
}

export function evidencePath(dataDir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('bad evidence hash');
  return join(evidenceDir(dataDir), `${sha256}.jpg`);
}

/** The stored image, or undefined when its file is missing (deleted by hand, a restored database without its
 * evidence directory). Any other failure (permissions, I/O) is thrown, not reported as absent. */
export async function readJpeg(dataDir: string, sha256: string): Promise<Buffer | undefined> {
  try {
    return await readFile(evidencePath(dataDir, sha256));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export function storeJpeg(dataDir: string, bytes: Buffer): StoredImage {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const file = evidencePath(dataDir, sha256);
  if (!existsSync(file)) {
    mkdirSync(evidenceDir(dataDir), { recursive: true });
    // Write then rename, so a reader never sees half a file under the final name.
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    try {
      writeFileSync(tmp, bytes);
      renameSync(tmp, file);
    } catch (err) {
      // A full disk (ENOSPC) leaves part of the file behind: give the space back, then report (507 upstream).
      rmSync(tmp, { force: true });
      throw err;
    }
  }
  return { sha256, bytes: bytes.length };
}
