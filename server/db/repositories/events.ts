import type { DurableEvent, DurableEventName, EventPayload } from '../../contracts/events';
import { prefixUpperBound } from '../../domain/scope';
import type { Queryable } from '../database';

export class EventRepository {
  constructor(private readonly db: Queryable) {}

  /** Appends an event and returns its payload stamped with the sequence number. */
  async append<E extends DurableEventName>(orgPath: string, type: E, payload: Omit<EventPayload<E>, 'seq'>, db: Queryable = this.db): Promise<EventPayload<E>> {
    const { lastID } = await db.run('INSERT INTO events (at, org_path, type, payload) VALUES (?, ?, ?, ?)', [
      new Date().toISOString(), orgPath, type, JSON.stringify(payload),
    ]);
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
