// The signed-in user's own account (我的账户): change the password (the one way out of a forced change), see the
// sessions open in their name, end any of them. Framework-free like the user service beside it.
import type { AccountSession, ChangePasswordBody } from '../contracts/users';
import type { Database } from '../db/database';
import type { Repositories } from '../db/repositories';
import type { SessionWithUser } from '../db/repositories/sessions';
import { PASSWORD_PROBLEM_TEXT, passwordProblem } from '../domain/password-policy';
import { BadRequestError, NotFoundError } from '../errors';
import { hashPassword, verifyPassword } from '../security/passwords';
import type { SocketEnder } from './service';

export class AccountService {
  constructor(private readonly deps: { db: Database; repos: Repositories; sockets?: SocketEnder }) {}

  private get repos() {
    return this.deps.repos;
  }

  /**
   * Checks the current password, applies the policy to the new one, stores it at the normal cost and ends the user's
   * other sessions (whoever knew the old password is signed out); this session stays. A wrong current password is
   * a 400 naming the field, not a 401, which would read as "signed out".
   */
  async changePassword(session: SessionWithUser, body: ChangePasswordBody, ip: string): Promise<void> {
    const { user } = session;
    const stored = await this.repos.users.passwordHash(user.id);
    if (!stored || !(await verifyPassword(body.currentPassword, stored))) {
      throw new BadRequestError('currentPassword is not your current password', 'currentPassword');
    }
    if (body.newPassword === body.currentPassword) throw new BadRequestError('newPassword must differ from the current password', 'newPassword');
    const problem = passwordProblem(body.newPassword, user.username);
    if (problem) throw new BadRequestError(`newPassword ${PASSWORD_PROBLEM_TEXT[problem]}`, 'newPassword');
    const hash = await hashPassword(body.newPassword);
    const ended = await this.deps.db.transaction(async (tx) => {
      await this.repos.users.setPassword(user.id, hash, false, tx);
      const others = await this.repos.sessions.deleteForUser(user.id, tx, session.publicId);
      await this.repos.audit.record({
        actorType: 'user', actorId: user.id, actorName: user.username, action: 'account.change-password', targetType: 'user', targetId: user.id,
        orgUnitId: user.orgUnitId, detail: { forced: session.mustChangePassword, otherSessionsEnded: others.length }, ip,
      }, tx);
      return others;
    });
    this.deps.sockets?.disconnectSessions(ended);
  }

  async sessions(session: SessionWithUser): Promise<AccountSession[]> {
    const rows = await this.repos.sessions.listForUser(session.user.id);
    return rows.map((r) => ({ ...r, current: r.id === session.publicId }));
  }

  /** Ends one of the user's own sessions (its sockets too); true when it was the one this request came with. */
  async endSession(session: SessionWithUser, id: string, ip: string): Promise<{ current: boolean }> {
    const { user } = session;
    await this.deps.db.transaction(async (tx) => {
      if (!(await this.repos.sessions.deleteOne(user.id, id, tx))) throw new NotFoundError(`Session ${id}`, 'id');
      await this.repos.audit.record({
        actorType: 'user', actorId: user.id, actorName: user.username, action: 'account.end-session', targetType: 'user', targetId: user.id,
        orgUnitId: user.orgUnitId, detail: { session: id, current: id === session.publicId }, ip,
      }, tx);
    });
    this.deps.sockets?.disconnectSessions([id]);
    return { current: id === session.publicId };
  }
}
