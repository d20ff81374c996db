// What the first start asks for (the county root and its first administrator), as pure rules shared by the setup API,
// the admin CLI and the web setup form, so that all three refuse the same input for the same reason.

import { USERNAME_PATTERN } from './user-roles';

// The first administrator is an account like any other: its username and display name follow the users' rules
// (user-roles.ts), so the setup, the CLI and 用户管理 accept the same names.
export { DISPLAY_NAME_MAX, USERNAME_PATTERN } from './user-roles';

export const MAX_COUNTY_NAME = 64;

export type CountyCodeProblem = 'not-six-digits' | 'not-a-county';

/**
 * A county's administrative division code (行政区划代码): six digits, province (2) + prefecture (2) + county (2).
 * A code ending in 00 names a prefecture or a province, not a county; one starting with 0 names nothing.
 */
export function countyCodeProblem(code: string): CountyCodeProblem | null {
  if (!/^[0-9]{6}$/.test(code)) return 'not-six-digits';
  if (code.startsWith('0') || code.endsWith('00')) return 'not-a-county';
  return null;
}

export const COUNTY_CODE_PROBLEM_TEXT: Record<CountyCodeProblem, string> = {
  'not-six-digits': 'must be the six digits of the administrative division code (行政区划代码), e.g. 339901',
  'not-a-county': 'is not a county-level code (a code starting with 0 or ending in 00 is not a county)',
};

export function usernameValid(username: string): boolean {
  return new RegExp(USERNAME_PATTERN).test(username);
}
