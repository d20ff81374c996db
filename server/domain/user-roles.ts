// Which role fits which org unit, and which roles an administrator may hand out. Pure and shared: the user service
// refuses with these rules, the web offers only the roles that fit the chosen unit.
//
// - county_operator: the county (the root level) only — a county operator watches and dispatches for all of it.
// - township_officer: a township unit; village_officer: a village/community or a compound.
// - admin: any unit; an administrator's area is the subtree of that unit (a township's admin manages that township).
// An administrator grants only roles that can exist inside their own area: a township's administrator cannot make a
// county operator, since no county-level unit lies inside a township.
import type { OrgLevel, Role } from '../contracts/api';

export const ROLES: readonly Role[] = ['admin', 'county_operator', 'township_officer', 'village_officer'];

export const LEVELS: readonly OrgLevel[] = ['county', 'township', 'village', 'compound'];

export const ROLE_LEVELS: Record<Role, readonly OrgLevel[]> = {
  admin: LEVELS,
  county_operator: ['county'],
  township_officer: ['township'],
  village_officer: ['village', 'compound'],
};

const depth = (level: OrgLevel): number => LEVELS.indexOf(level);

/** Whether a user of `role` may belong to a unit of `level`. */
export function roleFitsLevel(role: Role, level: OrgLevel): boolean {
  return ROLE_LEVELS[role].includes(level);
}

/** The roles an administrator whose own unit is at `adminLevel` may grant (some unit inside the area fits each). */
export function grantableRoles(adminLevel: OrgLevel): Role[] {
  return ROLES.filter((role) => ROLE_LEVELS[role].some((level) => depth(level) >= depth(adminLevel)));
}

/** The roles that fit a unit of `level` and that an administrator at `adminLevel` may grant, in menu order. */
export function rolesFor(level: OrgLevel, adminLevel: OrgLevel): Role[] {
  return grantableRoles(adminLevel).filter((role) => roleFitsLevel(role, level));
}

/** Lengths and shapes of user fields, for the TypeBox contract and the web forms alike. */
export const USERNAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.@-]{1,31}$';
export const DISPLAY_NAME_MAX = 64;
/** Digits, spaces and + - ( ): landlines with area codes and extensions as well as mobiles. */
export const PHONE_PATTERN = '^[0-9+() -]{3,20}$';
