// Phantom lockout shared by every node of a cluster (issue #22): with per-node counts, a name without an account
// spread over N nodes would lock only after 5 × N failures while a real account (whose count is in `users`) locks
// after 5, and that difference would tell which names exist. On PostgreSQL the counts of names without an account
// live in one UNLOGGED table; the rule is PhantomLockout's (lockout.ts). SQLite (one node) keeps the in-memory map.
import type { Queryable } from '../db/database';
import { lockEnd, lockRemainingSec, MAX_FAILURES, type PhantomLocks } from './lockout';

export const PHANTOM_TABLE = 'cluster_phantom_lockout';
/** Serializes the CREATE TABLE IF NOT EXISTS of nodes starting together (any fixed bigint). */
const SETUP_LOCK = 0x637663706c;

export class SharedPhantomLockout implements PhantomLocks {
  private lastPrune = 0;

  constructor(private readonly db: Queryable) {}

  /** Creates the table (PostgreSQL only): scratch for the last minutes, not the console's schema. */
  static async setup(db: Queryable & { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> }): Promise<void> {
    await db.transaction(async (tx) => {
      await tx.get('SELECT pg_advisory_xact_lock(?)', [SETUP_LOCK]);
      await tx.exec(`CREATE UNLOGGED TABLE IF NOT EXISTS ${PHANTOM_TABLE} (username TEXT PRIMARY KEY, failures INTEGER NOT NULL, locked_until TEXT, touched BIGINT NOT NULL)`);
    });
  }

  async remainingSec(username: string, now: Date): Promise<number> {
    const row = await this.db.get<{ lockedUntil: string | null }>(`SELECT locked_until AS lockedUntil FROM ${PHANTOM_TABLE} WHERE username = ?`, [username.toLowerCase()]);
    return lockRemainingSec(row?.lockedUntil ?? null, now);
  }

  async fail(username: string, now: Date): Promise<string | null> {
    const key = username.toLowerCase();
    const lockedUntil = lockEnd(now).toISOString();
    // One statement, so two nodes counting the same name at once both count: the MAX_FAILURES-th failure resets the
    // count and sets the lock, as the in-memory rule does.
    const row = await this.db.get<{ failures: number; lockedUntil: string | null }>(
      `INSERT INTO ${PHANTOM_TABLE} (username, failures, locked_until, touched) VALUES (?, 1, NULL, ?)
       ON CONFLICT (username) DO UPDATE SET
         failures = CASE WHEN ${PHANTOM_TABLE}.failures + 1 >= ? THEN 0 ELSE ${PHANTOM_TABLE}.failures + 1 END,
         locked_until = CASE WHEN ${PHANTOM_TABLE}.failures + 1 >= ? THEN ? ELSE ${PHANTOM_TABLE}.locked_until END,
         touched = excluded.touched
       RETURNING failures, locked_until AS lockedUntil`,
      [key, now.getTime(), MAX_FAILURES, MAX_FAILURES, lockedUntil],
    );
    if (now.getTime() - this.lastPrune > 10 * 60_000) {
      this.lastPrune = now.getTime();
      // A name untouched for a day is neither counting nor locked (locks last minutes).
      this.db.run(`DELETE FROM ${PHANTOM_TABLE} WHERE touched < ?`, [now.getTime() - 24 * 3600_000]).catch(() => undefined);
    }
    return row && row.failures === 0 ? row.lockedUntil : null;
  }
}
