// A small promise wrapper over the sqlite3 package (the customer's choice of embedded database).
// One connection, one queue: node-sqlite3 runs statements one at a time anyway, and queueing every call
// means a transaction can never swallow a statement issued by an unrelated request meanwhile.
import sqlite3 from 'sqlite3';

export type SqlValue = string | number | bigint | null | Buffer;
export type Params = SqlValue[] | Record<string, SqlValue>;

export interface RunResult {
  lastID: number;
  changes: number;
}

/** Which engine runs the SQL: repositories write one shared SQL text and branch on this only where the engines
 * truly differ (full-text search, SQLite's R*Tree and bulk-write internals); see server/db/README.md. */
export type Dialect = 'sqlite' | 'postgres';

/** What both the database and an open transaction offer; repositories take this. */
export interface Queryable {
  readonly dialect: Dialect;
  run(sql: string, params?: Params): Promise<RunResult>;
  get<T>(sql: string, params?: Params): Promise<T | undefined>;
  all<T>(sql: string, params?: Params): Promise<T[]>;
  exec(sql: string): Promise<void>;
  /** A prepared statement for bulk work inside one transaction; finalize it when done. */
  prepare(sql: string): Promise<Statement>;
}

export interface Statement {
  run(params?: Params): Promise<RunResult>;
  get<T>(params?: Params): Promise<T | undefined>;
  finalize(): Promise<void>;
}

/**
 * Thrown for sqlite's SQLITE_BUSY / SQLITE_LOCKED / SQLITE_FULL so the HTTP layer can answer clearly (503 for a
 * lock held past the busy timeout, 507 for a full disk). The failed statement's transaction is rolled back, so
 * the message can promise that nothing was saved.
 */
export class DatabaseUnavailableError extends Error {
  constructor(readonly code: string, cause: Error) {
    super(
      code === 'SQLITE_FULL'
        ? 'Database disk is full: nothing was saved; free disk space on the server'
        : 'Database is busy (locked by another writer longer than the busy timeout); try again',
      { cause },
    );
  }

  get diskFull(): boolean {
    return this.code === 'SQLITE_FULL';
  }
}

function wrapError(err: Error & { code?: string }): Error {
  if (err.code === 'SQLITE_BUSY' || err.code === 'SQLITE_FULL' || err.code === 'SQLITE_LOCKED') {
    return new DatabaseUnavailableError(err.code, err);
  }
  return err;
}

class Connection implements Queryable {
  readonly dialect = 'sqlite' as const;
  constructor(protected readonly raw: sqlite3.Database) {}

  run(sql: string, params: Params = []): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      this.raw.run(sql, params, function (this: sqlite3.RunResult, err: Error | null) {
        if (err) reject(wrapError(err));
        else resolve({ lastID: this.lastID, changes: this.changes });
      });
    });
  }

  get<T>(sql: string, params: Params = []): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      this.raw.get(sql, params, (err: Error | null, row: T | undefined) => (err ? reject(wrapError(err)) : resolve(row)));
    });
  }

  all<T>(sql: string, params: Params = []): Promise<T[]> {
    return new Promise((resolve, reject) => {
      this.raw.all(sql, params, (err: Error | null, rows: T[]) => (err ? reject(wrapError(err)) : resolve(rows)));
    });
  }

  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.raw.exec(sql, (err) => (err ? reject(wrapError(err)) : resolve())));
  }

  prepare(sql: string): Promise<Statement> {
    return new Promise((resolve, reject) => {
      const stmt: sqlite3.Statement = this.raw.prepare(sql, (err) => {
        if (err) return reject(wrapError(err));
        resolve({
          run: (params: Params = []) =>
            new Promise((res, rej) =>
              stmt.run(params, function (this: sqlite3.RunResult, e: Error | null) {
                if (e) rej(wrapError(e));
                else res({ lastID: this.lastID, changes: this.changes });
              }),
            ),
          get: <T>(params: Params = []) =>
            new Promise<T | undefined>((res, rej) => stmt.get(params, (e: Error | null, row: T) => (e ? rej(wrapError(e)) : res(row)))),
          finalize: () => new Promise<void>((res) => stmt.finalize(() => res())),
        });
      });
    });
  }
}

/** An open database of either engine: what services, migrations and the app hold. */
export interface Database extends Queryable {
  /** Runs fn in one transaction (SQLite: BEGIN IMMEDIATE on the one connection; PostgreSQL: one pooled client). */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** True for a `postgres://` or `postgresql://` URL; anything else is an SQLite file path. */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

export const Database = {
  /** Opens (creating) an SQLite file: the embedded default. */
  open(file: string): Promise<SqliteDatabase> {
    return SqliteDatabase.open(file);
  },
  /** Opens an SQLite file path or a PostgreSQL URL; the PostgreSQL driver is loaded only when one is asked for. */
  async connect(target: string): Promise<Database> {
    if (!isPostgresUrl(target)) return SqliteDatabase.open(target);
    const { PostgresDatabase } = await import('./postgres');
    return PostgresDatabase.open(target);
  },
};

export class SqliteDatabase implements Database {
  readonly dialect = 'sqlite' as const;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly conn: Connection;

  private constructor(private readonly raw: sqlite3.Database) {
    this.conn = new Connection(raw);
  }

  static async open(file: string): Promise<SqliteDatabase> {
    const raw = await new Promise<sqlite3.Database>((resolve, reject) => {
      const db = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(db)));
    });
    const db = new SqliteDatabase(raw);
    // WAL lets readers and the writer overlap; NORMAL sync is durable across process crashes (kill -9),
    // which is the failure we guard against; busy_timeout rides out a checkpoint or a second process. A 64 MiB
    // page cache (default 2 MiB) keeps a 100,000-row import's table, index and FTS pages in memory instead of
    // spilling them mid-transaction; it grows only as pages are used.
    await db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -65536;');
    return db;
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task, task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  run(sql: string, params?: Params) {
    return this.serial(() => this.conn.run(sql, params));
  }
  get<T>(sql: string, params?: Params) {
    return this.serial(() => this.conn.get<T>(sql, params));
  }
  all<T>(sql: string, params?: Params) {
    return this.serial(() => this.conn.all<T>(sql, params));
  }
  exec(sql: string) {
    return this.serial(() => this.conn.exec(sql));
  }
  prepare(sql: string) {
    return this.serial(() => this.conn.prepare(sql));
  }

  /** Runs fn inside BEGIN IMMEDIATE … COMMIT, holding the queue so no other statement interleaves. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      await this.conn.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.conn);
        await this.conn.exec('COMMIT');
        return result;
      } catch (err) {
        await this.conn.exec('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  close(): Promise<void> {
    return this.serial(() => new Promise<void>((resolve, reject) => this.raw.close((err) => (err ? reject(err) : resolve()))));
  }
}
