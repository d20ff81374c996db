// bench:reliability's goals, from the README's Reliability table: what each fault must leave behind. Counts are
// stated for the full run (100 flap cycles, 1,000 writes); the database and restart goals hold at any size. A part
// that did not run (--parts, --no-browser, tmpfs without root) leaves its goals unjudged.
import type { FlapCount } from './flapping';
import { atMost, equals, type Goals, statedAt } from '../lib/report';

interface Skipped { skipped: string }
type Part<T> = T | Skipped;

export interface ReliabilityParts {
  flapping: Part<{
    resumeMs: { max: number };
    memory: { heapRatio: number };
    handles: { baseline: FlapCount; afterIdleStop: FlapCount };
    relaysAfterIdle: number;
  }>;
  durability: Part<{ missing: number; halfWritten: number }>;
  database: Part<{
    busy: { status: number; written: number; statusAfterRelease: number };
    diskFull: { status: number; written: number; readStatus: number; statusAfterSpaceFreed: number };
    tmpfsDiskFull: Part<{ status: number; written: number; leftoverTempFiles: number; statusAfterSpaceFreed: number }>;
  }>;
  restart: Part<{ pageReloaded: boolean }>;
}

const ran = <T extends object>(part: Part<T>): T | undefined => ('skipped' in part ? undefined : part);

/** The full size the counted goals are stated for. */
export const FULL = { cycles: 100, writes: 1000 };

export function reliabilityGoals(parts: ReliabilityParts, size: { cycles: number; writes: number }): Goals {
  const f = ran(parts.flapping);
  const d = ran(parts.durability);
  const db = ran(parts.database);
  const real = db && ran(db.tmpfsDiskFull);
  const r = ran(parts.restart);
  const backToBaseline = f
    ? (['sockets', 'servers', 'timers', 'activeHandles'] as const).every((k) => f.handles.afterIdleStop[k] === f.handles.baseline[k])
    : undefined;
  return {
    ...statedAt({
      flapResumeMaxMs: atMost(f?.resumeMs.max, 2000),
      flapHeapRatio: atMost(f?.memory.heapRatio, 1.1),
      flapHandlesBackToBaseline: equals(backToBaseline, true),
      flapRelaysAfterIdle: equals(f?.relaysAfterIdle, 0),
    }, `${FULL.cycles} cycles`, size.cycles >= FULL.cycles),
    ...statedAt({
      killMissing: equals(d?.missing, 0),
      killHalfWritten: equals(d?.halfWritten, 0),
    }, `${FULL.writes} writes`, size.writes >= FULL.writes),
    busyStatus: equals(db?.busy.status, 503),
    busyWritten: equals(db?.busy.written, 0),
    busyNextWriteStatus: equals(db?.busy.statusAfterRelease, 201),
    diskFullStatus: equals(db?.diskFull.status, 507),
    diskFullWritten: equals(db?.diskFull.written, 0),
    diskFullReadStatus: equals(db?.diskFull.readStatus, 200),
    diskFullNextWriteStatus: equals(db?.diskFull.statusAfterSpaceFreed, 201),
    realDiskFullStatus: equals(real?.status, 507),
    realDiskFullWritten: equals(real?.written, 0),
    realDiskFullLeftoverFiles: equals(real?.leftoverTempFiles, 0),
    realDiskFullNextWriteStatus: equals(real?.statusAfterSpaceFreed, 201),
    restartPageReloaded: equals(r?.pageReloaded, false),
  };
}
