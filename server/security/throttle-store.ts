// Cluster-wide login throttling (issue #22). @fastify/rate-limit counts in the process by default, so behind two
// gateway nodes an address would get the per-minute allowance once per node. Routes that guard credentials mark
// their limit `shared: true` (sign-in, password change, setup); on PostgreSQL their counts live in one UNLOGGED table
// that every node increments with a single atomic upsert; every other limited route (snapshots, share, playback)
// keeps the in-process store: those limits protect this node's own load, not a secret.
// On SQLite (one node) nothing is shared and the in-process store serves everything, as before.
import { createRequire } from 'node:module';
import type { Queryable } from '../db/database';

/** What the rate-limit plugin passes to a store: the merged route options (ours adds `shared`). */
interface StoreParams {
  continueExceeding?: boolean;
  exponentialBackoff?: boolean;
  cache?: number;
  shared?: boolean;
  routeInfo?: { method?: string | string[]; url?: string };
}
type Callback = (err: Error | null, res?: { current: number; ttl: number }) => void;
interface RateStore {
  incr(key: string, cb: Callback, timeWindow: number, max: number): void;
  child(params: StoreParams): RateStore;
}

const require = createRequire(import.meta.url);
const LocalStore = require('@fastify/rate-limit/store/LocalStore.js') as new (continueExceeding?: boolean, exponentialBackoff?: boolean, cache?: number) => RateStore;

export const THROTTLE_TABLE = 'cluster_throttle';
/** Serializes the CREATE TABLE IF NOT EXISTS of nodes starting together (any fixed bigint). */
const SETUP_LOCK = 0x6376637468;

/** Counts hits per bucket in fixed windows, in the shared database. */
export class SharedCounter {
  private lastPrune = 0;

  constructor(private readonly db: Queryable, private readonly now: () => number = Date.now) {}

  /** Creates the table (PostgreSQL only): the counters are the cluster's scratch, not the console's schema. */
  static async setup(db: Queryable & { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> }): Promise<void> {
    await db.transaction(async (tx) => {
      await tx.get('SELECT pg_advisory_xact_lock(?)', [SETUP_LOCK]);
      // UNLOGGED: counters of the last minutes need no crash safety, and skipping the WAL keeps each hit cheap.
      await tx.exec(`CREATE UNLOGGED TABLE IF NOT EXISTS ${THROTTLE_TABLE} (bucket TEXT PRIMARY KEY, window_start BIGINT NOT NULL, hits INTEGER NOT NULL)`);
    });
  }

  /** One hit: the count in the bucket's current window (this hit included) and ms until the window ends. */
  async hit(bucket: string, windowMs: number): Promise<{ current: number; ttl: number }> {
    const now = this.now();
    // One statement: two nodes hitting the same bucket at once both count (the row lock orders them).
    const row = await this.db.get<{ hits: number; windowStart: number }>(
      `INSERT INTO ${THROTTLE_TABLE} (bucket, window_start, hits) VALUES (?, ?, 1)
       ON CONFLICT (bucket) DO UPDATE SET
         hits = CASE WHEN ${THROTTLE_TABLE}.window_start + ? <= excluded.window_start THEN 1 ELSE ${THROTTLE_TABLE}.hits + 1 END,
         window_start = CASE WHEN ${THROTTLE_TABLE}.window_start + ? <= excluded.window_start THEN excluded.window_start ELSE ${THROTTLE_TABLE}.window_start END
       RETURNING hits, window_start AS windowStart`,
      [bucket, now, windowMs, windowMs],
    );
    if (now - this.lastPrune > 10 * 60_000) {
      this.lastPrune = now;
      // Windows here are minutes; an hour-old bucket is long over.
      this.db.run(`DELETE FROM ${THROTTLE_TABLE} WHERE window_start < ?`, [now - 3600_000]).catch(() => undefined);
    }
    return { current: row!.hits, ttl: Math.max(0, row!.windowStart + windowMs - now) };
  }
}

/**
 * The store class for `@fastify/rate-limit`'s `store` option. `counter.current` is filled in once the database is
 * open (the plugin is registered before it); a shared route hit before that, or on SQLite, counts in-process.
 */
export function throttleStore(counter: { current?: SharedCounter }): new (params: StoreParams) => RateStore {
  class ThrottleStore implements RateStore {
    private readonly local: RateStore;
    private readonly bucket: string;

    constructor(private readonly params: StoreParams) {
      this.local = new LocalStore(params.continueExceeding, params.exponentialBackoff, params.cache);
      this.bucket = `${[params.routeInfo?.method ?? ''].flat().join(',')} ${params.routeInfo?.url ?? ''}`;
    }

    incr(key: string, cb: Callback, timeWindow: number, max: number): void {
      const shared = this.params.shared ? counter.current : undefined;
      if (!shared) return this.local.incr(key, cb, timeWindow, max);
      shared.hit(`${this.bucket}|${key}`, timeWindow).then((res) => cb(null, res), (err: Error) => cb(err));
    }

    child(params: StoreParams): RateStore {
      return new ThrottleStore(params);
    }
  }
  return ThrottleStore;
}
