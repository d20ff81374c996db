// The catalogue as a whole: import a platform's camera list (CSV/JSON), export it in the same format, and keep the
// credential profiles import rows may name. Framework-free, like CameraService beside it: each use case checks
// scope, writes, audits and logs its event in one transaction (server/db/atomically.ts). A failed import leaves
// nothing behind, and planning inside the transaction means the counts reported are the counts written.
import type { CatalogueRow, ExportQuery, ImportBody, ImportResult } from '../contracts/catalogue';
import { atomically, type Publisher } from '../db/atomically';
import type { Database, Queryable } from '../db/database';
import type { Repositories } from '../db/repositories';
import { type ImportPlan, planImport } from '../discovery/catalogue/plan';
import { CatalogueFileError, readCatalogue } from '../discovery/catalogue/read';
import { BadRequestError, ConflictError, NotFoundError } from '../errors';
import { visibleUnit } from '../org/visible-unit';
import type { Caller } from './service';

/** Row errors returned with an import at most (the summary counts them all). */
const MAX_ERRORS = 1000;

export interface CatalogueDeps {
  db: Database;
  repos: Repositories;
  publisher: Publisher;
  /** Opens credentials stored encrypted (a re-import compares them with the file's). */
  decrypt(sealed: string): string;
  /** Told after an import wrote cameras (their units or sources may have changed): caches of camera facts go. */
  changed?: () => void;
}

export class CatalogueService {
  constructor(private readonly deps: CatalogueDeps) {}

  private get repos() {
    return this.deps.repos;
  }

  /** Reads the file, plans against the database and, unless a dry run (or `atomic` with rejected rows), applies it. */
  async import(caller: Caller, body: ImportBody, ip: string): Promise<ImportResult> {
    const started = performance.now();
    const networks = await this.repos.networks.list();
    let read: ReturnType<typeof readCatalogue>;
    try {
      read = readCatalogue(body.format, body.content, networks, body.mapping, body.coordSystem);
    } catch (err) {
      if (err instanceof CatalogueFileError) throw new BadRequestError(`${err.field === 'content' ? 'content ' : ''}${err.message}`, err.field);
      throw err;
    }
    const networksInFile = [...new Set(read.rows.map((r) => r.network))];
    const plan = async (db: Queryable): Promise<ImportPlan> => planImport({
      rows: read.rows, rowErrors: read.errors, scopePath: caller.scopePath, createOrgUnits: body.createOrgUnits ?? false,
      ...(await this.repos.catalogue.importState(networksInFile, db)), decrypt: this.deps.decrypt,
    });

    let result: ImportPlan;
    let committed = false;
    if (body.dryRun) {
      result = await plan(this.deps.db);
    } else {
      result = await atomically(this.deps.db, this.deps.publisher, async (tx, publish) => {
        const p = await plan(tx);
        if (body.atomic && p.rejected > 0) return p;
        const applied = await this.repos.catalogue.apply(p, tx);
        await this.repos.audit.record({
          actorType: 'user', actorId: caller.id, actorName: caller.username, action: 'catalogue.import', targetType: 'org_unit',
          targetId: caller.orgUnitId, orgUnitId: caller.orgUnitId, ip,
          detail: {
            format: body.format, total: read.total, added: p.added, updated: p.updated, unchanged: p.unchanged, rejected: p.rejected,
            orgUnitsCreated: p.newUnits.map((u) => u.names.join('/')),
          },
        }, tx);
        committed = true;
        if (applied.written || applied.createdUnits.length) {
          await publish(caller.scopePath, 'catalogue:imported', {
            orgUnitId: caller.orgUnitId, added: p.added, updated: p.updated, orgUnitsCreated: applied.createdUnits.length, by: caller.username,
          });
        }
        return p;
      });
      if (committed && result.updated > 0) this.deps.changed?.();
    }
    const createdPaths = result.newUnits.map((u) => u.names.join('/'));
    return {
      dryRun: body.dryRun ?? false,
      committed,
      summary: {
        total: read.total, added: result.added, updated: result.updated, unchanged: result.unchanged, rejected: result.rejected,
        orgUnitsCreated: createdPaths.length,
      },
      errors: result.errors.slice(0, MAX_ERRORS),
      errorsTruncated: result.errors.length > MAX_ERRORS,
      columns: read.map.columns,
      ignoredColumns: read.map.ignored,
      createdOrgUnits: createdPaths,
      seconds: +((performance.now() - started) / 1000).toFixed(3),
    };
  }

  /** The catalogue in the caller's area (or one unit of it) in the import format, never a password; audited. */
  async export(caller: Caller, query: ExportQuery, ip: string): Promise<CatalogueRow[]> {
    const unit = query.orgUnitId === undefined ? undefined : await visibleUnit(this.repos.orgUnits, caller.scopePath, query.orgUnitId);
    const path = unit?.path ?? caller.scopePath;
    const unitId = unit?.id ?? caller.orgUnitId;
    const rows = await this.repos.catalogue.exportRows(path, query.network);
    await this.repos.audit.record({
      actorType: 'user', actorId: caller.id, actorName: caller.username, action: 'catalogue.export', targetType: 'org_unit',
      targetId: unitId, orgUnitId: unitId, detail: { rows: rows.length, network: query.network ?? null, path }, ip,
    });
    return rows;
  }

  /** Creates or replaces a credential profile. Cameras keep the copy they got at import until re-imported. */
  async saveProfile(caller: Caller, name: string, credentials: { username: string; password: string }, ip: string): Promise<void> {
    await this.deps.db.transaction(async (tx) => {
      await this.repos.catalogue.saveProfile(name, credentials.username, credentials.password, tx);
      await this.repos.audit.record({
        actorType: 'user', actorId: caller.id, actorName: caller.username, action: 'catalogue.credential-profile.save',
        targetType: 'credential_profile', targetId: name, orgUnitId: caller.orgUnitId, ip,
      }, tx);
    });
  }

  /** Deletes a profile no camera names (409 while one does). */
  async deleteProfile(caller: Caller, name: string, ip: string): Promise<void> {
    await this.deps.db.transaction(async (tx) => {
      const { usedBy, deleted } = await this.repos.catalogue.deleteUnusedProfile(name, tx);
      if (usedBy > 0) throw new ConflictError(`credential profile "${name}" is used by ${usedBy} cameras`, 'name');
      if (!deleted) throw new NotFoundError(`Credential profile ${name}`, 'name');
      await this.repos.audit.record({
        actorType: 'user', actorId: caller.id, actorName: caller.username, action: 'catalogue.credential-profile.delete',
        targetType: 'credential_profile', targetId: name, orgUnitId: caller.orgUnitId, ip,
      }, tx);
    });
  }
}
