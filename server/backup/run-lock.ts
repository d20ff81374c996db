// Who has a data directory open: the gateway while it runs, a restore while it replaces the files, a copy to
// PostgreSQL (admin migrate-to-postgres) while it reads the database. A lock file
// (<dataDir>/console.lock, owner-only) holds the holder's PID, port and process start time; it is created with O_EXCL
// and removed on close. A holder killed with -9 leaves the file behind: a lock whose process is gone (or whose PID now
// belongs to another process, told apart by its start time) is stale and taken over.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'console.lock';

export interface LockInfo {
  pid: number;
  kind: 'gateway' | 'restore' | 'migrate';
  /** The gateway's listening port, once known. */
  port?: number;
  startedAt: string;
  /** Linux: the process's start time in clock ticks (/proc/<pid>/stat field 22), to survive PID reuse. */
  procStart?: string;
}

export class RunLockHeldError extends Error {
  constructor(readonly holder: LockInfo, readonly dataDir: string) {
    const what = holder.kind === 'gateway'
      ? `a running gateway (PID ${holder.pid}${holder.port ? `, port ${holder.port}` : ''})`
      : holder.kind === 'restore' ? `a restore in progress (PID ${holder.pid})` : `a copy to PostgreSQL in progress (PID ${holder.pid})`;
    super(`${dataDir} is in use by ${what}; stop it first`);
  }
}

export interface RunLock {
  readonly info: LockInfo;
  /** Records the port the gateway really listens on (config may say 0). */
  update(patch: Partial<Pick<LockInfo, 'port'>>): void;
  release(): void;
}

const lockPath = (dataDir: string) => join(dataDir, LOCK_FILE);

/** State and start time from /proc/<pid>/stat; undefined where there is no /proc (or no such process). */
function procStat(pid: number): { state: string; start: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing parenthesis.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, start: fields[19]! };
  } catch {
    return undefined;
  }
}

export function isAlive(info: LockInfo): boolean {
  if (!Number.isInteger(info.pid) || info.pid <= 0) return false;
  try {
    process.kill(info.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false; // ESRCH: gone
  }
  const stat = procStat(info.pid);
  if (!stat) return true;
  if (stat.state === 'Z' || stat.state === 'X') return false; // exited, not yet reaped
  return !info.procStart || stat.start === info.procStart;
}

export function readRunLock(dataDir: string): LockInfo | undefined {
  try {
    const parsed = JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as LockInfo;
    return typeof parsed?.pid === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The live holder of the data directory, if any (a stale lock file counts as none). */
export function liveHolder(dataDir: string): LockInfo | undefined {
  const info = readRunLock(dataDir);
  return info && isAlive(info) ? info : undefined;
}

export function acquireRunLock(dataDir: string, wanted: Pick<LockInfo, 'kind' | 'port'>): RunLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = lockPath(dataDir);
  const info: LockInfo = { pid: process.pid, kind: wanted.kind, port: wanted.port, startedAt: new Date().toISOString(), procStart: procStat(process.pid)?.start };
  const write = (fd: number) => writeSync(fd, `${JSON.stringify(info)}\n`);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      try {
        write(fd);
      } finally {
        closeSync(fd);
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw err;
      const holder = readRunLock(dataDir);
      if (holder && isAlive(holder) && holder.pid !== process.pid) throw new RunLockHeldError(holder, dataDir);
      rmSync(file, { force: true }); // stale (or unreadable): the holder is gone
    }
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    // Only our own lock: never remove one a successor took over.
    if (readRunLock(dataDir)?.pid === process.pid) rmSync(file, { force: true });
  };
  process.on('exit', release);
  return {
    info,
    update(patch) {
      Object.assign(info, patch);
      const fd = openSync(file, 'w', 0o600);
      try {
        write(fd);
      } finally {
        closeSync(fd);
      }
    },
    release,
  };
}
