// socket.io across gateway nodes through the PostgreSQL they already share (issue #22): @socket.io/postgres-adapter
// relays every broadcast (io.to(rooms).emit, disconnectSockets, fetchSockets) with NOTIFY on one channel that every
// node LISTENs to, so an event committed on node A reaches the sockets held by node B without a second engine.
// SQLite means one node, so no adapter there (socket.io's in-memory default).
import { createAdapter } from '@socket.io/postgres-adapter';
import pg from 'pg';

/** Payloads over NOTIFY's 8000-byte limit (or binary) travel through this table; the adapter prunes it itself. */
export const ATTACHMENTS_TABLE = 'socket_io_attachments';

/** Any fixed bigint: serializes the CREATE TABLE IF NOT EXISTS of nodes starting at the same moment. */
const SETUP_LOCK = 0x637663736f;

export interface ClusterAdapter {
  /** For `new Server(…, { adapter })`. */
  adapter: ReturnType<typeof createAdapter>;
  /** Ends the adapter's own pool (after io's adapters are closed). */
  close(): Promise<void>;
}

/**
 * The adapter on a pool of its own: it keeps one client LISTENing for as long as the node runs, which must not
 * take a connection from the repositories' pool, and NOTIFY goes out on the other one.
 */
export async function postgresSocketAdapter(url: string, onError: (err: Error) => void): Promise<ClusterAdapter> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // An idle client that loses its server must not take the process down; the adapter reconnects its listener.
  pool.on('error', onError);
  // Created here rather than by a migration: it is the adapter's table, not the console's schema (the migrations
  // stay one list for both engines). Two nodes starting together would race on IF NOT EXISTS: hence the lock.
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SETUP_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS ${ATTACHMENTS_TABLE} (id BIGSERIAL UNIQUE, created_at TIMESTAMPTZ DEFAULT now(), payload BYTEA)`);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
    await pool.end();
    throw err;
  }
  client.release();
  return {
    adapter: createAdapter(pool, { tableName: ATTACHMENTS_TABLE, errorHandler: onError }),
    close: () => pool.end(),
  };
}
