import type { DurableEvent, DurableEventName, EventPayload } from '../../contracts/events';
import { prefixUpperBound } from '../../domain/scope';
import type { Queryable } from '../database';

/**
 * The key of the PostgreSQL advisory lock that orders the event log (any fixed bigint; "cvc-events" in ASCII-ish).
 * See append() and server/db/README.md (multi-node).
 */
export const EVENT_LOG_LOCK = 0x6376636576;

/**
 * PostgreSQL hands out identity values when a row is inserted, not when its transaction commits, so two writers
 * (two requests, or two nodes) can commit seq 11 before seq 10; a client that saw 11 and replays `since 11` would
 * never get 10. So each append first takes a transaction-level advisory lock, held until COMMIT/ROLLBACK: the
 * next writer draws its seq only after the previous one is committed, and seq order is commit order. One statement,
 * so that an append outside a transaction (its own implicit one) is covered too. SQLite needs none of this: it runs
 * one write transaction at a time.
 */
const APPEND_PG = 'INSERT INTO events (at, org_path, type, payload) SELECT ?, ?, ?, ? FROM (SELECT pg_advisory_xact_lock(?)) AS in_order';
const APPEND_SQLITE = 'INSERT INTO events (at, org_path, type, payload) VALUES (?, ?, ?, ?)';

export class EventRepository {
  constructor(private readonly db: Queryable) {}

  /** Appends an event and returns its payload stamped with the sequence number. */
  async append<E extends DurableEventName>(orgPath: string, type: E, payload: Omit<EventPayload<E>, 'seq'>, db: Queryable = this.db): Promise<EventPayload<E>> {
    const values = [new Date().toISOString(), orgPath, type, JSON.stringify(payload)];
    const { lastID } = db.dialect === 'postgres'
      ? await db.run(APPEND_PG, [...values, EVENT_LOG_LOCK])
      : await db.run(APPEND_SQLITE, values);
    return { ...payload, seq: lastID } as EventPayload<E>;
  }

  /** Events after `since` that a user scoped at `scopePath` may see, oldest first. */
  async since(scopePath: string, since: number, limit: number): Promise<DurableEvent[]> {
    const rows = await this.db.all<{ seq: number; type: DurableEventName; payload: string }>(
      'SELECT seq, type, payload FROM events WHERE seq > ? AND org_path >= ? AND org_path < ? ORDER BY seq LIMIT ?',
      [since, scopePath, prefixUpperBound(scopePath), limit],
    );
    return rows.map((r) => ({ event: r.type, payload: { ...JSON.parse(r.payload), seq: r.seq } }) as DurableEvent);
  }

  async lastSeq(): Promise<number> {
    return (await this.db.get<{ seq: number | null }>('SELECT max(seq) AS seq FROM events'))?.seq ?? 0;
  }

  /** Drops events older than the retention window; a client away longer than that reloads instead. */
  async prune(olderThan: Date): Promise<number> {
    return (await this.db.run('DELETE FROM events WHERE at < ?', [olderThan.toISOString()])).changes;
  }
}
