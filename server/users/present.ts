// An account row as the API shows it to administrators: flags as booleans, one status word, the unit as a path of
// names (read for a whole page in two queries). Never the password hash.
import type { ManagedUser, UserStatus } from '../contracts/users';
import type { ManagedUserRow } from '../db/repositories/users';
import { lockRemainingSec } from './lockout';

export interface UnitNames {
  namePaths(ids: readonly number[]): Promise<Array<{ id: number; path: string }>>;
}

export function statusOf(row: Pick<ManagedUserRow, 'deletedAt' | 'disabled' | 'lockedUntil'>, now: Date): UserStatus {
  if (row.deletedAt) return 'deleted';
  if (row.disabled) return 'disabled';
  return lockRemainingSec(row.lockedUntil, now) > 0 ? 'locked' : 'active';
}

export async function presentUsers(rows: readonly ManagedUserRow[], units: UnitNames, now = new Date()): Promise<ManagedUser[]> {
  const paths = new Map((await units.namePaths([...new Set(rows.map((r) => r.orgUnitId))])).map((p) => [p.id, p.path]));
  return rows.map((r) => {
    const locked = lockRemainingSec(r.lockedUntil, now) > 0;
    return {
      id: r.id,
      username: r.username,
      displayName: r.displayName,
      role: r.role,
      orgUnitId: r.orgUnitId,
      orgUnitName: r.orgUnitName,
      orgUnitPath: paths.get(r.orgUnitId) ?? r.orgUnitName,
      phone: r.phone,
      status: statusOf(r, now),
      disabled: r.disabled === 1,
      mustChangePassword: r.mustChangePassword === 1,
      failedLogins: r.failedLogins,
      lockedUntil: locked ? r.lockedUntil : null,
      createdAt: r.createdAt,
      passwordChangedAt: r.passwordChangedAt,
      lastLoginAt: r.lastLoginAt,
      deletedAt: r.deletedAt,
    };
  });
}
