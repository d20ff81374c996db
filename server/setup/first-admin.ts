// The first start of a production database: it holds no org unit and no user (the demo seed is what makes the demo
// county), so the first administrator is created together with the county's root unit, in one transaction with its
// audit row. Used by both the setup API (with the one-time token) and the admin CLI (on the server itself); the CLI
// may also add further administrators at the root. No Fastify here: errors carry their HTTP meaning.
import { COUNTY_CODE_PROBLEM_TEXT, countyCodeProblem, MAX_COUNTY_NAME, DISPLAY_NAME_MAX, usernameValid } from '../domain/setup-rules';
import { PASSWORD_PROBLEM_TEXT, passwordProblem } from '../domain/password-policy';
import type { Database, Queryable } from '../db/database';
import type { Repositories } from '../db/repositories';
import type { OrgUnitRow } from '../db/repositories/org-units';
import { BadRequestError, ConflictError, HttpError } from '../errors';

export interface AdminInput {
  username: string;
  displayName: string;
  password: string;
}

/** What setting up needs: the database and three repositories (none of which needs the vault key, so the CLI can
 * build them without one). */
export interface SetupDeps {
  db: Database;
  repos: Pick<Repositories, 'users' | 'orgUnits' | 'audit'>;
}

export interface FirstAdminInput {
  /** The county root to create; required while the database has none, checked against it when it has one. */
  county?: { name: string; code: string };
  admin: AdminInput;
}

/** Who is doing it: the web setup page (the token holder, from an address) or the CLI on the server. */
export type SetupActor = { via: 'web'; ip?: string } | { via: 'cli' };

export interface CreatedAdmin {
  userId: number;
  username: string;
  county: { id: number; name: string; code: string };
  /** Whether this call created the county root (false when it existed already). */
  rootCreated: boolean;
}

/** 410: the console has users, so the one-time setup is over (the token is worthless from now on). */
export class SetupDoneError extends HttpError {
  constructor() {
    super(410, 'Setup is already done: the console has users. Sign in, or ask an administrator for an account');
  }
}

const CONTROL = /[\u0000-\u001f\u007f]/;

function checkName(value: string, field: string, max: number): string {
  const trimmed = value.trim();
  if (!trimmed) throw new BadRequestError(`${field} must not be empty`, field);
  if ([...trimmed].length > max) throw new BadRequestError(`${field} must be at most ${max} characters`, field);
  if (CONTROL.test(trimmed)) throw new BadRequestError(`${field} must not contain control characters`, field);
  return trimmed;
}

/** Checks an administrator's fields (the password against the shared policy); returns them trimmed. */
export function checkAdmin(admin: AdminInput): AdminInput {
  const username = admin.username.trim();
  if (!usernameValid(username)) {
    throw new BadRequestError('admin.username must be 2–32 letters, digits, dots, underscores, @ or hyphens, starting with a letter or digit', 'admin.username');
  }
  const displayName = checkName(admin.displayName, 'admin.displayName', DISPLAY_NAME_MAX);
  const problem = passwordProblem(admin.password, username);
  if (problem) throw new BadRequestError(`admin.password ${PASSWORD_PROBLEM_TEXT[problem]}`, 'admin.password');
  return { username, displayName, password: admin.password };
}

export function checkCounty(county: { name: string; code: string }): { name: string; code: string } {
  const name = checkName(county.name, 'county.name', MAX_COUNTY_NAME);
  const code = county.code.trim();
  const problem = countyCodeProblem(code);
  if (problem) throw new BadRequestError(`county.code ${COUNTY_CODE_PROBLEM_TEXT[problem]}`, 'county.code');
  return { name, code };
}

async function insertAdmin({ repos }: SetupDeps, tx: Queryable, admin: AdminInput, root: OrgUnitRow): Promise<number> {
  // Any case, deleted accounts included: a name always means one person in the audit log (server/users/README.md).
  if ((await repos.users.taken([admin.username], tx)).length > 0) {
    throw new ConflictError(`A user named ${admin.username} exists already`, 'admin.username');
  }
  return repos.users.create({ ...admin, role: 'admin', orgUnitId: root.id }, tx);
}

function actorOf(actor: SetupActor, userId: number, username: string) {
  return actor.via === 'web'
    ? { actorType: 'user' as const, actorId: userId, actorName: username, ip: actor.ip ?? null }
    : { actorType: 'system' as const, actorName: 'cli' };
}

/**
 * The first administrator and, when the database has none yet, the county root. Refused with 410 once any user
 * exists; the check is inside the write transaction, so two setups racing cannot both succeed.
 */
export async function createFirstAdmin(deps: SetupDeps, input: FirstAdminInput, actor: SetupActor): Promise<CreatedAdmin> {
  const { repos } = deps;
  const admin = checkAdmin(input.admin);
  const county = input.county ? checkCounty(input.county) : undefined;
  return deps.db.transaction(async (tx) => {
    if (await repos.users.any(tx)) throw new SetupDoneError();
    let root = await repos.orgUnits.root(tx);
    const rootCreated = !root;
    if (root && county && county.code !== root.code) {
      throw new ConflictError(`county.code: this database's county is ${root.name} (${root.code}), not ${county.code}`, 'county.code');
    }
    if (!root) {
      if (!county) throw new BadRequestError('county is required: the database has no county yet (name and 6-digit code)', 'county');
      [root] = await repos.orgUnits.insertMany([{ code: county.code, name: county.name, level: 'county', parent: null }], tx);
    }
    const userId = await insertAdmin(deps, tx, admin, root!);
    await repos.audit.record({
      ...actorOf(actor, userId, admin.username), action: 'setup.first-admin', targetType: 'user', targetId: userId, orgUnitId: root!.id,
      detail: { via: actor.via, username: admin.username, county: { code: root!.code, name: root!.name }, rootCreated },
    }, tx);
    return { userId, username: admin.username, county: { id: root!.id, name: root!.name, code: root!.code }, rootCreated };
  });
}

/** One more administrator at the county root (the CLI, when the console already has users: a locked-out county). */
export async function createAdmin(deps: SetupDeps, input: AdminInput): Promise<CreatedAdmin> {
  const { repos } = deps;
  const admin = checkAdmin(input);
  return deps.db.transaction(async (tx) => {
    const root = await repos.orgUnits.root(tx);
    if (!root) throw new BadRequestError('county is required: the database has no county yet (name and 6-digit code)', 'county');
    const userId = await insertAdmin(deps, tx, admin, root);
    await repos.audit.record({
      actorType: 'system', actorName: 'cli', action: 'setup.create-admin', targetType: 'user', targetId: userId, orgUnitId: root.id,
      detail: { via: 'cli', username: admin.username },
    }, tx);
    return { userId, username: admin.username, county: { id: root.id, name: root.name, code: root.code }, rootCreated: false };
  });
}
