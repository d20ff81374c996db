import { randomBytes } from 'node:crypto';
import type { Queryable } from '../database';
import type { UserWithScope } from './users';

export interface SessionWithUser {
  tokenHash: string;
  /** The id the user's own page lists the session by (the token hash never leaves the server). */
  publicId: string;
  csrfToken: string;
  expiresAt: string;
  /** The account must choose a new password before anything else (created or reset by an administrator). */
  mustChangePassword: boolean;
  user: UserWithScope;
}

/** A session as its owner sees it on 我的账户. */
export interface SessionRow {
  id: string;
  createdAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
}

export class SessionRepository {
  constructor(private readonly db: Queryable) {}

  async create(s: { tokenHash: string; userId: number; csrfToken: string; ttlMs: number; ip?: string; userAgent?: string }): Promise<void> {
    const now = Date.now();
    await this.db.run(
      'INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, ip, user_agent, public_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [
        s.tokenHash, s.userId, s.csrfToken, new Date(now).toISOString(), new Date(now + s.ttlMs).toISOString(), s.ip ?? null, s.userAgent ?? null,
        randomBytes(8).toString('hex'),
      ],
    );
  }

  /** The live session for a token hash, with its user; expired sessions and disabled or deleted users yield nothing. */
  async find(tokenHash: string): Promise<SessionWithUser | undefined> {
    const row = await this.db.get<{
      tokenHash: string; publicId: string; csrfToken: string; expiresAt: string; mustChangePassword: number;
      id: number; username: string; displayName: string; role: UserWithScope['role']; orgUnitId: number; orgUnitName: string; scopePath: string;
    }>(
      `SELECT s.token_hash AS tokenHash, s.public_id AS publicId, s.csrf_token AS csrfToken, s.expires_at AS expiresAt,
              u.must_change_password AS mustChangePassword,
              u.id, u.username, u.display_name AS displayName, u.role, u.org_unit_id AS orgUnitId, o.name AS orgUnitName, o.path AS scopePath
       FROM sessions s JOIN users u ON u.id = s.user_id JOIN org_units o ON o.id = u.org_unit_id
       WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0 AND u.deleted_at IS NULL`,
      [tokenHash, new Date().toISOString()],
    );
    if (!row) return undefined;
    const { tokenHash: hash, publicId, csrfToken, expiresAt, mustChangePassword, ...user } = row;
    return { tokenHash: hash, publicId, csrfToken, expiresAt, mustChangePassword: mustChangePassword === 1, user };
  }

  /** A user's unexpired sessions, newest first. */
  listForUser(userId: number): Promise<SessionRow[]> {
    return this.db.all<SessionRow>(
      `SELECT public_id AS id, created_at AS createdAt, expires_at AS expiresAt, ip, user_agent AS userAgent
       FROM sessions WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC`,
      [userId, new Date().toISOString()],
    );
  }

  async delete(tokenHash: string): Promise<void> {
    await this.db.run('DELETE FROM sessions WHERE token_hash = ?', [tokenHash]);
  }

  /** Ends every session of a user (or all but `keep`, a public id); returns the public ids ended. */
  async deleteForUser(userId: number, db: Queryable = this.db, keep?: string): Promise<string[]> {
    const rows = await db.all<{ id: string }>(
      `DELETE FROM sessions WHERE user_id = ? ${keep ? 'AND public_id <> ?' : ''} RETURNING public_id AS id`,
      keep ? [userId, keep] : [userId],
    );
    return rows.map((r) => r.id);
  }

  /** Ends one session of a user by its public id; false when the user has no such session. */
  async deleteOne(userId: number, publicId: string, db: Queryable = this.db): Promise<boolean> {
    return (await db.run('DELETE FROM sessions WHERE user_id = ? AND public_id = ?', [userId, publicId])).changes > 0;
  }

  async purgeExpired(): Promise<number> {
    return (await this.db.run('DELETE FROM sessions WHERE expires_at <= ?', [new Date().toISOString()])).changes;
  }
}
