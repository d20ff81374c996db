// The daily backup: at backup.time (China Standard Time, UTC+8 all year) a backup of the data directory goes into
// backup.dir under a timestamped name, and only the newest backup.keep of those names are kept. Files in the
// directory that are not ours are never touched. Framework-free; server/plugins/backup.ts wires it to the gateway.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createBackup, type BackupResult } from './backup';

const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;
const OURS = /^console-backup-\d{8}-\d{6}\.tar\.gz$/;

/** The next moment after `now` when the China wall clock reads `time` ("HH:MM"). */
export function nextRunAt(now: Date, time: string): Date {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  const china = new Date(now.getTime() + CHINA_OFFSET_MS);
  // That day's HH:MM on the China clock, as a UTC instant.
  let at = Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate(), hours, minutes) - CHINA_OFFSET_MS;
  if (at <= now.getTime()) at += DAY_MS;
  return new Date(at);
}

/** console-backup-20261124-023000.tar.gz, China time: names sort in the order they were made. */
export function backupFileName(at: Date): string {
  const s = new Date(at.getTime() + CHINA_OFFSET_MS).toISOString();
  return `console-backup-${s.slice(0, 10).replace(/-/g, '')}-${s.slice(11, 19).replace(/:/g, '')}.tar.gz`;
}

/** Deletes all but the newest `keep` scheduled backups in `dir`; returns the names removed. */
export function pruneBackups(dir: string, keep: number): string[] {
  const ours = readdirSync(dir).filter((n) => OURS.test(n)).sort().reverse();
  const removed = ours.slice(keep);
  for (const name of removed) rmSync(join(dir, name), { force: true });
  return removed;
}

export interface SchedulerOptions {
  dataDir: string;
  /** A postgres:// URL: backups hold a pg_dump of it (and the keys of dataDir); absent: <dataDir>/console.sqlite. */
  database?: string;
  dir: string;
  keep: number;
  time: string;
  /** The clock; the gateway uses the real one. */
  now?: () => Date;
  onBackup?: (result: BackupResult & { removed: string[] }) => void | Promise<void>;
  onError?: (err: Error) => void | Promise<void>;
  /** Whether this process makes the scheduled backup when its time comes (several gateway nodes on one PostgreSQL:
   * only the node leading the backup job). Default: always. */
  shouldRun?: () => boolean;
}

export class BackupScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;
  private next: Date | undefined;

  constructor(private readonly options: SchedulerOptions) {}

  get nextRun(): Date | undefined {
    return this.next;
  }

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Stops the timer and waits for a backup in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.next = undefined;
    await this.running?.catch(() => undefined);
  }

  /**
   * One scheduled backup now: write it, prune to `keep`, report it (onBackup) or the failure (onError). The timer
   * runs this; so may an operator's tooling or a test. Never throws.
   */
  async run(): Promise<(BackupResult & { removed: string[] }) | undefined> {
    const work = (async () => {
      const { dataDir, dir, keep, database } = this.options;
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const result = await createBackup(dataDir, join(dir, backupFileName(this.now())), { database });
      return { ...result, removed: pruneBackups(dir, keep) };
    })();
    this.running = work;
    try {
      const result = await work;
      await this.options.onBackup?.(result);
      return result;
    } catch (err) {
      // A failing report must not stop the schedule: the next day's run still happens.
      await Promise.resolve(this.options.onError?.(err as Error)).catch(() => undefined);
      return undefined;
    } finally {
      this.running = undefined;
    }
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.next = nextRunAt(this.now(), this.options.time);
    // unref: a pending backup never keeps a closing process alive.
    const due = () => (this.options.shouldRun?.() ?? true ? this.run() : Promise.resolve(undefined));
    this.timer = setTimeout(() => void due().finally(() => this.schedule()), Math.max(0, this.next.getTime() - this.now().getTime())).unref();
  }
}
