// The same Queryable over PostgreSQL (npm `pg`): a pool for single statements, one pooled client per transaction.
// Statements arrive in the shared (SQLite-first) SQL and are translated by dialect.ts; values come back shaped as
// the SQLite driver gives them (numbers for integers and sums, 1/0 for booleans, Buffers for bytea) so that the
// repositories read one row shape from both engines.
import pg from 'pg';
import { DatabaseUnavailableError, type Database, type Params, type Queryable, type RunResult, type Statement } from './database';
import { bindValues, toPostgres, withReturning } from './dialect';

// int8 (count(*), sum of integers, BIGINT columns) and numeric (avg, sum of bigint) as JS numbers like SQLite's
// driver: ids, byte counts and millisecond times here stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
// Comparisons selected as values (`x = y AS flag`, EXISTS) are 1/0 in SQLite, and the repositories expect that.
pg.types.setTypeParser(pg.types.builtins.BOOL, (v) => (v === 't' ? 1 : 0));

/**
 * PostgreSQL errors in the words the SQLite driver uses, where the app reads them: a unique violation says
 * "UNIQUE constraint failed" (e.g. layouts.ts turns it into a 409); lock and disk trouble become the same
 * DatabaseUnavailableError (503/507) as SQLite's BUSY/FULL.
 */
function wrapError(err: Error & { code?: string; detail?: string; constraint?: string }): Error {
  const words: Record<string, string> = {
    '23505': 'UNIQUE constraint failed',
    '23503': 'FOREIGN KEY constraint failed',
    '23514': 'CHECK constraint failed',
    '23502': 'NOT NULL constraint failed',
  };
  const said = err.code ? words[err.code] : undefined;
  if (said) return Object.assign(new Error(`${said}: ${err.constraint ?? ''} ${err.detail ?? err.message}`.trim(), { cause: err }), { code: 'SQLITE_CONSTRAINT', pgCode: err.code });
  // lock_not_available, deadlock, serialization failure: busy; disk_full / out of memory: full.
  if (err.code === '55P03' || err.code === '40P01' || err.code === '40001') return new DatabaseUnavailableError('SQLITE_BUSY', err);
  if (err.code === '53100') return new DatabaseUnavailableError('SQLITE_FULL', err);
  return err;
}

type Client = pg.Pool | pg.PoolClient;

/**
 * A parameter no stored value can equal, which PostgreSQL refuses to bind where SQLite simply finds no row: an
 * integer past BIGINT's range (no REAL column here holds values near 9.2e18) or text with a NUL character
 * (PostgreSQL text cannot hold one, 22021), e.g. an id of 10^23 or a `%00` from a URL.
 */
function unmatchable(v: unknown): boolean {
  return (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) >= 2 ** 63) || (typeof v === 'string' && v.includes('\0'));
}

class PgConnection implements Queryable {
  readonly dialect = 'postgres' as const;
  constructor(protected readonly client: Client) {}

  protected async query(text: string, values: unknown[]): Promise<pg.QueryResult> {
    try {
      return await this.client.query(text, values);
    } catch (err) {
      throw wrapError(err as Error);
    }
  }

  async run(sql: string, params?: Params): Promise<RunResult> {
    const stmt = toPostgres(sql);
    const values = bindValues(stmt, params);
    // A DELETE keyed by a value no row can hold deletes nothing, as on SQLite (see unmatchable); not sent, since
    // PostgreSQL would refuse the bind (and abort the caller's transaction).
    if (/^\s*DELETE\b/i.test(stmt.text) && values.some(unmatchable)) return { lastID: 0, changes: 0 };
    const res = await this.query(withReturning(stmt), values);
    const last = res.rows.at(-1) as { id?: number; seq?: number } | undefined;
    return { lastID: Number(last?.id ?? last?.seq ?? 0), changes: res.rowCount ?? 0 };
  }

  async get<T>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.read<T>(sql, params))[0];
  }

  async all<T>(sql: string, params?: Params): Promise<T[]> {
    return this.read<T>(sql, params);
  }

  /**
   * A read whose parameter cannot be a value of its column's type (an id of 10^23 from a URL: past BIGINT) finds
   * no row, as on SQLite, which compares it and matches nothing; PostgreSQL refuses to bind it (22003/22P02).
   * The check after the fact is only outside a transaction: inside one the error has already aborted it.
   */
  private async read<T>(sql: string, params?: Params): Promise<T[]> {
    const stmt = toPostgres(sql);
    const values = bindValues(stmt, params);
    // Inside a transaction too, without sending it: such a value cannot equal any stored one (unmatchable), and
    // the refused bind would abort the caller's transaction.
    if (values.some(unmatchable)) return [];
    try {
      return (await this.query(stmt.text, values)).rows as T[];
    } catch (err) {
      const code = ((err as { cause?: { code?: string } }).cause ?? (err as { code?: string })).code;
      if (this.client instanceof pg.Pool && (code === '22003' || code === '22P02') && /bigint|integer/.test(String((err as Error).message))) return [];
      throw err;
    }
  }

  /** Raw PostgreSQL, several statements allowed (migrations): not translated. */
  async exec(sql: string): Promise<void> {
    await this.query(sql, []);
  }

  /** A translated statement run again and again; the server plans it once per connection by its name. */
  async prepare(sql: string): Promise<Statement> {
    const stmt = toPostgres(sql);
    // Named per SQL text, so preparing the same statement again reuses the server's plan instead of piling up new ones.
    let name = statementNames.get(stmt.text);
    if (!name) statementNames.set(stmt.text, (name = `s${statementNames.size.toString(36)}`));
    const run = async (params?: Params, returning = true) => {
      try {
        return await this.client.query({ name, text: returning ? withReturning(stmt) : stmt.text, values: bindValues(stmt, params) });
      } catch (err) {
        throw wrapError(err as Error);
      }
    };
    return {
      run: async (params) => {
        const res = await run(params);
        const last = res.rows.at(-1) as { id?: number; seq?: number } | undefined;
        return { lastID: Number(last?.id ?? last?.seq ?? 0), changes: res.rowCount ?? 0 };
      },
      get: async <T>(params?: Params) => (await run(params)).rows[0] as T | undefined,
      finalize: async () => undefined,
    };
  }
}

const statementNames = new Map<string, string>();

/** The wait for a lock before a statement gives up with "database is busy": SQLite's busy_timeout. */
export const LOCK_TIMEOUT_MS = 5_000;

export class PostgresDatabase extends PgConnection implements Database {
  private constructor(private readonly pool: pg.Pool) {
    super(pool);
  }

  static async open(url: string): Promise<PostgresDatabase> {
    // lock_timeout plays SQLite's busy_timeout (5 s, database.ts): a statement waiting longer for a lock another
    // session holds (a table or row lock, the event-log advisory lock) fails with 55P03 → 503 "database is busy",
    // instead of holding the request (and a pooled client) for as long as the other session pleases.
    const pool = new pg.Pool({ connectionString: url, max: 10, options: `-c lock_timeout=${LOCK_TIMEOUT_MS}` });
    // An idle client that loses its server (restart, network) must not take the process down.
    pool.on('error', () => undefined);
    const db = new PostgresDatabase(pool);
    await db.exec('SELECT 1');
    return db;
  }

  /** One pooled client from BEGIN to COMMIT: every statement of the transaction goes through it. */
  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      try {
        const result = await fn(new PgConnection(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err instanceof Error ? wrapError(err) : err;
      }
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
