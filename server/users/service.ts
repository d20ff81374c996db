// User management's use cases for administrators: list, see, create, edit, disable/enable, delete (soft), reset a
// password, unlock, export. Framework-free: the users plugin hands in the database, the repositories and the
// socket ender. Each write and its audit row share one transaction; a change that must end the user's sessions
// (disable, delete, reset, a new role or unit) deletes the session rows in that transaction and disconnects the
// user's sockets right after the commit.
//
// Scope: an administrator manages the accounts whose unit lies in their own area (others answer 404, as if absent),
// hands out only roles that fit the unit (server/domain/user-roles.ts) and never changes their own role or unit, nor
// disables, deletes or resets themselves (403): nobody can raise their own rights or lock the last door behind them.
import type { OrgLevel, Role } from '../contracts/api';
import type { CreateUserBody, ManagedUser, UpdateUserBody, UserPage, UserQuery, UserWithPassword } from '../contracts/users';
import type { Database, Queryable } from '../db/database';
import type { Repositories } from '../db/repositories';
import type { OrgUnitRow } from '../db/repositories/org-units';
import type { ManagedUserRow, UserWithScope } from '../db/repositories/users';
import { inScope } from '../domain/scope';
import { grantableRoles, roleFitsLevel } from '../domain/user-roles';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { visibleUnit } from '../org/visible-unit';
import { hashPassword } from '../security/passwords';
import { generateInitialPassword } from './initial-password';
import { presentUsers } from './present';

/** Ends live connections: the realtime plugin implements it (sockets join `user:<id>` and `session:<id>` rooms). */
export interface SocketEnder {
  disconnectUser(userId: number): void;
  disconnectSessions(sessionIds: readonly string[]): void;
}

export interface UserDeps {
  db: Database;
  repos: Repositories;
  sockets?: SocketEnder;
}

/** Who acts: a signed-in administrator. */
export type Caller = Pick<UserWithScope, 'id' | 'username' | 'orgUnitId' | 'scopePath'>;

const LEVEL_WORDS: Record<OrgLevel, string> = { county: 'county', township: 'township', village: 'village/community', compound: 'compound' };
const ROLE_WORDS: Record<Role, string> = {
  admin: 'an administrator', county_operator: 'a county operator', township_officer: 'a township officer', village_officer: 'a village officer',
};

export class UserService {
  constructor(private readonly deps: UserDeps) {}

  private get repos() {
    return this.deps.repos;
  }

  /** The roles the caller may hand out, from the level of the caller's own unit. */
  async grantable(caller: Caller, db?: Queryable): Promise<Role[]> {
    const own = await this.repos.orgUnits.byId(caller.orgUnitId, db);
    return own ? grantableRoles(own.level) : [];
  }

  /** 403 naming `role` when the caller's area holds no unit where that role could be. */
  async checkGrantable(caller: Caller, role: Role, db?: Queryable): Promise<void> {
    const field = 'role';
    if (!(await this.grantable(caller, db)).includes(role)) {
      throw new ForbiddenError(`${field} ${role}: you may not create ${ROLE_WORDS[role]}; no unit in your area takes that role`, field);
    }
  }

  /** 400 naming `field` when the role does not belong at the unit's level. */
  static checkFits(role: Role, unit: Pick<OrgUnitRow, 'level' | 'name'>, field: string): void {
    if (!roleFitsLevel(role, unit.level)) {
      throw new BadRequestError(`${field}: ${ROLE_WORDS[role]} cannot belong to ${unit.name}, a ${LEVEL_WORDS[unit.level]} unit`, field);
    }
  }

  /** An account in the caller's area (deleted ones too), or 404. */
  async visible(caller: Caller, id: number, db?: Queryable): Promise<ManagedUserRow> {
    const row = await this.repos.users.managed(id, db);
    if (!row || !inScope(caller.scopePath, row.unitPath)) throw new NotFoundError(`User ${id}`);
    return row;
  }

  /** Like visible(), for a change: a deleted account is history and takes none (409). */
  private async changeable(caller: Caller, id: number, db: Queryable): Promise<ManagedUserRow> {
    const row = await this.visible(caller, id, db);
    if (row.deletedAt) throw new ConflictError(`User ${id} (${row.username}) was deleted; it cannot be changed`);
    return row;
  }

  private async present(row: ManagedUserRow): Promise<ManagedUser> {
    return (await presentUsers([row], this.repos.orgUnits))[0];
  }

  private async reread(id: number): Promise<ManagedUser> {
    return this.present((await this.repos.users.managed(id))!);
  }

  private notSelf(caller: Caller, id: number, what: string): void {
    if (caller.id === id) throw new ForbiddenError(`You cannot ${what} your own account`);
  }

  private audit(caller: Caller, ip: string, action: string, target: Pick<ManagedUserRow, 'id' | 'orgUnitId'>, detail: Record<string, unknown>, tx: Queryable) {
    return this.repos.audit.record({
      actorType: 'user', actorId: caller.id, actorName: caller.username, action, targetType: 'user', targetId: target.id,
      orgUnitId: target.orgUnitId, detail, ip,
    }, tx);
  }

  async list(caller: Caller, query: UserQuery): Promise<UserPage> {
    const path = query.orgUnitId === undefined ? caller.scopePath : (await visibleUnit(this.repos.orgUnits, caller.scopePath, query.orgUnitId)).path;
    const q = query.q?.trim();
    const now = new Date();
    const page = await this.repos.users.list({
      path, role: query.role, status: query.status, q: q || undefined, limit: query.limit ?? 50, offset: query.offset ?? 0,
    }, now);
    return { items: await presentUsers(page.items, this.repos.orgUnits, now), total: page.total };
  }

  async get(caller: Caller, id: number): Promise<ManagedUser> {
    return this.present(await this.visible(caller, id));
  }

  /** A new account with a generated initial password (returned once) that the user must replace at first sign-in. */
  async create(caller: Caller, body: CreateUserBody, ip: string): Promise<UserWithPassword> {
    await this.checkGrantable(caller, body.role);
    const unit = await visibleUnit(this.repos.orgUnits, caller.scopePath, body.orgUnitId);
    UserService.checkFits(body.role, unit, 'role');
    const initialPassword = generateInitialPassword(body.username);
    const passwordHash = await hashPassword(initialPassword, 'generated');
    const id = await this.deps.db.transaction(async (tx) => {
      const [taken] = await this.repos.users.taken([body.username], tx);
      if (taken) throw new ConflictError(`username ${body.username} is taken (by ${taken}, possibly a deleted account: usernames are never reused)`, 'username');
      const created = await this.repos.users.create({
        username: body.username, displayName: body.displayName.trim(), role: body.role, orgUnitId: unit.id, phone: body.phone ?? null,
        passwordHash, mustChangePassword: true,
      }, tx);
      await this.audit(caller, ip, 'user.create', { id: created, orgUnitId: unit.id }, { username: body.username, role: body.role, orgUnit: unit.name }, tx);
      return created;
    });
    return { user: await this.reread(id), initialPassword };
  }

  /** Edits name, phone, role and unit; a new role or unit ends the user's sessions (their rights changed under them). */
  async update(caller: Caller, id: number, change: UpdateUserBody, ip: string): Promise<ManagedUser> {
    const ended = await this.deps.db.transaction(async (tx) => {
      const user = await this.changeable(caller, id, tx);
      const newRole = change.role !== undefined && change.role !== user.role ? change.role : undefined;
      const newUnitId = change.orgUnitId !== undefined && change.orgUnitId !== user.orgUnitId ? change.orgUnitId : undefined;
      if (caller.id === id && newRole) throw new ForbiddenError('role: you cannot change your own role', 'role');
      if (caller.id === id && newUnitId) throw new ForbiddenError('orgUnitId: you cannot move your own account', 'orgUnitId');
      if (newRole) await this.checkGrantable(caller, newRole, tx);
      const unit = newUnitId ? await visibleUnit(this.repos.orgUnits, caller.scopePath, newUnitId, 'orgUnitId', tx) : { level: user.orgLevel, name: user.orgUnitName };
      UserService.checkFits(newRole ?? user.role, unit, newRole ? 'role' : 'orgUnitId');
      await this.repos.users.update(id, {
        displayName: change.displayName?.trim(), phone: change.phone, role: newRole, orgUnitId: newUnitId,
      }, tx);
      const rightsChanged = !!(newRole || newUnitId);
      const sessions = rightsChanged ? await this.repos.sessions.deleteForUser(id, tx) : [];
      await this.audit(caller, ip, 'user.update', user, {
        fields: Object.keys(change),
        ...(newRole ? { role: { from: user.role, to: newRole } } : {}),
        ...(newUnitId ? { movedTo: newUnitId } : {}),
        ...(rightsChanged ? { sessionsEnded: sessions.length } : {}),
      }, tx);
      return rightsChanged;
    });
    if (ended) this.deps.sockets?.disconnectUser(id);
    return this.reread(id);
  }

  /** Disabling ends the user's sessions and sockets at once; enabling lets them sign in again. */
  async setDisabled(caller: Caller, id: number, disabled: boolean, ip: string): Promise<ManagedUser> {
    if (disabled) this.notSelf(caller, id, 'disable');
    const changed = await this.deps.db.transaction(async (tx) => {
      const user = await this.changeable(caller, id, tx);
      if ((user.disabled === 1) === disabled) return false; // already so: nothing to write or audit
      await this.repos.users.setDisabled(id, disabled, tx);
      const sessions = disabled ? await this.repos.sessions.deleteForUser(id, tx) : [];
      await this.audit(caller, ip, disabled ? 'user.disable' : 'user.enable', user, {
        username: user.username, ...(disabled ? { sessionsEnded: sessions.length } : {}),
      }, tx);
      return true;
    });
    if (changed && disabled) this.deps.sockets?.disconnectUser(id);
    return this.reread(id);
  }

  /** Soft delete: the row stays for history (and keeps its username), but can never sign in again. */
  async delete(caller: Caller, id: number, ip: string): Promise<void> {
    this.notSelf(caller, id, 'delete');
    await this.deps.db.transaction(async (tx) => {
      const user = await this.changeable(caller, id, tx);
      await this.repos.users.softDelete(id, tx);
      const sessions = await this.repos.sessions.deleteForUser(id, tx);
      await this.audit(caller, ip, 'user.delete', user, {
        username: user.username, displayName: user.displayName, role: user.role, sessionsEnded: sessions.length,
      }, tx);
    });
    this.deps.sockets?.disconnectUser(id);
  }

  /**
   * A new generated password (returned once), to be replaced at next sign-in; ends the user's sessions (a reset
   * usually means the old password is lost or known to someone else) and clears any lock.
   */
  async resetPassword(caller: Caller, id: number, ip: string): Promise<UserWithPassword> {
    this.notSelf(caller, id, 'reset the password of (use 我的账户 to change it)');
    const user = await this.changeable(caller, id, this.deps.db);
    const initialPassword = generateInitialPassword(user.username);
    const passwordHash = await hashPassword(initialPassword, 'generated');
    await this.deps.db.transaction(async (tx) => {
      await this.changeable(caller, id, tx); // still there and still ours after hashing
      await this.repos.users.setPassword(id, passwordHash, true, tx);
      const sessions = await this.repos.sessions.deleteForUser(id, tx);
      await this.audit(caller, ip, 'user.reset-password', user, { username: user.username, sessionsEnded: sessions.length }, tx);
    });
    this.deps.sockets?.disconnectUser(id);
    return { user: await this.reread(id), initialPassword };
  }

  /** Clears the wrong-password count and any lock. */
  async unlock(caller: Caller, id: number, ip: string): Promise<ManagedUser> {
    await this.deps.db.transaction(async (tx) => {
      const user = await this.changeable(caller, id, tx);
      await this.repos.users.unlock(id, tx);
      await this.audit(caller, ip, 'user.unlock', user, {
        username: user.username, failedLogins: user.failedLogins, wasLocked: !!user.lockedUntil && Date.parse(user.lockedUntil) > Date.now(),
      }, tx);
    });
    return this.reread(id);
  }

  /** Every account in the area (or one unit of it) that is not deleted, for the CSV export; audited. */
  async exportRows(caller: Caller, orgUnitId: number | undefined, ip: string): Promise<ManagedUser[]> {
    const unit = orgUnitId === undefined ? undefined : await visibleUnit(this.repos.orgUnits, caller.scopePath, orgUnitId);
    const rows = await this.repos.users.all(unit?.path ?? caller.scopePath);
    const unitId = unit?.id ?? caller.orgUnitId;
    await this.repos.audit.record({
      actorType: 'user', actorId: caller.id, actorName: caller.username, action: 'user.export', targetType: 'org_unit', targetId: unitId,
      orgUnitId: unitId, detail: { rows: rows.length }, ip,
    });
    return presentUsers(rows, this.repos.orgUnits);
  }
}
