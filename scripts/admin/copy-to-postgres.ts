// Copies an SQLite console database into an empty PostgreSQL one (npm run admin -- migrate-to-postgres, issue #22).
// The target is first migrated with the PostgreSQL migrations (server/db/migrations/pg), so both sides hold the same
// schema; then every console table is copied in foreign-key order, in batches, in ONE transaction (a failure leaves
// the target as empty as it was), the identity sequences are moved past the copied ids, and the row counts of both
// sides are compared. Raw `pg` on the target: the rows are copied as stored, not through the dialect layer.
import pg from 'pg';
import { Database, type SqliteDatabase } from '../../server/db/database';
import { migrate } from '../../server/db/migrate';

/** Tables that are not data to copy: migrate keeps schema_migrations; the socket.io adapter makes its own table. */
const NOT_COPIED = new Set(['schema_migrations', 'socket_io_attachments']);
/** PostgreSQL allows 65,535 bind parameters per statement; rows per INSERT stay under that and under this. */
const MAX_BATCH_ROWS = 1000;

export class CopyRefusedError extends Error {}

export interface TableCount {
  table: string;
  sqlite: number;
  postgres: number;
}

export interface CopyResult {
  tables: TableCount[];
  /** Tables whose counts differ after the copy (empty when verified). */
  mismatched: string[];
  ms: number;
}

export interface CopyOptions {
  /** Rows per read/INSERT (tests make it small to cross batch edges). */
  batchRows?: number;
  /** Progress: called after each table is copied. */
  onTable?: (table: string, rows: number) => void;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

interface SqliteColumn {
  name: string;
  pk: number;
  /** table_xinfo: 0 plain, 2/3 generated (virtual/stored): generated columns are computed again on PostgreSQL. */
  hidden: number;
}

interface SourceTable {
  name: string;
  withoutRowid: boolean;
  columns: string[];
  pkColumns: string[];
}

/** The console's own tables in the SQLite file: not SQLite's (sqlite_*), not FTS5/R*Tree tables or their shadows. */
async function sourceTables(db: SqliteDatabase): Promise<SourceTable[]> {
  const listed = await db.all<{ name: string; type: string; wr: number }>(
    "SELECT name, type, wr FROM pragma_table_list WHERE schema = 'main' ORDER BY name",
  );
  const tables: SourceTable[] = [];
  for (const t of listed) {
    // 'virtual' (FTS5, R*Tree) and 'shadow' (their storage) are SQLite's search structures: PostgreSQL has its own
    // (pg_trgm GIN index, a view over cameras) built from the copied rows.
    if (t.type !== 'table' || t.name.startsWith('sqlite_') || NOT_COPIED.has(t.name)) continue;
    const cols = await db.all<SqliteColumn>(`SELECT name, pk, hidden FROM pragma_table_xinfo(${`'${t.name.replace(/'/g, "''")}'`}) ORDER BY cid`);
    tables.push({
      name: t.name,
      withoutRowid: !!t.wr,
      columns: cols.filter((c) => c.hidden === 0).map((c) => c.name),
      pkColumns: cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
    });
  }
  return tables;
}

interface TargetSchema {
  /** Table → its non-generated columns. */
  columns: Map<string, Set<string>>;
  /** Table → its generated columns (computed by PostgreSQL, never inserted). */
  generated: Map<string, Set<string>>;
  identities: { table: string; column: string }[];
  foreignKeys: { name: string; child: string; parent: string }[];
}

async function targetSchema(client: pg.ClientBase): Promise<TargetSchema> {
  const cols = await client.query<{ table_name: string; column_name: string; is_generated: string; is_identity: string }>(
    `SELECT c.table_name, c.column_name, c.is_generated, c.is_identity
       FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'`,
  );
  const columns = new Map<string, Set<string>>();
  const generated = new Map<string, Set<string>>();
  const identities: TargetSchema['identities'] = [];
  for (const r of cols.rows) {
    const into = r.is_generated === 'ALWAYS' ? generated : columns;
    if (!into.has(r.table_name)) into.set(r.table_name, new Set());
    into.get(r.table_name)!.add(r.column_name);
    if (!columns.has(r.table_name)) columns.set(r.table_name, new Set());
    if (r.is_identity === 'YES') identities.push({ table: r.table_name, column: r.column_name });
  }
  const fks = await client.query<{ name: string; child: string; parent: string }>(
    `SELECT c.conname AS name, ch.relname AS child, pa.relname AS parent
       FROM pg_constraint c JOIN pg_class ch ON ch.oid = c.conrelid JOIN pg_class pa ON pa.oid = c.confrelid
       JOIN pg_namespace n ON n.oid = ch.relnamespace
      WHERE c.contype = 'f' AND n.nspname = current_schema()`,
  );
  return { columns, generated, identities, foreignKeys: fks.rows };
}

/** Parents before children (Kahn's algorithm, ties by name); tables in a cycle come last, in name order. */
export function dependencyOrder(tables: string[], foreignKeys: { child: string; parent: string }[]): string[] {
  const set = new Set(tables);
  const parents = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const fk of foreignKeys) {
    if (fk.child !== fk.parent && set.has(fk.child) && set.has(fk.parent)) parents.get(fk.child)!.add(fk.parent);
  }
  const order: string[] = [];
  const placed = new Set<string>();
  for (;;) {
    const ready = tables.filter((t) => !placed.has(t) && [...parents.get(t)!].every((p) => placed.has(p))).sort();
    if (!ready.length) break;
    for (const t of ready) {
      order.push(t);
      placed.add(t);
    }
  }
  return [...order, ...tables.filter((t) => !placed.has(t)).sort()];
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the PostgreSQL URL';
  }
}

/** Rows of a table in batches, in a stable order: by rowid, or by primary key for WITHOUT ROWID tables. */
async function* readBatches(db: SqliteDatabase, table: SourceTable, columns: string[], batch: number): AsyncGenerator<unknown[][]> {
  const list = columns.map(q).join(', ');
  if (!table.withoutRowid) {
    // Keyset paging by rowid: each batch is an index range, however large the table.
    let after = Number.MIN_SAFE_INTEGER;
    for (;;) {
      const rows = await db.all<Record<string, unknown>>(
        `SELECT rowid AS "__rowid", ${list} FROM ${q(table.name)} WHERE rowid > ? ORDER BY rowid LIMIT ?`,
        [after, batch],
      );
      if (!rows.length) return;
      after = rows.at(-1)!.__rowid as number;
      yield rows.map((r) => columns.map((c) => r[c]));
      if (rows.length < batch) return;
    }
  }
  // Few and small tables are WITHOUT ROWID here (recording_segments); OFFSET over the primary key is enough.
  const order = (table.pkColumns.length ? table.pkColumns : columns).map(q).join(', ');
  for (let offset = 0; ; offset += batch) {
    const rows = await db.all<Record<string, unknown>>(`SELECT ${list} FROM ${q(table.name)} ORDER BY ${order} LIMIT ? OFFSET ?`, [batch, offset]);
    if (!rows.length) return;
    yield rows.map((r) => columns.map((c) => r[c]));
    if (rows.length < batch) return;
  }
}

/**
 * Copies the SQLite database `sqliteFile` into the PostgreSQL database at `url`, which must hold no console rows.
 * The SQLite file is migrated to the newest schema first (as a gateway start would do).
 */
export async function copySqliteToPostgres(sqliteFile: string, url: string, options: CopyOptions = {}): Promise<CopyResult> {
  const started = Date.now();
  const source = await Database.open(sqliteFile);
  let client: pg.Client | undefined;
  try {
    await migrate(source);
    client = new pg.Client({ connectionString: url });
    await client.connect().catch((err: Error) => {
      throw new CopyRefusedError(`cannot connect to ${redact(url)}: ${err.message}`);
    });

    // A database that holds tables but no schema_migrations is somebody else's: never migrate into it.
    const existing = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
    );
    const names = existing.rows.map((r) => r.table_name);
    if (names.length && !names.includes('schema_migrations')) {
      throw new CopyRefusedError(`${redact(url)} is not empty and is not a console database (it holds ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}); give an empty database (createdb)`);
    }
    const target = await Database.connect(url);
    try {
      await migrate(target);
    } finally {
      await target.close();
    }

    const schema = await targetSchema(client);
    const tables = await sourceTables(source);
    const problems: string[] = [];
    for (const t of tables) {
      const cols = schema.columns.get(t.name);
      if (!cols) {
        problems.push(`table ${t.name} has no counterpart on PostgreSQL`);
        continue;
      }
      for (const c of t.columns) {
        if (schema.generated.get(t.name)?.has(c)) continue;
        if (!cols.has(c)) problems.push(`column ${t.name}.${c} has no counterpart on PostgreSQL`);
      }
    }
    if (problems.length) throw new CopyRefusedError(`the two schemas differ, nothing was copied: ${problems.join('; ')}`);

    // Empty means no console rows at all: a gateway started on it once has already written some (networks,
    // app_state), and copying on top of those would mix two histories.
    const copyNames = tables.map((t) => t.name);
    const filled: string[] = [];
    for (const name of [...schema.columns.keys()].filter((n) => !NOT_COPIED.has(n)).sort()) {
      const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${q(name)}`);
      if (rows[0]!.n > 0) filled.push(`${name} (${rows[0]!.n})`);
    }
    if (filled.length) {
      throw new CopyRefusedError(`${redact(url)} already holds console data: ${filled.join(', ')}. migrate-to-postgres copies only into an empty database: drop and create it again (dropdb/createdb), and start no gateway on it before the copy`);
    }

    const order = dependencyOrder(copyNames, schema.foreignKeys);
    const byName = new Map(tables.map((t) => [t.name, t]));
    const position = new Map(order.map((t, i) => [t, i]));
    // A foreign key whose parent is not copied strictly earlier (a table pointing at itself, like org_units.parent_id
    // or tasks.parent_id, or a cycle) is checked at the end of the copy instead of row by row.
    const deferred = schema.foreignKeys.filter((fk) => position.has(fk.child) && position.has(fk.parent) && position.get(fk.parent)! >= position.get(fk.child)!);
    const batchRows = options.batchRows ?? MAX_BATCH_ROWS;

    await client.query('BEGIN');
    try {
      for (const fk of deferred) await client.query(`ALTER TABLE ${q(fk.child)} ALTER CONSTRAINT ${q(fk.name)} DEFERRABLE INITIALLY DEFERRED`);
      // The rows are copied as they are, derived ones included (org_unit_camera_counts, id_high_water): the
      // triggers that keep those up to date on PostgreSQL would count every copied camera a second time.
      for (const name of order) await client.query(`ALTER TABLE ${q(name)} DISABLE TRIGGER USER`);

      for (const name of order) {
        const table = byName.get(name)!;
        const columns = table.columns.filter((c) => !schema.generated.get(name)?.has(c));
        const perInsert = Math.max(1, Math.min(batchRows, Math.floor(60_000 / columns.length)));
        let copied = 0;
        for await (const rows of readBatches(source, table, columns, perInsert)) {
          const values: unknown[] = [];
          const tuples = rows.map((row) => `(${row.map((v) => (values.push(v), `$${values.length}`)).join(', ')})`);
          await client.query(`INSERT INTO ${q(name)} (${columns.map(q).join(', ')}) VALUES ${tuples.join(', ')}`, values);
          copied += rows.length;
        }
        options.onTable?.(name, copied);
      }

      // The deferred checks run now; ALTER TABLE refuses a table with checks still pending.
      await client.query('SET CONSTRAINTS ALL IMMEDIATE');
      for (const name of order) await client.query(`ALTER TABLE ${q(name)} ENABLE TRIGGER USER`);
      for (const fk of deferred) await client.query(`ALTER TABLE ${q(fk.child)} ALTER CONSTRAINT ${q(fk.name)} NOT DEFERRABLE`);

      // Identity columns hand out max + 1 from now on; AUTOINCREMENT's high-water mark (sqlite_sequence) counts
      // too, so an id SQLite gave to a deleted row (an event pruned from the log) is never handed out again.
      const sequences = new Map(
        (await source.all<{ name: string; seq: number }>("SELECT name, seq FROM sqlite_sequence").catch(() => [])).map((r) => [r.name, r.seq]),
      );
      for (const { table, column } of schema.identities) {
        if (!position.has(table)) continue;
        const { rows } = await client.query<{ max: string | null }>(`SELECT max(${q(column)})::text AS max FROM ${q(table)}`);
        const high = Math.max(Number(rows[0]!.max ?? 0), sequences.get(table) ?? 0);
        if (high > 0) await client.query('SELECT setval(pg_get_serial_sequence($1, $2), $3, true)', [q(table), column, high]);
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    // Fresh planner statistics: without them PostgreSQL plans the first queries as if every table were empty.
    await client.query('ANALYZE');

    const counts: TableCount[] = [];
    for (const name of order) {
      const s = await source.get<{ n: number }>(`SELECT count(*) AS n FROM ${q(name)}`);
      const p = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${q(name)}`);
      counts.push({ table: name, sqlite: s!.n, postgres: p.rows[0]!.n });
    }
    return { tables: counts, mismatched: counts.filter((c) => c.sqlite !== c.postgres).map((c) => c.table), ms: Date.now() - started };
  } finally {
    await client?.end().catch(() => undefined);
    await source.close();
  }
}

export { redact as redactUrl };
