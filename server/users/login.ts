// Checking a sign-in: the password (timing alike for every name), the per-account lockout (lockout.ts), and the
// audit rows of failures. The route opens the session once this says yes.
//
// What a caller learns: 401 "Wrong username or password" for an unknown name, a wrong password, a disabled or a
// deleted account alike; 429 "locked" with Retry-After after MAX_FAILURES failures in a row, for any name, existing
// or not. The audit row says which it was, for administrators.
import type { Repositories } from '../db/repositories';
import { HttpError, UnauthorizedError } from '../errors';
import { verifyPasswordEvenly } from '../security/passwords';
import { LOCK_MINUTES, lockEnd, lockRemainingSec, MAX_FAILURES, PhantomLockout, type PhantomLocks } from './lockout';

export class AccountLockedError extends HttpError {
  constructor(readonly retryAfterSec: number) {
    super(
      429,
      `Too many wrong passwords for this username: sign-in is locked for ${Math.ceil(retryAfterSec / 60)} more minute(s); ` +
        'try again later or ask an administrator to unlock the account',
      'username',
    );
  }
}

export class LoginService {
  private readonly phantoms: PhantomLocks;

  /** `phantoms`: shared by the cluster's nodes on PostgreSQL (lockout-shared.ts); in this process by default. */
  constructor(private readonly deps: { repos: Repositories; now?: () => Date; phantoms?: PhantomLocks }) {
    this.phantoms = deps.phantoms ?? new PhantomLockout();
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  private async failed(username: string, ip: string, detail: Record<string, unknown>): Promise<void> {
    // No user id on a failure, only the name that was tried; the reason is for admins reading the log.
    await this.deps.repos.audit.record({
      actorType: 'anonymous', actorName: username.slice(0, 64), action: 'auth.login-failed', targetType: 'user', detail, ip,
    });
  }

  /** The account's id when the password is right and the account may sign in; throws 401 or 429 otherwise. */
  async check(username: string, password: string, ip: string): Promise<number> {
    const now = this.now();
    const row = await this.deps.repos.users.credentials(username);
    // Locked: refused before the password is looked at, so guessing does not go on behind the lock.
    const lockedFor = row ? lockRemainingSec(row.lockedUntil, now) : await this.phantoms.remainingSec(username, now);
    if (lockedFor > 0) {
      await this.failed(username, ip, { reason: row ? 'locked' : 'unknown-user', locked: true });
      throw new AccountLockedError(lockedFor);
    }
    const ok = await verifyPasswordEvenly(password, row && !row.deletedAt ? row.passwordHash : undefined);
    if (row && ok && !row.disabled && !row.deletedAt) return row.id;

    const reason = !row ? 'unknown-user' : row.deletedAt ? 'deleted' : row.disabled ? 'disabled' : 'wrong-password';
    // The right password of a disabled account is not a guess: it does not count towards the lock.
    let lockedUntil: string | null = null;
    if (!row) lockedUntil = await this.phantoms.fail(username, now);
    else if (!ok) lockedUntil = (await this.deps.repos.users.recordFailure(row.id, MAX_FAILURES, lockEnd(now)))?.lockedUntil ?? null;
    const justLocked = lockedUntil !== null && lockRemainingSec(lockedUntil, now) > 0;
    await this.failed(username, ip, justLocked ? { reason, locked: true } : { reason });
    if (justLocked) throw new AccountLockedError(LOCK_MINUTES * 60);
    throw new UnauthorizedError('Wrong username or password');
  }

  /** A successful sign-in clears the failure count and notes the time. */
  succeeded(userId: number): Promise<void> {
    return this.deps.repos.users.recordLogin(userId);
  }
}
