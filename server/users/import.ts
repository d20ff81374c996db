// Bulk import of accounts from CSV (a sheet saved as CSV): username, name, role, unit path, phone. Like the catalogue
// import: a dry run checks every row and writes nothing; a commit creates the accepted rows (or, `atomic`, nothing
// when any row is rejected) in one transaction with their audit rows, and answers with each account's generated
// initial password, once. Passwords are generated and hashed before the transaction, so the write lock is held
// for the inserts only; usernames are checked again inside it, so the counts reported are the counts written.
import type { OrgUnitRow } from '../db/repositories/org-units';
import type { ImportedUser, UserImportBody, UserImportResult, UserRowError } from '../contracts/users';
import type { Database } from '../db/database';
import type { Repositories } from '../db/repositories';
import { pathIds } from '../domain/scope';
import { grantableRoles, roleFitsLevel } from '../domain/user-roles';
import { hashPassword } from '../security/passwords';
import { initialPasswordsCsv, ROLE_LABELS } from './csv';
import { readUserCsv, type UserSourceRow } from './import-read';
import { generateInitialPassword } from './initial-password';
import type { Caller } from './service';

const MAX_ERRORS = 1000;
/** Errors of one row are listed in the order of the columns of the file format. */
const FIELD_ORDER = ['username', 'displayName', 'role', 'orgUnitPath', 'phone'];
const byRowAndField = (a: UserRowError, b: UserRowError) => a.row - b.row || FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field);
/** Usernames listed in the import's audit row at most (the per-account user.create rows name every one). */
const AUDITED_NAMES = 1000;

interface Accepted {
  source: UserSourceRow;
  unit: OrgUnitRow;
  unitPath: string;
}

export class UserImporter {
  constructor(private readonly deps: { db: Database; repos: Repositories }) {}

  private get repos() {
    return this.deps.repos;
  }

  /** Units of the caller's area by their name path from the root ('安澜县/城关镇'); a path two units share is ambiguous. */
  private async unitsByPath(scopePath: string): Promise<Map<string, OrgUnitRow | 'ambiguous'>> {
    const units = await this.repos.orgUnits.subtree(scopePath);
    const rootId = pathIds(scopePath).at(-1)!;
    const [root] = await this.repos.orgUnits.namePaths([rootId]);
    const names = new Map<number, string>();
    const byPath = new Map<string, OrgUnitRow | 'ambiguous'>();
    for (const unit of units) { // root first, parents before children (ordered by id path)
      const name = unit.id === rootId ? root.path : `${names.get(unit.parent_id!)}/${unit.name.trim()}`;
      names.set(unit.id, name);
      byPath.set(name, byPath.has(name) ? 'ambiguous' : unit);
    }
    return byPath;
  }

  async import(caller: Caller, body: UserImportBody, ip: string): Promise<UserImportResult> {
    const started = performance.now();
    const file = readUserCsv(body.content);
    const own = (await this.repos.orgUnits.byId(caller.orgUnitId))!;
    const grantable = grantableRoles(own.level);
    const units = await this.unitsByPath(caller.scopePath);
    const taken = new Set((await this.repos.users.taken(file.rows.map((r) => r.username).filter(Boolean))).map((u) => u.toLowerCase()));

    const errors: UserRowError[] = [];
    const accepted: Accepted[] = [];
    const firstRowOf = new Map<string, number>();
    for (const source of file.rows) {
      const rowErrors = [...source.errors];
      const problem = (field: string, message: string) => rowErrors.push({ row: source.row, line: source.line, field, message });
      const key = source.username.toLowerCase();
      if (source.username && !rowErrors.some((e) => e.field === 'username')) {
        if (taken.has(key)) problem('username', `${source.username} is taken (usernames are never reused, deleted accounts' included)`);
        else if (firstRowOf.has(key)) problem('username', `${source.username} repeats row ${firstRowOf.get(key)}`);
        else firstRowOf.set(key, source.row);
      }
      const unitPath = source.orgPath.join('/');
      const unit = source.orgPath.length ? units.get(unitPath) : undefined;
      if (source.orgPath.length && !unit) {
        problem('orgUnitPath', `"${unitPath}" is not a unit in your area (unit names from the county down, e.g. 安澜县/城关镇)`);
      } else if (unit === 'ambiguous') {
        problem('orgUnitPath', `"${unitPath}" names more than one unit`);
      }
      if (source.role && !grantable.includes(source.role)) {
        problem('role', `${ROLE_LABELS[source.role]} (${source.role}): you may not create this role; no unit in your area takes it`);
      } else if (source.role && unit && unit !== 'ambiguous' && !roleFitsLevel(source.role, unit.level)) {
        problem('role', `${ROLE_LABELS[source.role]} (${source.role}) cannot belong to ${unit.name}, a ${unit.level} unit`);
      }
      if (rowErrors.length) errors.push(...rowErrors);
      else accepted.push({ source, unit: unit as OrgUnitRow, unitPath });
    }

    const present = (a: Accepted, id: number | null, initialPassword: string | null): ImportedUser => ({
      row: a.source.row, id, username: a.source.username, displayName: a.source.displayName, role: a.source.role!, orgUnitPath: a.unitPath, initialPassword,
    });
    const result = (committed: boolean, users: ImportedUser[], extraErrors: UserRowError[] = []): UserImportResult => {
      const all = [...errors, ...extraErrors].sort(byRowAndField);
      const rejectedRows = new Set(all.map((e) => e.row)).size;
      return {
        dryRun: body.dryRun ?? false,
        committed,
        summary: { total: file.rows.length, accepted: file.rows.length - rejectedRows, created: committed ? users.length : 0, rejected: rejectedRows },
        errors: all.slice(0, MAX_ERRORS),
        errorsTruncated: all.length > MAX_ERRORS,
        columns: file.columns,
        ignoredColumns: file.ignored,
        users,
        passwordsCsv: committed && users.length ? initialPasswordsCsv(users) : null,
        seconds: +((performance.now() - started) / 1000).toFixed(3),
      };
    };

    if (body.dryRun || (body.atomic && errors.length)) return result(false, accepted.map((a) => present(a, null, null)));

    // Generated and hashed outside the transaction, all at once: scrypt runs on libuv's thread pool.
    const passwords = accepted.map((a) => generateInitialPassword(a.source.username));
    const hashes = await Promise.all(passwords.map((p) => hashPassword(p, 'generated')));

    return this.deps.db.transaction(async (tx) => {
      // An account created since the check above takes its username: that row is rejected now, not written.
      const takenNow = new Set((await this.repos.users.taken(accepted.map((a) => a.source.username), tx)).map((u) => u.toLowerCase()));
      const late: UserRowError[] = [];
      const writing = accepted.flatMap((a, i) => {
        if (!takenNow.has(a.source.username.toLowerCase())) return [{ a, i }];
        late.push({ row: a.source.row, line: a.source.line, field: 'username', message: `${a.source.username} was taken meanwhile` });
        return [];
      });
      if (body.atomic && late.length) return result(false, [], late);
      const ids = await this.repos.users.createMany(writing.map(({ a, i }) => ({
        username: a.source.username, displayName: a.source.displayName, role: a.source.role!, orgUnitId: a.unit.id, phone: a.source.phone,
        passwordHash: hashes[i], mustChangePassword: true,
      })), tx);
      const created = writing.map(({ a, i }, k) => present(a, ids[k], passwords[i]));
      for (const [k, { a }] of writing.entries()) {
        await this.repos.audit.record({
          actorType: 'user', actorId: caller.id, actorName: caller.username, action: 'user.create', targetType: 'user', targetId: ids[k],
          orgUnitId: a.unit.id, detail: { username: a.source.username, role: a.source.role, orgUnit: a.unit.name, import: true }, ip,
        }, tx);
      }
      const rejected = new Set([...errors, ...late].map((e) => e.row)).size;
      await this.repos.audit.record({
        actorType: 'user', actorId: caller.id, actorName: caller.username, action: 'user.import', targetType: 'org_unit', targetId: caller.orgUnitId,
        orgUnitId: caller.orgUnitId, ip,
        detail: { total: file.rows.length, created: created.length, rejected, usernames: created.slice(0, AUDITED_NAMES).map((u) => u.username) },
      }, tx);
      return result(true, created, late);
    });
  }
}
