// A mediabunny Target for one HLS segment that writes into pooled fixed-size chunks instead of a growing buffer.
// mediabunny's BufferTarget starts every segment at 64 KiB in a resizable ArrayBuffer (reserving 4 GiB of address
// space each), grows it by doubling and copies it once more at finalize; with a ~300 KB segment per camera per
// second that was a visible share of GC and `_write` time in profiles. Here the chunks come from a per-thread pool
// and go back to it when the segment is finished or cancelled, and the finished segment is one exact-size
// ArrayBuffer of its own, so it can be transferred to the serving thread without another copy.
import { Target } from 'mediabunny';

const CHUNK_BITS = 16;
const CHUNK_SIZE = 1 << CHUNK_BITS; // 64 KiB: a 2.3 Mb/s one-second segment fills about five
const CHUNK_MASK = CHUNK_SIZE - 1;
/** Chunks kept for reuse per thread (2 MiB): segments are written one after another, so a few are in use at a time;
 * the extra ones a burst of cameras cutting at once takes are left to the GC instead of being parked for good
 * (256 parked 16 MiB per worker, ~0.16 MB per stream at 100 cameras). */
const POOL_LIMIT = 32;
const pool: Uint8Array[] = [];

function takeChunk(): Uint8Array {
  return pool.pop() ?? new Uint8Array(CHUNK_SIZE);
}

/** Bytes currently parked in this thread's pool (for stats and tests). */
export function pooledBytes(): number {
  return pool.length * CHUNK_SIZE;
}

export class SegmentTarget extends Target {
  private chunks: Uint8Array[] = [];
  private size = 0;
  /** The finished segment; null until mediabunny finalizes the target. */
  body: Uint8Array | null = null;

  // The underscore methods are mediabunny's (internal) Target contract, as implemented by its own BufferTarget.
  _start(): void {}

  _write(data: Uint8Array, pos: number): void {
    const end = pos + data.byteLength;
    while (this.chunks.length << CHUNK_BITS < end) this.chunks.push(takeChunk());
    const off = pos & CHUNK_MASK;
    if (off + data.byteLength <= CHUNK_SIZE) {
      // Fast path: MPEG-TS writes 188-byte packets sequentially, nearly always inside one chunk.
      this.chunks[pos >>> CHUNK_BITS]!.set(data, off);
    } else {
      let src = 0;
      let p = pos;
      while (src < data.byteLength) {
        const o = p & CHUNK_MASK;
        const n = Math.min(CHUNK_SIZE - o, data.byteLength - src);
        this.chunks[p >>> CHUNK_BITS]!.set(data.subarray(src, src + n), o);
        src += n;
        p += n;
      }
    }
    if (end > this.size) this.size = end;
    // No 'write' event: mediabunny only uses it for the byte sizes in its own playlist, which we do not serve,
    // and it costs an object per 188-byte packet.
  }

  async _flush(): Promise<void> {}

  /** Appends at the end (the packager builds a segment from its LL-HLS parts this way, in pooled chunks). */
  append(data: Uint8Array): void {
    this._write(data, this.size);
  }

  get byteLength(): number { return this.size; }

  /** The bytes written so far as one exact-size buffer; the chunks go back to the pool and the target is empty. */
  take(): Uint8Array {
    const out = this.joined();
    this.release();
    this.size = 0;
    return out;
  }

  /** A copy of bytes [from, to) as one exact-size buffer of its own (an LL-HLS part out of its segment). */
  copy(from: number, to: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, Math.min(to, this.size) - from));
    let p = from;
    let o = 0;
    while (o < out.byteLength) {
      const off = p & CHUNK_MASK;
      const n = Math.min(CHUNK_SIZE - off, out.byteLength - o);
      out.set(this.chunks[p >>> CHUNK_BITS]!.subarray(off, off + n), o);
      o += n;
      p += n;
    }
    return out;
  }

  /** Forgets what was written (the chunks go back to the pool). */
  discard(): void {
    this.release();
    this.size = 0;
  }

  async _finalize(): Promise<void> {
    this.body = this.joined();
    this.release();
    (this as unknown as { _emit(event: 'finalized', data: void): void })._emit('finalized', undefined);
  }

  private joined(): Uint8Array {
    const out = new Uint8Array(this.size);
    let p = 0;
    for (const c of this.chunks) {
      if (p >= this.size) break;
      const n = Math.min(CHUNK_SIZE, this.size - p);
      out.set(n === CHUNK_SIZE ? c : c.subarray(0, n), p);
      p += n;
    }
    return out;
  }

  async _close(): Promise<void> {
    this.release();
  }

  private release(): void {
    for (const c of this.chunks) if (pool.length < POOL_LIMIT) pool.push(c);
    this.chunks = [];
  }
}
