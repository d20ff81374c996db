// Keeps the store inside its limits: recordings past their camera's retention, a global quota and a low-disk
// guard, always oldest first and never a file that overlaps a locked range (evidence). Deletions go a batch at a
// time through the index (SQL picks the files), so a sweep over a large index does not hold the serving thread.
import { statfs } from 'node:fs/promises';
import type { RecordingFileRow } from './types';
import { removeFile } from './store';

export interface JanitorIndex {
  retentionExpired(nowMs: number, defaultDays: number, limit?: number): Promise<RecordingFileRow[]>;
  oldestUnlocked(limit: number): Promise<RecordingFileRow[]>;
  totalBytes(): Promise<number>;
  deleteFile(id: number): Promise<void>;
}

export interface JanitorOptions {
  dir: string;
  index: JanitorIndex;
  defaultRetentionDays: number;
  /** 0: no quota. */
  quotaBytes: number;
  minFreeBytes: number;
  /** Free bytes of the store's file system (replaceable in tests). */
  freeBytes?: (dir: string) => Promise<number>;
  now?: () => number;
}

export interface SweepResult {
  deleted: number;
  freedBytes: number;
  /** Still below the low-disk mark after deleting what could go: recording must stop. */
  diskLow: boolean;
}

const BATCH = 200;

export class Janitor {
  constructor(private readonly opts: JanitorOptions) {}

  async sweep(): Promise<SweepResult> {
    const o = this.opts;
    const now = (o.now ?? Date.now)();
    const out: SweepResult = { deleted: 0, freedBytes: 0, diskLow: false };
    const remove = async (f: RecordingFileRow) => {
      await removeFile(o, f.id, f.path);
      out.deleted++;
      out.freedBytes += f.bytes;
    };
    for (;;) {
      const batch = await o.index.retentionExpired(now, o.defaultRetentionDays, BATCH);
      for (const f of batch) await remove(f);
      if (batch.length < BATCH) break;
    }
    if (o.quotaBytes > 0) {
      let total = await o.index.totalBytes();
      while (total > o.quotaBytes) {
        const batch = await o.index.oldestUnlocked(BATCH);
        if (batch.length === 0) break;
        for (const f of batch) {
          if (total <= o.quotaBytes) break;
          await remove(f);
          total -= f.bytes;
        }
      }
    }
    const free = o.freeBytes ?? freeBytesOf;
    let avail = await free(o.dir).catch(() => Number.POSITIVE_INFINITY);
    while (avail < o.minFreeBytes) {
      const batch = await o.index.oldestUnlocked(20);
      if (batch.length === 0) break;
      for (const f of batch) await remove(f);
      avail = await free(o.dir).catch(() => Number.POSITIVE_INFINITY);
    }
    out.diskLow = avail < o.minFreeBytes;
    return out;
  }
}

async function freeBytesOf(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}
