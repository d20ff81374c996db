// Pure logic of 用户管理 and 我的账户: list filters → API query, where a unit sits in the tree (its level, from its
// depth), which roles to offer for it (the server's own rule, server/domain/user-roles.ts), the password rule checked
// before a round trip (server/domain/password-policy.ts), and a short name for a session's browser. No DOM, no React.
import type { OrgLevel, Role } from '../../../server/contracts/api';
import type { UserQuery, UserStatus } from '../../../server/contracts/users';
import { passwordProblem, type PasswordProblem } from '../../../server/domain/password-policy';
import { LEVELS, ROLES, rolesFor } from '../../../server/domain/user-roles';

export { MIN_PASSWORD_LENGTH } from '../../../server/domain/password-policy';
export { ROLES };

export const USERS_PAGE_SIZE = 50;
export const STATUSES: readonly UserStatus[] = ['active', 'disabled', 'locked', 'deleted'];

export interface UserFilters {
  /** null: the administrator's whole area. */
  orgUnitId: number | null;
  role: '' | Role;
  status: '' | UserStatus;
  q: string;
  page: number;
}

export const EMPTY_USER_FILTERS: UserFilters = { orgUnitId: null, role: '', status: '', q: '', page: 0 };

export function userQuery(f: UserFilters, pageSize = USERS_PAGE_SIZE): UserQuery {
  const query: UserQuery = { limit: pageSize, offset: Math.max(0, f.page) * pageSize };
  if (f.orgUnitId !== null) query.orgUnitId = f.orgUnitId;
  if (f.role) query.role = f.role;
  if (f.status) query.status = f.status;
  const q = f.q.trim().slice(0, 64);
  if (q) query.q = q;
  return query;
}

/** A filter other than the page changed: back to the first page. */
export function withUserFilter(f: UserFilters, change: Partial<Omit<UserFilters, 'page'>>): UserFilters {
  return { ...f, ...change, page: 0 };
}

/** The level of a unit `depth` steps below a unit of `level` (county → township → village → compound). */
export function levelBelow(level: OrgLevel, depth: number): OrgLevel | undefined {
  return LEVELS[LEVELS.indexOf(level) + depth];
}

/** The level of a unit from its name path ('安澜县/城关镇' is a township): paths start at the county. */
export function levelOfPath(orgUnitPath: string): OrgLevel | undefined {
  return LEVELS[orgUnitPath.split('/').filter(Boolean).length - 1];
}

/** Roles to offer for a unit of `level`, to an administrator whose own unit is at `adminLevel`. */
export function roleOptions(level: OrgLevel | undefined, adminLevel: OrgLevel | undefined): Role[] {
  return level && adminLevel ? rolesFor(level, adminLevel) : [];
}

export type PasswordCheck = PasswordProblem | 'mismatch' | 'same';

/** What is wrong with a new password before it is sent; null when it may go. The server checks the same rule. */
export function checkNewPassword(next: string, confirm: string, username: string, current?: string): PasswordCheck | null {
  const problem = passwordProblem(next, username);
  if (problem) return problem;
  if (current !== undefined && next === current) return 'same';
  return next === confirm ? null : 'mismatch';
}

/** "Chrome · Windows" from a User-Agent header; the header itself when nothing is recognised. */
export function browserLabel(userAgent: string | null): string {
  if (!userAgent) return '—';
  const browser = /Edg\//.test(userAgent) ? 'Edge' : /Firefox\//.test(userAgent) ? 'Firefox' : /Chrom(e|ium)\//.test(userAgent) ? 'Chrome'
    : /Safari\//.test(userAgent) ? 'Safari' : null;
  const system = /Windows/.test(userAgent) ? 'Windows' : /Android/.test(userAgent) ? 'Android' : /iPhone|iPad/.test(userAgent) ? 'iOS'
    : /Mac OS X/.test(userAgent) ? 'macOS' : /Linux/.test(userAgent) ? 'Linux' : null;
  return browser || system ? [browser, system].filter(Boolean).join(' · ') : userAgent.slice(0, 60);
}

/** File name of the initial passwords of an import. */
export const passwordsFileName = (now = new Date()): string => `initial-passwords-${now.toISOString().slice(0, 10)}.csv`;
