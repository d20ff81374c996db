import type { Queryable } from '../database';
import type { UserWithScope } from './users';

export interface SessionWithUser {
  tokenHash: string;
  csrfToken: string;
  expiresAt: string;
  user: UserWithScope;
}

export class SessionRepository {
  constructor(private readonly db: Queryable) {}

  async create(s: { tokenHash: string; userId: number; csrfToken: string; ttlMs: number; ip?: string; userAgent?: string }): Promise<void> {
    const now = Date.now();
    await this.db.run(
      'INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [s.tokenHash, s.userId, s.csrfToken, new Date(now).toISOString(), new Date(now + s.ttlMs).toISOString(), s.ip ?? null, s.userAgent ?? null],
    );
  }

  /** The live session for a token hash, with its user; expired sessions and disabled users yield nothing. */
  async find(tokenHash: string): Promise<SessionWithUser | undefined> {
    const row = await this.db.get<{
      tokenHash: string; csrfToken: string; expiresAt: string;
      id: number; username: string; displayName: string; role: UserWithScope['role']; orgUnitId: number; orgUnitName: string; scopePath: string;
    }>(
      `SELECT s.token_hash AS tokenHash, s.csrf_token AS csrfToken, s.expires_at AS expiresAt,
              u.id, u.username, u.display_name AS displayName, u.role, u.org_unit_id AS orgUnitId, o.name AS orgUnitName, o.path AS scopePath
       FROM sessions s JOIN users u ON u.id = s.user_id JOIN org_units o ON o.id = u.org_unit_id
       WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0`,
      [tokenHash, new Date().toISOString()],
    );
    if (!row) return undefined;
    const { tokenHash: hash, csrfToken, expiresAt, ...user } = row;
    return { tokenHash: hash, csrfToken, expiresAt, user };
  }

  async delete(tokenHash: string): Promise<void> {
    await this.db.run('DELETE FROM sessions WHERE token_hash = ?', [tokenHash]);
  }

  async purgeExpired(): Promise<number> {
    return (await this.db.run('DELETE FROM sessions WHERE expires_at <= ?', [new Date().toISOString()])).changes;
  }
}
