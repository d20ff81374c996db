// Backup and restore of a data directory: the database (an online copy, server/backup/online-copy.ts) and the keys
// without which it is half useless — vault.key decrypts the camera passwords, session.key hashes session and share
// tokens — in one archive (server/backup/archive.ts) with a manifest of sizes and SHA-256 sums. A backup is as
// secret as the data directory itself: it is written owner-only. Restore refuses a data directory a gateway has open
// (server/backup/run-lock.ts), and one that already holds a database unless forced; what it replaces is moved aside.
import { createHash } from 'node:crypto';
import { chmodSync, createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import sqlite3 from 'sqlite3';
import { Database, isPostgresUrl } from '../db/database';
import { readArchive, writeArchive, type ArchiveEntry } from './archive';
import { onlineCopy, type OnlineCopyOptions } from './online-copy';
import { pgDump } from './pg-dump';
import { acquireRunLock } from './run-lock';

export const DATABASE_FILE = 'console.sqlite';
/** The database of a backup made on PostgreSQL: pg_dump's custom format (`pg_restore -l` lists it). */
export const PG_DUMP_FILE = 'console.pgdump';
/** The keys in dataDir that belong with the database (session.key is absent when session.secret is configured). */
export const KEY_FILES = ['vault.key', 'session.key'] as const;
const MANIFEST = 'manifest.json';
const FORMAT = 'county-console-backup';
const VERSION = 1;

export interface BackupManifest {
  format: typeof FORMAT;
  version: number;
  createdAt: string;
  /** The newest migration applied to the copied database: a newer console can still restore it (it migrates at start). */
  schema: string | null;
  /** Which engine's database the backup holds (absent in backups older than PostgreSQL support: sqlite). */
  engine?: 'sqlite' | 'postgres';
  files: Record<string, { bytes: number; sha256: string }>;
}

export interface BackupResult {
  file: string;
  bytes: number;
  manifest: BackupManifest;
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Runs statements on a database file outside the gateway's connection (the copy, or a restored file). */
async function withFile<T>(file: string, work: (get: <R>(sql: string) => Promise<R | undefined>) => Promise<T>): Promise<T> {
  const db = await new Promise<sqlite3.Database>((res, rej) => {
    const d = new sqlite3.Database(file, (err) => (err ? rej(err) : res(d)));
  });
  const get = <R>(sql: string) => new Promise<R | undefined>((res, rej) => db.get(sql, (err: Error | null, row: R) => (err ? rej(err) : res(row))));
  try {
    return await work(get);
  } finally {
    await new Promise<void>((res) => db.close(() => res()));
  }
}

/** Checks a database file is sound and says which migration it is at. */
async function inspectDatabase(file: string, selfContained: boolean): Promise<string | null> {
  return withFile(file, async (get) => {
    // The copy carries the live file's WAL flag; a backup file must stand alone, with no -wal beside it.
    if (selfContained) await get('PRAGMA journal_mode = DELETE');
    const check = await get<{ quick_check: string }>('PRAGMA quick_check');
    if (check?.quick_check !== 'ok') throw new Error(`the database copy is damaged: ${check?.quick_check ?? 'no answer'}`);
    const row = await get<{ version: string | null }>("SELECT max(version) AS version FROM schema_migrations").catch(() => undefined);
    return row?.version ?? null;
  });
}

/** The newest migration a PostgreSQL database has applied (what `schema` says for an SQLite copy). */
async function postgresSchema(url: string): Promise<string | null> {
  // Database.connect loads the PostgreSQL driver only now: an SQLite-only console never does.
  const db = await Database.connect(url);
  try {
    return (await db.get<{ version: string | null }>('SELECT max(version) AS version FROM schema_migrations'))?.version ?? null;
  } finally {
    await db.close();
  }
}

export interface BackupOptions extends OnlineCopyOptions {
  /** A postgres:// URL: the database is dumped with pg_dump instead of copied from <dataDir>/console.sqlite. */
  database?: string;
}

/** Writes a backup of `dataDir` to `target` (a new file), while a gateway may keep using the database. */
export async function createBackup(dataDir: string, target: string, options: BackupOptions = {}): Promise<BackupResult> {
  const file = resolve(target);
  if (existsSync(file)) throw new Error(`${file} exists already; choose another name`);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const staging = mkdtempSync(join(dirname(file), `.${basename(file)}.`));
  try {
    const postgres = !!options.database && isPostgresUrl(options.database);
    const name = postgres ? PG_DUMP_FILE : DATABASE_FILE;
    const dbCopy = join(staging, name);
    let schema: string | null;
    if (postgres) {
      // The schema first: a migration landing between the two reads could only make the dump newer, never older.
      schema = await postgresSchema(options.database!);
      await pgDump(options.database!, dbCopy);
    } else {
      await onlineCopy(join(dataDir, DATABASE_FILE), dbCopy, options);
      schema = await inspectDatabase(dbCopy, true);
    }
    const entries: ArchiveEntry[] = [{ name, path: dbCopy, size: statSync(dbCopy).size }];
    for (const key of KEY_FILES) {
      const path = join(dataDir, key);
      if (existsSync(path)) entries.push({ name: key, data: readFileSync(path), size: statSync(path).size });
    }
    const manifest: BackupManifest = { format: FORMAT, version: VERSION, createdAt: new Date().toISOString(), schema, engine: postgres ? 'postgres' : 'sqlite', files: {} };
    for (const e of entries) {
      manifest.files[e.name] = { bytes: e.size, sha256: e.data ? createHash('sha256').update(e.data).digest('hex') : await sha256(e.path!) };
    }
    const data = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    const partial = join(staging, 'archive.partial');
    await writeArchive(partial, [{ name: MANIFEST, data, size: data.length }, ...entries]);
    // Into place by rename: a backup file that exists is a whole one.
    renameSync(partial, file);
    return { file, bytes: statSync(file).size, manifest };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export class RestoreRefusedError extends Error {}

export interface RestoreOptions {
  /** Replace a database that is there already (it is moved aside into dataDir/replaced-<time>/, not deleted). */
  force?: boolean;
  /** Runs after the files are in place, before the lock is released (the CLI writes its audit row here). */
  afterRestore?: (databaseFile: string, manifest: BackupManifest) => Promise<void>;
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** Where the files it replaced went, when it replaced any. */
  replacedDir?: string;
}

function readManifest(path: string): BackupManifest {
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as BackupManifest;
  if (manifest?.format !== FORMAT) throw new Error('not a console backup (no manifest of ours inside)');
  if (manifest.version > VERSION) throw new Error(`backup format ${manifest.version} is newer than this console reads (${VERSION}); upgrade first`);
  if (manifest.files?.[PG_DUMP_FILE]) {
    throw new RestoreRefusedError(`a PostgreSQL backup: unpack it (tar -xzf), restore ${PG_DUMP_FILE} into an empty database with pg_restore --no-owner -d <url>, and put its key files into the data directory of every node`);
  }
  if (!manifest.files?.[DATABASE_FILE]) throw new Error('the backup holds no database');
  return manifest;
}

/** Restores `file` into `dataDir`, which no gateway may have open. */
export async function restoreBackup(file: string, dataDir: string, options: RestoreOptions = {}): Promise<RestoreResult> {
  const source = resolve(file);
  if (!existsSync(source)) throw new RestoreRefusedError(`${source} does not exist`);
  const lock = acquireRunLock(dataDir, { kind: 'restore' });
  const staging = mkdtempSync(join(dataDir, '.restore-'));
  try {
    const allowed = new Set<string>([MANIFEST, DATABASE_FILE, PG_DUMP_FILE, ...KEY_FILES]);
    const read = await readArchive(source, ({ name }) => {
      if (!allowed.has(name)) throw new Error(`unexpected file in the backup: ${name}`);
      return join(staging, name);
    }).catch((err: Error) => {
      throw new RestoreRefusedError(`${source} is not a readable backup: ${err.message}`);
    });
    if (!read.some((e) => e.name === MANIFEST)) throw new RestoreRefusedError(`${source} is not a console backup (no manifest)`);
    const manifest = readManifest(join(staging, MANIFEST));
    for (const [name, expected] of Object.entries(manifest.files)) {
      const path = join(staging, name);
      if (!allowed.has(name) || !existsSync(path)) throw new RestoreRefusedError(`the backup lacks ${name}, which its manifest lists`);
      if (statSync(path).size !== expected.bytes || (await sha256(path)) !== expected.sha256) {
        throw new RestoreRefusedError(`${name} in the backup does not match its checksum: the file is damaged`);
      }
    }
    await inspectDatabase(join(staging, DATABASE_FILE), false);

    const present = [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, ...KEY_FILES].filter((n) => existsSync(join(dataDir, n)));
    if (present.includes(DATABASE_FILE) && !options.force) {
      throw new RestoreRefusedError(`${dataDir} already holds a database; pass --force to replace it (the current files are moved aside, not deleted)`);
    }
    let replacedDir: string | undefined;
    if (present.length) {
      replacedDir = join(dataDir, `replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`);
      mkdirSync(replacedDir, { mode: 0o700 });
      for (const name of present) renameSync(join(dataDir, name), join(replacedDir, name));
    }
    for (const name of Object.keys(manifest.files)) {
      renameSync(join(staging, name), join(dataDir, name));
      chmodSync(join(dataDir, name), 0o600);
    }
    await options.afterRestore?.(join(dataDir, DATABASE_FILE), manifest);
    return { manifest, replacedDir };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    lock.release();
  }
}
