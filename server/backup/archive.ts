// A backup is one file: a gzipped ustar archive (what `tar -xzf` reads, so an operator can look inside without us),
// written and read here with node:zlib alone. Only plain files, flat names, owner-only modes: nothing else is needed,
// and the reader refuses anything else rather than guess (no links, no directories, no paths).
import { closeSync, createReadStream, createWriteStream, openSync, writeSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';

const BLOCK = 512;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export interface ArchiveEntry {
  name: string;
  /** Exactly one of: a file to stream in, or bytes. */
  path?: string;
  data?: Buffer;
  size: number;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(name: string, size: number, mtime: number): Buffer {
  if (!NAME.test(name)) throw new Error(`archive entry name not allowed: ${name}`);
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 'utf8');
  h.write(octal(0o600, 8), 100);
  h.write(octal(0, 8), 108);
  h.write(octal(0, 8), 116);
  if (size < 8 ** 11) h.write(octal(size, 12), 124);
  else {
    // GNU base-256 for sizes past 8 GiB: high bit set, big-endian binary in the remaining bytes.
    h[124] = 0x80;
    h.writeBigUInt64BE(BigInt(size), 128);
  }
  h.write(octal(Math.floor(mtime / 1000), 12), 136);
  h.write('        ', 148);
  h.write('0', 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

const padding = (size: number) => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

async function* blocks(entries: readonly ArchiveEntry[], mtime: number): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    yield header(entry.name, entry.size, mtime);
    let written = 0;
    if (entry.data) {
      written = entry.data.length;
      yield entry.data;
    } else if (entry.path) {
      for await (const chunk of createReadStream(entry.path)) {
        written += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
    }
    if (written !== entry.size) throw new Error(`${entry.name} changed while it was archived (${written} bytes, expected ${entry.size})`);
    yield padding(entry.size);
  }
  yield Buffer.alloc(BLOCK * 2);
}

/** Writes the entries, in order, as `target` (created owner-only; it must not exist). */
export async function writeArchive(target: string, entries: readonly ArchiveEntry[]): Promise<void> {
  await pipeline(Readable.from(blocks(entries, Date.now())), createGzip({ level: 6 }), createWriteStream(target, { flags: 'wx', mode: 0o600 }));
}

function parseSize(field: Buffer): number {
  if (field[0]! & 0x80) return Number(field.readBigUInt64BE(4));
  return parseInt(field.toString('latin1').replace(/[\0 ]+$/, '').trim() || '0', 8);
}

function parseHeader(h: Buffer): { name: string; size: number; type: string } {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  const stored = parseInt(h.subarray(148, 156).toString('latin1').replace(/[\0 ]+$/, '').trim(), 8);
  if (stored !== sum) throw new Error('not a backup archive (tar header checksum mismatch)');
  const name = h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
  const prefix = h.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '');
  return { name: prefix ? `${prefix}/${name}` : name, size: parseSize(h.subarray(124, 136)), type: String.fromCharCode(h[156]!) };
}

/**
 * Reads the archive at `file`; for each entry `place` returns where to write it (or throws to refuse it). Returns the
 * entries read, in order. Plain files with flat names only.
 */
export async function readArchive(file: string, place: (entry: { name: string; size: number }) => string): Promise<Array<{ name: string; size: number }>> {
  const seen: Array<{ name: string; size: number }> = [];
  let pending: Buffer = Buffer.alloc(0);
  let body: { fd: number; remaining: number; pad: number } | undefined;
  let ended = false;
  try {
    for await (const chunk of createReadStream(file).pipe(createGunzip())) {
      pending = pending.length ? Buffer.concat([pending, chunk as Buffer]) : (chunk as Buffer);
      while (!ended) {
        if (body) {
          const take = Math.min(body.remaining, pending.length);
          if (take) writeSync(body.fd, pending, 0, take);
          pending = pending.subarray(take);
          body.remaining -= take;
          if (body.remaining > 0) break;
          if (pending.length < body.pad) break;
          pending = pending.subarray(body.pad);
          closeSync(body.fd);
          body = undefined;
        }
        if (pending.length < BLOCK) break;
        const h = pending.subarray(0, BLOCK);
        pending = pending.subarray(BLOCK);
        if (h.every((b) => b === 0)) {
          ended = true;
          break;
        }
        const entry = parseHeader(h);
        if ((entry.type !== '0' && entry.type !== '\0') || !NAME.test(entry.name)) throw new Error(`unexpected entry in the backup: ${entry.name}`);
        if (seen.some((e) => e.name === entry.name)) throw new Error(`duplicate entry in the backup: ${entry.name}`);
        seen.push({ name: entry.name, size: entry.size });
        body = { fd: openSync(place(entry), 'wx', 0o600), remaining: entry.size, pad: padding(entry.size).length };
      }
    }
  } finally {
    if (body) closeSync(body.fd);
  }
  if (!ended || body) throw new Error('the backup file is truncated');
  return seen;
}
