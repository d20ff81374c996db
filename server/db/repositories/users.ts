import type { Role, User } from '../../contracts/api';
import { hashPassword } from '../../security/passwords';
import type { Queryable } from '../database';

export interface UserWithScope extends User {
  scopePath: string;
}

export interface UserCredentialsRow {
  id: number;
  passwordHash: string;
  disabled: number;
}

const SELECT = `
  SELECT u.id, u.username, u.display_name AS displayName, u.role, u.org_unit_id AS orgUnitId, o.name AS orgUnitName, o.path AS scopePath
  FROM users u JOIN org_units o ON o.id = u.org_unit_id`;

export function publicUser({ scopePath: _scope, ...user }: UserWithScope): User {
  return user;
}

export class UserRepository {
  constructor(private readonly db: Queryable) {}

  async create(user: { username: string; displayName: string; role: Role; orgUnitId: number; password: string }): Promise<number> {
    const { lastID } = await this.db.run(
      'INSERT INTO users (username, display_name, role, org_unit_id, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [user.username, user.displayName, user.role, user.orgUnitId, await hashPassword(user.password), new Date().toISOString()],
    );
    return lastID;
  }

  byId(id: number): Promise<UserWithScope | undefined> {
    return this.db.get<UserWithScope>(`${SELECT} WHERE u.id = ?`, [id]);
  }

  credentials(username: string): Promise<UserCredentialsRow | undefined> {
    return this.db.get<UserCredentialsRow>('SELECT id, password_hash AS passwordHash, disabled FROM users WHERE username = ?', [username]);
  }
}
