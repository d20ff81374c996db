import type { OrgLevel, Role, User } from '../../contracts/api';
import { prefixUpperBound } from '../../domain/scope';
import { hashPassword } from '../../security/passwords';
import type { Queryable, SqlValue } from '../database';

export interface UserWithScope extends User {
  scopePath: string;
}

/** What sign-in needs of an account (any state: the caller decides what disabled, deleted and locked mean). */
export interface UserCredentialsRow {
  id: number;
  passwordHash: string;
  disabled: number;
  deletedAt: string | null;
  failedLogins: number;
  lockedUntil: string | null;
}

/** An account as its administrators see it: every state column, the unit's level and path. */
export interface ManagedUserRow {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  orgUnitId: number;
  orgUnitName: string;
  orgLevel: OrgLevel;
  /** The unit's id path ('/1/5/'): where the account sits in the tree. */
  unitPath: string;
  phone: string | null;
  disabled: number;
  mustChangePassword: number;
  failedLogins: number;
  lockedUntil: string | null;
  createdAt: string;
  passwordChangedAt: string | null;
  lastLoginAt: string | null;
  deletedAt: string | null;
}

export type UserStatus = 'active' | 'disabled' | 'locked' | 'deleted';

export interface UserSearch {
  /** Only accounts in this subtree (the caller's area, or one unit of it). */
  path: string;
  role?: Role;
  /** Without a status, every account but the deleted ones. */
  status?: UserStatus;
  q?: string;
  limit: number;
  offset: number;
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  orgUnitId: number;
  /** Hashed here at the normal cost; or pass `passwordHash` made elsewhere (generated passwords, bulk imports). */
  password?: string;
  passwordHash?: string;
  phone?: string | null;
  mustChangePassword?: boolean;
}

export interface UserChange {
  displayName?: string;
  role?: Role;
  orgUnitId?: number;
  phone?: string | null;
}

/** A deleted account's hash: never the output of scrypt, so no password verifies against it. */
const UNUSABLE_HASH = '!deleted';

const SELECT = `
  SELECT u.id, u.username, u.display_name AS displayName, u.role, u.org_unit_id AS orgUnitId, o.name AS orgUnitName, o.path AS scopePath
  FROM users u JOIN org_units o ON o.id = u.org_unit_id`;

const MANAGED = `
  SELECT u.id, u.username, u.display_name AS displayName, u.role, u.org_unit_id AS orgUnitId, o.name AS orgUnitName, o.level AS orgLevel,
         o.path AS unitPath, u.phone, u.disabled, u.must_change_password AS mustChangePassword, u.failed_logins AS failedLogins,
         u.locked_until AS lockedUntil, u.created_at AS createdAt, u.password_changed_at AS passwordChangedAt,
         u.last_login_at AS lastLoginAt, u.deleted_at AS deletedAt
  FROM users u JOIN org_units o ON o.id = u.org_unit_id`;

const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export function publicUser({ scopePath: _scope, ...user }: UserWithScope): User {
  return user;
}

export class UserRepository {
  constructor(private readonly db: Queryable) {}

  async create(user: NewUser, db: Queryable = this.db): Promise<number> {
    const hash = user.passwordHash ?? (await hashPassword(user.password ?? ''));
    const { lastID } = await db.run(
      `INSERT INTO users (username, display_name, role, org_unit_id, password_hash, created_at, phone, must_change_password)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [user.username, user.displayName, user.role, user.orgUnitId, hash, new Date().toISOString(), user.phone ?? null, user.mustChangePassword ? 1 : 0],
    );
    return lastID;
  }

  /** Many accounts in one prepared statement (inside the caller's transaction); returns their ids in order. */
  async createMany(users: readonly NewUser[], db: Queryable): Promise<number[]> {
    const stmt = await db.prepare(
      `INSERT INTO users (username, display_name, role, org_unit_id, password_hash, created_at, phone, must_change_password)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const ids: number[] = [];
    const now = new Date().toISOString();
    try {
      for (const u of users) {
        if (!u.passwordHash) throw new Error('createMany takes hashed passwords');
        const { lastID } = await stmt.run([u.username, u.displayName, u.role, u.orgUnitId, u.passwordHash, now, u.phone ?? null, u.mustChangePassword ? 1 : 0]);
        ids.push(lastID);
      }
    } finally {
      await stmt.finalize();
    }
    return ids;
  }

  byId(id: number, db: Queryable = this.db): Promise<UserWithScope | undefined> {
    return db.get<UserWithScope>(`${SELECT} WHERE u.id = ?`, [id]);
  }

  /** Any account by name, deleted ones included (a username is never given twice). */
  credentials(username: string, db: Queryable = this.db): Promise<(UserCredentialsRow & { username: string }) | undefined> {
    return db.get(
      `SELECT id, username, password_hash AS passwordHash, disabled, deleted_at AS deletedAt, failed_logins AS failedLogins, locked_until AS lockedUntil
       FROM users WHERE username = ?`,
      [username],
    );
  }

  passwordHash(id: number, db: Queryable = this.db): Promise<string | undefined> {
    return db.get<{ hash: string }>('SELECT password_hash AS hash FROM users WHERE id = ?', [id]).then((r) => r?.hash);
  }

  managed(id: number, db: Queryable = this.db): Promise<ManagedUserRow | undefined> {
    return db.get<ManagedUserRow>(`${MANAGED} WHERE u.id = ?`, [id]);
  }

  /** One page of the accounts in a subtree, by username, and how many match in all. */
  async list(s: UserSearch, now = new Date()): Promise<{ items: ManagedUserRow[]; total: number }> {
    const where = ['o.path >= ?', 'o.path < ?'];
    const params: SqlValue[] = [s.path, prefixUpperBound(s.path)];
    const at = now.toISOString();
    if (s.status === 'deleted') where.push('u.deleted_at IS NOT NULL');
    else where.push('u.deleted_at IS NULL');
    if (s.status === 'disabled') where.push('u.disabled = 1');
    if (s.status === 'active') where.push('u.disabled = 0', '(u.locked_until IS NULL OR u.locked_until <= ?)'), params.push(at);
    if (s.status === 'locked') where.push('u.locked_until > ?'), params.push(at);
    if (s.role) where.push('u.role = ?'), params.push(s.role);
    if (s.q) {
      const like = `%${likeLiteral(s.q)}%`;
      // PostgreSQL cannot LIKE through the nondeterministic `nocase` collation of username (pg/001): compare bytes.
      const username = this.db.dialect === 'postgres' ? 'u.username COLLATE "C"' : 'u.username';
      where.push(`(${username} LIKE ? ESCAPE '\\' OR u.display_name LIKE ? ESCAPE '\\' OR u.phone LIKE ? ESCAPE '\\')`);
      params.push(like, like, like);
    }
    const clause = `WHERE ${where.join(' AND ')}`;
    const total = (await this.db.get<{ n: number }>(`SELECT count(*) AS n FROM users u JOIN org_units o ON o.id = u.org_unit_id ${clause}`, params))?.n ?? 0;
    const items = await this.db.all<ManagedUserRow>(`${MANAGED} ${clause} ORDER BY u.username COLLATE NOCASE LIMIT ? OFFSET ?`, [...params, s.limit, s.offset]);
    return { items, total };
  }

  /** Every account in a subtree that is not deleted, for the export. */
  all(path: string): Promise<ManagedUserRow[]> {
    return this.db.all<ManagedUserRow>(
      `${MANAGED} WHERE o.path >= ? AND o.path < ? AND u.deleted_at IS NULL ORDER BY o.path, u.username COLLATE NOCASE`,
      [path, prefixUpperBound(path)],
    );
  }

  /** Whether any account exists (deleted ones too): a console without one still needs its first administrator. */
  async any(db: Queryable = this.db): Promise<boolean> {
    return (await db.get('SELECT 1 FROM users LIMIT 1')) !== undefined;
  }

  /** Which of these names belong to an account already (any case, deleted accounts included), as stored. */
  async taken(usernames: readonly string[], db: Queryable = this.db): Promise<string[]> {
    if (usernames.length === 0) return [];
    const rows = await db.all<{ username: string }>(
      'SELECT username FROM users WHERE lower(username) IN (SELECT lower(value) FROM json_each(?))',
      [JSON.stringify(usernames)],
    );
    return rows.map((r) => r.username);
  }

  async update(id: number, change: UserChange, db: Queryable = this.db): Promise<void> {
    const sets: string[] = [];
    const params: SqlValue[] = [];
    if (change.displayName !== undefined) sets.push('display_name = ?'), params.push(change.displayName);
    if (change.role !== undefined) sets.push('role = ?'), params.push(change.role);
    if (change.orgUnitId !== undefined) sets.push('org_unit_id = ?'), params.push(change.orgUnitId);
    if (change.phone !== undefined) sets.push('phone = ?'), params.push(change.phone);
    if (sets.length === 0) return;
    await db.run(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`, [...params, id]);
  }

  async setDisabled(id: number, disabled: boolean, db: Queryable = this.db): Promise<void> {
    await db.run('UPDATE users SET disabled = ? WHERE id = ?', [disabled ? 1 : 0, id]);
  }

  /** Keeps the row (history names it) but makes it unusable: disabled, no password, no lock state. */
  async softDelete(id: number, db: Queryable = this.db): Promise<void> {
    await db.run(
      'UPDATE users SET deleted_at = ?, disabled = 1, password_hash = ?, must_change_password = 0, failed_logins = 0, locked_until = NULL WHERE id = ?',
      [new Date().toISOString(), UNUSABLE_HASH, id],
    );
  }

  /** A new password hash; clears any lock. `mustChange`: the user has to choose their own at next sign-in. */
  async setPassword(id: number, passwordHash: string, mustChange: boolean, db: Queryable = this.db): Promise<void> {
    await db.run(
      'UPDATE users SET password_hash = ?, must_change_password = ?, password_changed_at = ?, failed_logins = 0, locked_until = NULL WHERE id = ?',
      [passwordHash, mustChange ? 1 : 0, new Date().toISOString(), id],
    );
  }

  /**
   * Counts one wrong password; at `maxFailures` in a row the account locks until `lockUntil` and the count starts
   * again. One statement, so two attempts at once cannot both read the old count.
   */
  recordFailure(id: number, maxFailures: number, lockUntil: Date): Promise<{ failedLogins: number; lockedUntil: string | null } | undefined> {
    return this.db.get(
      `UPDATE users SET
         failed_logins = CASE WHEN failed_logins + 1 >= ? THEN 0 ELSE failed_logins + 1 END,
         locked_until = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until END
       WHERE id = ? RETURNING failed_logins AS failedLogins, locked_until AS lockedUntil`,
      [maxFailures, maxFailures, lockUntil.toISOString(), id],
    );
  }

  async recordLogin(id: number): Promise<void> {
    await this.db.run('UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE id = ?', [new Date().toISOString(), id]);
  }

  async unlock(id: number, db: Queryable = this.db): Promise<void> {
    await db.run('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?', [id]);
  }
}
