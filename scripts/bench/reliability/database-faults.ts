// Database faults made real on the app's own SQLite file, and what the API answers:
// - busy: a second connection (another process would do the same) takes the write lock and holds it longer than
//   the gateway's busy timeout; a tag written meanwhile must fail with a clear 503, and succeed once it is released.
// - disk full: `PRAGMA max_page_count` on the gateway's connection caps the file at its current size, so SQLite
//   answers SQLITE_FULL exactly as on a full disk; tags are written until one fails, which must be a clear 507.
// Both check that the failed write left nothing behind (no half-written danger) and that the app serves afterwards.
//
// Used by test/reliability/database-faults.test.ts (asserts) and scripts/bench/reliability/index.ts (figures).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import sqlite3 from 'sqlite3';
import { LOCK_TIMEOUT_MS } from '../../../server/db/postgres';
import type { Login } from '../../../test/helpers/app';
import { checkConsistency } from './durability';

const ROOT = resolve(import.meta.dirname, '../../..');
const FRAME_B64 = readFileSync(join(ROOT, 'test/dispatch/fixtures/frame.jpg')).toString('base64');

export interface FaultAnswer {
  status: number;
  message: string;
  retryAfter: string | null;
  ms: number;
}

export interface BusyOutcome {
  busyTimeoutMs: number;
  heldMs: number;
  /** The tag written while the lock was held. */
  during: FaultAnswer;
  /** The same tag once the lock was released. */
  afterStatus: number;
  dangersBefore: number;
  dangersAfterFailure: number;
  halfWritten: number;
  problems: string[];
}

export interface DiskFullOutcome {
  /** Tags that still fitted before the cap was reached. */
  writesBeforeFull: number;
  during: FaultAnswer;
  /** A read while the disk is full. */
  readStatus: number;
  /** A tag after space was freed (cap lifted). */
  afterStatus: number;
  dangersBeforeFailure: number;
  dangersAfterFailure: number;
  halfWritten: number;
  problems: string[];
}

function dangerBody(cameraId: number, note: string) {
  return { cameraId, capturedAt: new Date().toISOString(), category: 'fire', severity: 'major', note, evidenceJpeg: FRAME_B64 };
}

async function tag(app: FastifyInstance, who: Login, cameraId: number, note: string): Promise<FaultAnswer> {
  const t0 = Date.now();
  const res = await app.inject({ method: 'POST', url: '/api/dangers', headers: who.headers, payload: dangerBody(cameraId, note) });
  const body = res.json() as { message?: string };
  return { status: res.statusCode, message: body.message ?? '', retryAfter: (res.headers['retry-after'] as string | undefined) ?? null, ms: Date.now() - t0 };
}

async function dangerCount(app: FastifyInstance): Promise<number> {
  return (await app.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM dangers'))!.n;
}

async function someCamera(app: FastifyInstance): Promise<number> {
  return (await app.db.get<{ id: number }>('SELECT id FROM cameras ORDER BY id LIMIT 1'))!.id;
}

function openRaw(file: string): Promise<sqlite3.Database> {
  return new Promise((res, rej) => {
    const db = new sqlite3.Database(file, (err) => (err ? rej(err) : res(db)));
  });
}
const rawExec = (db: sqlite3.Database, sql: string) => new Promise<void>((res, rej) => db.exec(sql, (err) => (err ? rej(err) : res())));
const rawClose = (db: sqlite3.Database) => new Promise<void>((res) => db.close(() => res()));

export async function busyFault(app: FastifyInstance, dataDir: string, who: Login): Promise<BusyOutcome> {
  if (app.db.dialect === 'postgres') return busyFaultPostgres(app, dataDir, who);
  const busyTimeoutMs = (await app.db.get<{ timeout: number }>('PRAGMA busy_timeout'))!.timeout;
  const cameraId = await someCamera(app);
  const dangersBefore = await dangerCount(app);
  const other = await openRaw(join(dataDir, 'console.sqlite'));
  let during: FaultAnswer;
  const heldMs = busyTimeoutMs + 2_000;
  try {
    // The other writer: takes the WAL write lock and keeps it past the gateway's busy timeout.
    await rawExec(other, 'BEGIN IMMEDIATE');
    const release = new Promise<void>((res) => setTimeout(res, heldMs));
    during = await tag(app, who, cameraId, 'written while another writer holds the lock');
    await release;
    await rawExec(other, 'ROLLBACK');
  } finally {
    await rawClose(other);
  }
  const dangersAfterFailure = await dangerCount(app);
  const after = await tag(app, who, cameraId, 'written after the lock was released');
  const consistency = await checkConsistency(dataDir, { dangers: new Map(), tasks: new Map() });
  return {
    busyTimeoutMs, heldMs, during, afterStatus: after.status, dangersBefore, dangersAfterFailure,
    halfWritten: consistency.halfWritten, problems: consistency.problems,
  };
}

/**
 * The same fault on PostgreSQL: another session locks `dangers` against writes (SHARE ROW EXCLUSIVE: reads go on)
 * and holds it past the gateway's lock_timeout, so the tag's INSERT gives up with 55P03, which must be the same 503.
 */
async function busyFaultPostgres(app: FastifyInstance, dataDir: string, who: Login): Promise<BusyOutcome> {
  const database = app.config.database;
  const cameraId = await someCamera(app);
  const dangersBefore = await dangerCount(app);
  const other = new pg.Client({ connectionString: database });
  await other.connect();
  let during: FaultAnswer;
  const heldMs = LOCK_TIMEOUT_MS + 2_000;
  try {
    await other.query('BEGIN');
    await other.query('LOCK TABLE dangers IN SHARE ROW EXCLUSIVE MODE');
    const release = new Promise<void>((res) => setTimeout(res, heldMs));
    during = await tag(app, who, cameraId, 'written while another session holds the lock');
    await release;
    await other.query('ROLLBACK');
  } finally {
    await other.end();
  }
  const dangersAfterFailure = await dangerCount(app);
  const after = await tag(app, who, cameraId, 'written after the lock was released');
  const consistency = await checkConsistency(dataDir, { dangers: new Map(), tasks: new Map() }, database);
  return {
    busyTimeoutMs: LOCK_TIMEOUT_MS, heldMs, during, afterStatus: after.status, dangersBefore, dangersAfterFailure,
    halfWritten: consistency.halfWritten, problems: consistency.problems,
  };
}

export async function diskFullFault(app: FastifyInstance, dataDir: string, who: Login, maxWrites = 400): Promise<DiskFullOutcome> {
  const cameraId = await someCamera(app);
  const pages = (await app.db.get<{ page_count: number }>('PRAGMA page_count'))!.page_count;
  // The cap is per connection: this is the gateway's own connection, so its next growth fails with SQLITE_FULL.
  await app.db.exec(`PRAGMA max_page_count = ${pages}`);
  let writesBeforeFull = 0;
  let during: FaultAnswer | undefined;
  let dangersBeforeFailure = 0;
  try {
    const note = '堆放杂物'.repeat(250); // 1,000 characters: each tag takes a good share of a page
    for (let i = 0; i < maxWrites; i++) {
      dangersBeforeFailure = await dangerCount(app);
      const answer = await tag(app, who, cameraId, note);
      if (answer.status === 201) {
        writesBeforeFull++;
        continue;
      }
      during = answer;
      break;
    }
    if (!during) throw new Error(`no write failed within ${maxWrites} tags: max_page_count had no effect`);
  } catch (err) {
    await app.db.exec('PRAGMA max_page_count = 1073741823');
    throw err;
  }
  const dangersAfterFailure = await dangerCount(app);
  const read = await app.inject({ method: 'GET', url: '/api/dangers?limit=5', headers: who.headers });
  // Space freed: the cap lifted to SQLite's default.
  await app.db.exec('PRAGMA max_page_count = 1073741823');
  const after = await tag(app, who, cameraId, 'written after space was freed');
  const consistency = await checkConsistency(dataDir, { dangers: new Map(), tasks: new Map() });
  return {
    writesBeforeFull, during, readStatus: read.statusCode, afterStatus: after.status, dangersBeforeFailure, dangersAfterFailure,
    halfWritten: consistency.halfWritten, problems: consistency.problems,
  };
}

export interface TmpfsDiskFullOutcome {
  tmpfsBytes: number;
  /** The tag written with no space left: its evidence file cannot be written (ENOSPC) or SQLite answers SQLITE_FULL. */
  during: FaultAnswer;
  readStatus: number;
  afterStatus: number;
  dangersBeforeFailure: number;
  dangersAfterFailure: number;
  /** Partial evidence files left in dataDir/evidence after the failed write (must be none). */
  leftoverTempFiles: number;
  halfWritten: number;
  problems: string[];
}

/**
 * A real full disk: the data directory on a small tmpfs this function mounts (root only) and always unmounts, the
 * space left filled by a file, a tag written, then the file removed and the tag written again. Returns null where
 * tmpfs cannot be mounted (not root, no mount privilege).
 */
export async function tmpfsDiskFull(buildApp: (dataDir: string) => Promise<{ app: FastifyInstance; close(): Promise<void> }>, login: (app: FastifyInstance) => Promise<Login>): Promise<TmpfsDiskFullOutcome | null> {
  const { execFileSync } = await import('node:child_process');
  const { closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const mountPoint = mkdtempSync(join(tmpdir(), 'cvc-tmpfs-'));
  const tmpfsBytes = 16 * 1024 * 1024;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${tmpfsBytes},mode=0700`, 'tmpfs', mountPoint], { stdio: 'ignore' });
  } catch {
    rmSync(mountPoint, { recursive: true, force: true });
    return null;
  }
  const dataDir = join(mountPoint, 'data');
  let built: { app: FastifyInstance; close(): Promise<void> } | undefined;
  try {
    built = await buildApp(dataDir);
    const { app } = built;
    const who = await login(app);
    const cameraId = await someCamera(app);
    // Fill what is left, in 64 KiB writes until the disk refuses (bounded by the tmpfs size).
    const filler = join(mountPoint, 'filler');
    const fd = openSync(filler, 'w');
    const chunk = Buffer.alloc(64 * 1024, 1);
    try {
      for (let written = 0; written <= tmpfsBytes; written += chunk.length) writeSync(fd, chunk);
    } catch (err) {
      if ((err as { code?: string }).code !== 'ENOSPC') throw err;
    } finally {
      closeSync(fd);
    }
    const dangersBeforeFailure = await dangerCount(app);
    const during = await tag(app, who, cameraId, 'written on a full disk');
    const dangersAfterFailure = await dangerCount(app);
    const read = await app.inject({ method: 'GET', url: '/api/dangers?limit=5', headers: who.headers });
    const evidence = join(dataDir, 'evidence');
    const leftoverTempFiles = existsSync(evidence) ? readdirSync(evidence).filter((f) => f.endsWith('.tmp')).length : 0;
    rmSync(filler);
    const after = await tag(app, who, cameraId, 'written after space was freed');
    const consistency = await checkConsistency(dataDir, { dangers: new Map(), tasks: new Map() });
    return {
      tmpfsBytes, during, readStatus: read.statusCode, afterStatus: after.status, dangersBeforeFailure, dangersAfterFailure, leftoverTempFiles,
      halfWritten: consistency.halfWritten, problems: consistency.problems,
    };
  } finally {
    await built?.close().catch(() => undefined);
    execFileSync('umount', [mountPoint], { stdio: 'ignore' });
    rmSync(mountPoint, { recursive: true, force: true });
  }
}
