// Cluster-wide invalidation of in-memory caches (issue #22): a node that changes something another node may hold in
// memory (a share link revoked) publishes a small typed message; every node drops what it cached.
// On PostgreSQL it travels by NOTIFY on one channel, with one LISTENing connection per node (its own, not the pool's:
// LISTEN belongs to a session); the publisher's own node handles it at once, without waiting for the round trip.
// On SQLite (one node) the bus is in-process.
//
// Messages missed while the listener was reconnecting cannot be replayed (NOTIFY keeps none), so each (re)connect
// delivers `{ kind: 'all' }`: every cache empties itself, and the next request reads fresh rows.
// Framework-free; server/plugins/cluster.ts wires it.
import pg from 'pg';

export type Invalidation =
  /** A share link was revoked (or its terms changed): its cached row and viewer counts go. */
  | { kind: 'share-link'; id: number }
  /** A recording plan changed: one camera's (id), or a default that may touch many (id null). Every node's recorder
   * re-reads it, so whichever node runs the camera's relay records it by the new plan. */
  | { kind: 'recording-plan'; id: number | null }
  /** A camera's place or sources changed (id), or many cameras' (null: a catalogue import): cached scope facts go. */
  | { kind: 'camera'; id: number | null }
  /** An org subtree moved from one path prefix to another: sockets' scopes are rewritten, cached camera facts go. */
  | { kind: 'org-moved'; from: string; to: string }
  /** Anything may be stale (the listener reconnected): drop every cache. */
  | { kind: 'all' };

export interface InvalidationBus {
  /** Delivered on this node at once and on every other node about a NOTIFY round trip later. */
  publish(message: Invalidation): Promise<void>;
  subscribe(fn: (message: Invalidation) => void): () => void;
  close(): Promise<void>;
}

export const INVALIDATION_CHANNEL = 'cvc_invalidate';

class Subscribers {
  private readonly fns = new Set<(m: Invalidation) => void>();
  constructor(private readonly onError: (err: unknown) => void) {}

  add(fn: (m: Invalidation) => void): () => void {
    this.fns.add(fn);
    return () => this.fns.delete(fn);
  }

  deliver(m: Invalidation) {
    for (const fn of this.fns) {
      try {
        fn(m);
      } catch (err) {
        this.onError(err);
      }
    }
  }
}

export class LocalInvalidationBus implements InvalidationBus {
  private readonly subs: Subscribers;
  constructor(onError: (err: unknown) => void = () => undefined) {
    this.subs = new Subscribers(onError);
  }
  async publish(message: Invalidation): Promise<void> {
    this.subs.deliver(message);
  }
  subscribe(fn: (message: Invalidation) => void): () => void {
    return this.subs.add(fn);
  }
  async close(): Promise<void> {}
}

/** Only well-formed messages of the set above are delivered: the channel is open to any client of the database. */
export function parseInvalidation(text: string): { from: string; message: Invalidation } | undefined {
  try {
    const v = JSON.parse(text) as { from?: unknown; m?: { kind?: unknown; id?: unknown; from?: unknown; to?: unknown } };
    if (typeof v.from !== 'string' || !v.m) return undefined;
    const { kind, id } = v.m;
    if (kind === 'camera' && (id === null || Number.isSafeInteger(id))) return { from: v.from, message: { kind, id: id as number | null } };
    if (kind === 'org-moved' && typeof v.m.from === 'string' && typeof v.m.to === 'string') return { from: v.from, message: { kind, from: v.m.from, to: v.m.to } };
    if (kind === 'all') return { from: v.from, message: { kind } };
    if (kind === 'share-link' && Number.isSafeInteger(id)) return { from: v.from, message: { kind, id: id as number } };
    if (kind === 'recording-plan' && (id === null || Number.isSafeInteger(id))) return { from: v.from, message: { kind, id: id as number | null } };
  } catch {
    // not ours
  }
  return undefined;
}

export interface PostgresBusOptions {
  url: string;
  nodeId: string;
  /** NOTIFY through the app's pool (a statement of its own, outside any transaction: sent at once). */
  notify(channel: string, payload: string): Promise<void>;
  onError?: (err: unknown) => void;
  /** Wait before reconnecting a lost listener (default 1000 ms). */
  retryMs?: number;
}

export class PostgresInvalidationBus implements InvalidationBus {
  private readonly subs: Subscribers;
  private client: pg.Client | undefined;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;

  private constructor(private readonly o: PostgresBusOptions) {
    this.subs = new Subscribers(o.onError ?? (() => undefined));
  }

  /** Resolves once the listener is LISTENing, so an app that is ready hears every later message. */
  static async start(o: PostgresBusOptions): Promise<PostgresInvalidationBus> {
    const bus = new PostgresInvalidationBus(o);
    await bus.listen();
    return bus;
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.o.url, application_name: `cvc-invalidate:${this.o.nodeId}`.slice(0, 63), keepAlive: true });
    this.client = client;
    const lost = (err?: unknown) => {
      if (this.client !== client) return;
      this.client = undefined;
      client.end().catch(() => undefined);
      if (this.closed) return;
      if (err) this.o.onError?.(err);
      this.reconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (n) => {
      if (n.channel !== INVALIDATION_CHANNEL || !n.payload) return;
      const parsed = parseInvalidation(n.payload);
      // Our own messages were delivered when published.
      if (parsed && parsed.from !== this.o.nodeId) this.subs.deliver(parsed.message);
    });
    await client.connect();
    await client.query(`LISTEN ${INVALIDATION_CHANNEL}`);
    // Whatever was sent while nobody listened here is unknown: start from nothing.
    this.subs.deliver({ kind: 'all' });
  }

  private reconnect() {
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      if (this.closed) return;
      this.listen().catch((err) => {
        const client = this.client;
        this.client = undefined;
        client?.end().catch(() => undefined);
        this.o.onError?.(err);
        if (!this.closed) this.reconnect();
      });
    }, this.o.retryMs ?? 1000);
  }

  async publish(message: Invalidation): Promise<void> {
    this.subs.deliver(message);
    await this.o.notify(INVALIDATION_CHANNEL, JSON.stringify({ from: this.o.nodeId, m: message }));
  }

  subscribe(fn: (message: Invalidation) => void): () => void {
    return this.subs.add(fn);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
