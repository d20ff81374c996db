// The segment store: live-rewind rings and recordings, written on the serving thread from the relay's Publish
// events. A segment is appended exactly as the relay published it (no re-mux) to the stream's current file
// (one per ringFileMs for the rewind ring, one per recordFileMs for recordings), so a day is at most ~150 files per
// stream; its index row (time → file/offset/size/duration/discontinuity) goes to SQLite in batches.
//
// Write order per segment: bytes into the data file → one line into the file's sidecar journal → row queued for
// the next batched insert. A kill -9 therefore loses at most the segment being written: a start-up (recover.ts)
// indexes journal lines that never became rows and cuts the data file after the last journalled segment.
// Everything is async fs and one write chain per stream, so the serving thread never blocks on the disk; a disk
// slower than the camera drops segments (a gap in the index) rather than queueing memory without bound.
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Publish } from '../hls/packager';
import { epochOfSegment } from '../hls/segment-names';
import { journalLine, journalPath } from './journal';
import type { FileUpdate, RecordKind, RecordingIndex, SegmentRow, StreamKey } from './types';

export interface RecordingStoreOptions {
  /** Root of the store; index paths are relative to it. */
  dir: string;
  index: RecordingIndex;
  /** The configured segment format. Each file takes its segments' own format (from their names): a G.711 camera's
   * relay publishes CMAF (FLAC audio) even where this says MPEG-TS, and a change of format starts a new file. */
  format: 'mpegts' | 'cmaf';
  /** Live rewind kept per running relay (default 5 min). */
  ringMs?: number;
  /** Span of one ring file (default 60 s: the ring is pruned a file at a time). */
  ringFileMs?: number;
  /** Span of one recording file (default 10 min: 144 files per stream and day). */
  recordFileMs?: number;
  /** Index rows are inserted at most this often (default 1 s), in one transaction. */
  flushMs?: number;
  /** Segments waiting for the disk per stream before new ones are dropped (default 20). */
  maxQueued?: number;
  now?: () => number;
  /** A stream's writing stopped (disk full, I/O error); live is unaffected. */
  onStopped?: (key: StreamKey, reason: string) => void;
}

interface OpenFile {
  id: number;
  kind: RecordKind;
  path: string;
  data: FileHandle;
  journal: FileHandle;
  startMs: number;
  endMs: number;
  offset: number;
  journalOffset: number;
  /** Where each epoch's CMAF init segment sits in this file. */
  inits: Map<number, { offset: number; size: number }>;
  format: 'mpegts' | 'cmaf';
}

interface Pending {
  body: Uint8Array;
  epoch: number;
  startMs: number;
  durationMs: number;
  discontinuity: boolean;
  dependent: boolean;
  kind: RecordKind;
  /** From the segment's name: a G.711 camera's relay publishes CMAF whatever the configured format (FLAC audio). */
  format: 'mpegts' | 'cmaf';
}

const EXT = { mpegts: '.ts', cmaf: '.m4s' } as const;

class StreamWriter {
  file: OpenFile | null = null;
  chain: Promise<void> = Promise.resolve();
  queued = 0;
  /** End of the last accepted segment (wall clock) and its epoch: the next one continues it or is a discontinuity. */
  last: { endMs: number; epoch: number } | null = null;
  inits = new Map<number, Uint8Array>();
  stopped: string | null = null;
  dropped = 0;
  written = 0;
  bytes = 0;
  constructor(readonly key: StreamKey) {}
}

export interface StreamRecordingState {
  cameraId: number;
  stream: 'main' | 'sub';
  kind: RecordKind | null;
  segments: number;
  bytes: number;
  dropped: number;
  stopped: string | null;
}

export class RecordingStore {
  private readonly writers = new Map<string, StreamWriter>();
  private rows: SegmentRow[] = [];
  private fileUpdates = new Map<number, FileUpdate>();
  private flushing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => number;
  readonly ringMs: number;
  private readonly ringFileMs: number;
  private readonly recordFileMs: number;
  private readonly maxQueued: number;
  /** Bytes appended since start (the bench compares it with bytes received). */
  bytesWritten = 0;

  constructor(private readonly opts: RecordingStoreOptions) {
    this.now = opts.now ?? Date.now;
    this.ringMs = opts.ringMs ?? 300_000;
    this.ringFileMs = opts.ringFileMs ?? 60_000;
    this.recordFileMs = opts.recordFileMs ?? 600_000;
    this.maxQueued = opts.maxQueued ?? 20;
    this.timer = setInterval(() => { void this.flush().catch(() => {}); }, opts.flushMs ?? 1_000);
    this.timer.unref();
  }

  /** Feed one Publish of a relay. `kind` says whether its segments are kept minutes (ring) or by retention. */
  accept(key: StreamKey, p: Publish, kind: RecordKind): void {
    const w = this.writerOf(key);
    if (w.stopped) return;
    const arrival = this.now();
    if (p.first) w.last = null; // a fresh packager: whatever we continued is another timeline
    for (const f of p.added) {
      const epoch = epochOfSegment(f.name);
      if (f.duration === undefined || epoch === undefined) {
        // An init segment: kept until its epoch's first media segment is written (then once per file).
        const m = /^init-(\d+)\.mp4$/.exec(f.name);
        if (m) w.inits.set(Number(m[1]), f.body);
        continue;
      }
      const durationMs = Math.max(1, Math.round(f.duration * 1000));
      let startMs = arrival - durationMs;
      let discontinuity = true;
      // The segment was finished when the next key frame arrived, i.e. about now: it started `duration` ago. Within
      // one epoch the media is continuous, so chain it to the previous one (no jitter from arrival times) unless
      // the two drifted apart by more than a segment's worth.
      if (w.last && w.last.epoch === epoch && Math.abs(startMs - w.last.endMs) < Math.max(2_000, durationMs)) {
        startMs = w.last.endMs;
        discontinuity = false;
      } else if (w.last) {
        startMs = Math.max(startMs, w.last.endMs);
      }
      w.last = { endMs: startMs + durationMs, epoch };
      if (w.queued >= this.maxQueued) {
        // The disk cannot keep up: drop, and the next written segment starts a new timeline.
        w.dropped++;
        w.last = null;
        continue;
      }
      const seg: Pending = { body: f.body, epoch, startMs, durationMs, discontinuity, dependent: !!f.dependent, kind, format: f.name.endsWith('.m4s') ? 'cmaf' : 'mpegts' };
      w.queued++;
      w.chain = w.chain.then(() => this.write(w, seg)).catch((err) => this.fail(w, err)).finally(() => { w.queued--; });
    }
  }

  /** Close a stream's current file (relay stopped, or recording turned off); its rows are flushed and it is sealed. */
  async release(key: StreamKey): Promise<void> {
    const w = this.writers.get(keyOf(key));
    if (!w) return;
    this.writers.delete(keyOf(key));
    await w.chain;
    await this.seal(w);
  }

  /** Writing state per stream (for relay status). */
  states(): StreamRecordingState[] {
    return [...this.writers.values()].map((w) => ({
      cameraId: w.key.cameraId, stream: w.key.stream, kind: w.file?.kind ?? null, segments: w.written, bytes: w.bytes, dropped: w.dropped, stopped: w.stopped,
    }));
  }

  stoppedReason(key: StreamKey): string | null {
    return this.writers.get(keyOf(key))?.stopped ?? null;
  }

  /** Let a stream stopped by a full disk try again (the janitor freed space). */
  resume(key: StreamKey): void {
    const w = this.writers.get(keyOf(key));
    if (w) { w.stopped = null; w.last = null; }
  }

  /** Insert the queued index rows (one transaction). Serialised: a slow insert is never overlapped by the next. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.rows.length === 0 && this.fileUpdates.size === 0) return;
      const rows = this.rows;
      const files = [...this.fileUpdates.values()];
      this.rows = [];
      this.fileUpdates.clear();
      await this.opts.index.insertSegments(rows, files);
    });
    return this.flushing;
  }

  /** Delete ring files older than the ring (data, journal, rows). */
  async pruneRing(): Promise<number> {
    const expired = await this.opts.index.ringExpired(this.now() - this.ringMs);
    for (const f of expired) await removeFile(this.opts, f.id, f.path);
    return expired.length;
  }

  /** An event's or evidence clip's past, still in the rewind ring, is kept as recording (whole ring files: the
   * ring is cut a file at a time, so a 30 s pre-roll keeps one or two 60 s files). */
  markRecorded(cameraId: number, fromMs: number, toMs: number): Promise<number> {
    return this.opts.index.markRecorded(cameraId, fromMs, toMs);
  }

  /** Seal every open file and flush; the store is unusable afterwards. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    const ws = [...this.writers.values()];
    this.writers.clear();
    await Promise.all(ws.map(async (w) => { await w.chain; await this.seal(w); }));
    await this.flush();
  }

  private writerOf(key: StreamKey): StreamWriter {
    const k = keyOf(key);
    let w = this.writers.get(k);
    if (!w) { w = new StreamWriter(key); this.writers.set(k, w); }
    return w;
  }

  private async write(w: StreamWriter, seg: Pending): Promise<void> {
    if (w.stopped) return;
    let file = w.file;
    if (!file || file.kind !== seg.kind || file.format !== seg.format || seg.startMs >= file.startMs + (seg.kind === 'ring' ? this.ringFileMs : this.recordFileMs)) {
      await this.seal(w);
      file = await this.openFile(w.key, seg.kind, seg.startMs, seg.format);
      w.file = file;
    }
    let init = file.inits.get(seg.epoch) ?? null;
    if (!init && seg.format === 'cmaf') {
      const body = w.inits.get(seg.epoch);
      if (!body) return; // a CMAF segment without its init cannot be played; the next epoch brings one
      await writeAll(file.data, body, file.offset);
      init = { offset: file.offset, size: body.byteLength };
      file.inits.set(seg.epoch, init);
      file.offset += body.byteLength;
      for (const e of w.inits.keys()) if (e < seg.epoch) w.inits.delete(e);
    }
    const offset = file.offset;
    await writeAll(file.data, seg.body, offset);
    const entry = {
      startMs: seg.startMs, durationMs: seg.durationMs, offset, size: seg.body.byteLength, epoch: seg.epoch,
      // The first segment of a file follows the previous file's last: only a real break is a discontinuity.
      discontinuity: seg.discontinuity, dependent: seg.dependent, initOffset: init?.offset ?? null, initSize: init?.size ?? null,
    };
    const line = Buffer.from(journalLine(entry));
    await writeAll(file.journal, line, file.journalOffset);
    file.journalOffset += line.byteLength;
    file.offset += seg.body.byteLength;
    file.endMs = seg.startMs + seg.durationMs;
    w.written++;
    w.bytes += seg.body.byteLength;
    this.bytesWritten += seg.body.byteLength;
    this.rows.push({ fileId: file.id, ...entry });
    this.fileUpdates.set(file.id, { id: file.id, endMs: file.endMs, bytes: file.offset, sealed: false });
  }

  private async openFile(key: StreamKey, kind: RecordKind, startMs: number, format: 'mpegts' | 'cmaf'): Promise<OpenFile> {
    const day = new Date(startMs).toISOString().slice(0, 10);
    const path = join(String(key.cameraId), key.stream, kind, day, `${startMs}${EXT[format]}`);
    const abs = join(this.opts.dir, path);
    await mkdir(dirname(abs), { recursive: true });
    // The row first: a file on disk always has a row to be found by (a row without a file is dropped at start-up).
    const id = await this.opts.index.insertFile({ cameraId: key.cameraId, stream: key.stream, kind, path, format, startMs });
    const data = await open(abs, 'w');
    const journal = await open(journalPath(abs), 'w');
    return { id, kind, path, data, journal, startMs, endMs: startMs, offset: 0, journalOffset: 0, inits: new Map(), format };
  }

  private async seal(w: StreamWriter): Promise<void> {
    const f = w.file;
    if (!f) return;
    w.file = null;
    await Promise.allSettled([f.data.close(), f.journal.close()]);
    // Sealed in the same batch as the file's last rows, so a sealed file never misses rows.
    this.fileUpdates.set(f.id, { id: f.id, endMs: f.endMs, bytes: f.offset, sealed: true });
  }

  private async fail(w: StreamWriter, err: unknown): Promise<void> {
    const code = (err as NodeJS.ErrnoException)?.code;
    w.stopped = code === 'ENOSPC' || code === 'EDQUOT' ? 'disk full' : `write error ${code ?? ''}`.trim();
    w.last = null;
    // What was half written past the last journalled segment is cut at the next start-up (or now, if possible).
    const f = w.file;
    if (f) await f.data.truncate(f.offset).catch(() => {});
    await this.seal(w);
    this.opts.onStopped?.(w.key, w.stopped);
  }
}

const keyOf = (k: StreamKey): string => `${k.cameraId}:${k.stream}`;

async function writeAll(fh: FileHandle, body: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < body.byteLength) {
    const { bytesWritten } = await fh.write(body, done, body.byteLength - done, position + done);
    done += bytesWritten;
  }
}

/** Remove a file's row, then its data and journal (a crash in between leaves an unindexed file, never a row
 * pointing at nothing that a player would be sent to). */
export async function removeFile(opts: { dir: string; index: Pick<RecordingIndex, 'deleteFile'> }, id: number, path: string): Promise<void> {
  await opts.index.deleteFile(id);
  const abs = join(opts.dir, path);
  await Promise.allSettled([rm(abs, { force: true }), rm(journalPath(abs), { force: true })]);
}
