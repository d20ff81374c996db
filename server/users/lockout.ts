// Per-account lockout after wrong passwords (the per-address throttle on the login route stays as well).
//
// Rule: MAX_FAILURES wrong passwords in a row lock the username for LOCK_MINUTES; a sign-in, an administrator's unlock
// or a password reset clears the count. While locked, sign-in is refused without checking the password, so guessing
// cannot go on behind the lock.
//
// Lockout must not become a way to learn which usernames exist: a name with no account locks exactly as an account
// does, after the same number of failures and for the same time, with the same answer. Accounts keep their count in
// the database (it survives a restart, and administrators see and clear it); names without an account keep theirs
// here, in a bounded map. A flood of other names can push one out of the map early; the per-address throttle (10 a
// minute by default) makes that flood take days.
export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;
const MAX_PHANTOMS = 10_000;

export function lockEnd(now: Date): Date {
  return new Date(now.getTime() + LOCK_MINUTES * 60_000);
}

/** Whole seconds until `lockedUntil`, or 0 when it has passed (or there is none). */
export function lockRemainingSec(lockedUntil: string | null, now: Date): number {
  if (!lockedUntil) return 0;
  return Math.max(0, Math.ceil((Date.parse(lockedUntil) - now.getTime()) / 1000));
}

/** Where failure counts of names without an account live: this process (below), or the cluster's database
 * (lockout-shared.ts) when several nodes share one PostgreSQL. */
export interface PhantomLocks {
  remainingSec(username: string, now: Date): number | Promise<number>;
  fail(username: string, now: Date): string | null | Promise<string | null>;
}

/** Failure counts of usernames that have no account, so that they lock like real ones. */
export class PhantomLockout implements PhantomLocks {
  private readonly entries = new Map<string, { failures: number; lockedUntil: string | null }>();

  constructor(private readonly limit = MAX_PHANTOMS) {}

  /** Seconds the name stays locked, 0 when it is not. */
  remainingSec(username: string, now: Date): number {
    return lockRemainingSec(this.entries.get(username.toLowerCase())?.lockedUntil ?? null, now);
  }

  /** Counts a failure; returns the lock end when this failure locked the name. */
  fail(username: string, now: Date): string | null {
    const key = username.toLowerCase();
    const entry = this.entries.get(key) ?? { failures: 0, lockedUntil: null };
    this.entries.delete(key); // re-inserted below: the map's order is oldest-touched first
    entry.failures += 1;
    if (entry.failures >= MAX_FAILURES) {
      entry.failures = 0;
      entry.lockedUntil = lockEnd(now).toISOString();
    }
    this.entries.set(key, entry);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
    return entry.failures === 0 ? entry.lockedUntil : null;
  }
}
