// Shared set-up of the user-management tests: the demo county's units by code, accounts created through the API,
// and the first sign-in of a created account (login, forced password change) done the way a user does it.
import type { ManagedUser, UserWithPassword } from '../../server/contracts/users';
import { login, type Login, type TestApp } from '../helpers/app';

export const UNIT_CODES = {
  county: '339901', chengguan: '339901001', dongcheng: '339901002', dongfeng: '339901002001', chengguanVillage: '339901001001',
} as const;
export type UnitName = keyof typeof UNIT_CODES;

export async function units(t: TestApp): Promise<Record<UnitName, { id: number; name: string; path: string }>> {
  const entries = await Promise.all(Object.entries(UNIT_CODES).map(async ([key, code]) => [key, (await t.app.repos.orgUnits.findByCode(code))!] as const));
  return Object.fromEntries(entries) as unknown as Record<UnitName, { id: number; name: string; path: string }>;
}

/** A password that passes the policy for any username used here. */
export const GOOD_PASSWORD = '灯塔-Reservoir-47';

export async function createUser(t: TestApp, admin: Login, body: Record<string, unknown>): Promise<UserWithPassword> {
  const res = await t.app.inject({ method: 'POST', url: '/api/users', headers: admin.headers, payload: body });
  if (res.statusCode !== 201) throw new Error(`create ${JSON.stringify(body)}: ${res.statusCode} ${res.body}`);
  return res.json<UserWithPassword>();
}

/** First sign-in of an account with its initial password: login, then the forced change to `password`. */
export async function activate(t: TestApp, username: string, initialPassword: string, password = GOOD_PASSWORD): Promise<Login> {
  const session = await login(t.app, username, initialPassword);
  const res = await t.app.inject({
    method: 'POST', url: '/api/account/password', headers: session.headers, payload: { currentPassword: initialPassword, newPassword: password },
  });
  if (res.statusCode !== 204) throw new Error(`password change for ${username}: ${res.statusCode} ${res.body}`);
  return session;
}

export async function userRow(t: TestApp, admin: Login, id: number): Promise<ManagedUser> {
  const res = await t.app.inject({ url: `/api/users/${id}`, headers: { cookie: admin.cookie } });
  if (res.statusCode !== 200) throw new Error(`user ${id}: ${res.statusCode} ${res.body}`);
  return res.json<ManagedUser>();
}
