// The catalogue import as one operation: read the file, plan against the database, and (unless a dry run)
// apply the plan, audit it and tell the importer's unit — all in one transaction, so a failed import leaves
// nothing behind. Planning inside the transaction means the counts reported are the counts written.
import type { FastifyInstance } from 'fastify';
import type { ImportBody, ImportResult } from '../../../contracts/catalogue';
import type { UserWithScope } from '../../../db/repositories/users';
import { type ImportPlan, planImport } from '../../../discovery/catalogue/plan';
import { CatalogueFileError, readCatalogue } from '../../../discovery/catalogue/read';
import { BadRequestError } from '../../../errors';
import type { Queryable } from '../../../db/database';
import type { EventPayload } from '../../../contracts/events';

const MAX_ERRORS = 1000;

export async function runImport(app: FastifyInstance, user: UserWithScope, body: ImportBody, ip: string): Promise<ImportResult> {
  const started = performance.now();
  const networks = await app.repos.networks.list();
  let read: ReturnType<typeof readCatalogue>;
  try {
    read = readCatalogue(body.format, body.content, networks, body.mapping);
  } catch (err) {
    if (err instanceof CatalogueFileError) throw new BadRequestError(`${err.field === 'content' ? 'content ' : ''}${err.message}`, err.field);
    throw err;
  }
  const networksInFile = [...new Set(read.rows.map((r) => r.network))];
  const plan = async (db: Queryable): Promise<ImportPlan> => {
    const state = await app.repos.catalogue.importState(networksInFile, db);
    return planImport({
      rows: read.rows, rowErrors: read.errors, scopePath: user.scopePath, createOrgUnits: body.createOrgUnits ?? false,
      ...state, decrypt: (s) => app.secrets.decrypt(s),
    });
  };

  let result: ImportPlan;
  let committed = false;
  let createdPaths: string[];
  if (body.dryRun) {
    result = await plan(app.db);
    createdPaths = result.newUnits.map((u) => u.names.join('/'));
  } else {
    let event: EventPayload<'catalogue:imported'> | undefined;
    ({ result, createdPaths, event } = await app.db.transaction(async (tx) => {
      const p = await plan(tx);
      const paths = p.newUnits.map((u) => u.names.join('/'));
      if (body.atomic && p.rejected > 0) return { result: p, createdPaths: paths, event: undefined };
      const applied = await app.repos.catalogue.apply(p, tx);
      await app.repos.audit.record({
        actorType: 'user', actorId: user.id, actorName: user.username, action: 'catalogue.import', targetType: 'org_unit',
        targetId: user.orgUnitId, orgUnitId: user.orgUnitId, ip,
        detail: { format: body.format, total: read.total, added: p.added, updated: p.updated, unchanged: p.unchanged, rejected: p.rejected, orgUnitsCreated: paths },
      }, tx);
      committed = true;
      const ev = applied.written || applied.createdUnits.length
        ? await app.realtime.record(tx, user.scopePath, 'catalogue:imported', {
          orgUnitId: user.orgUnitId, added: p.added, updated: p.updated, orgUnitsCreated: applied.createdUnits.length, by: user.username,
        })
        : undefined;
      return { result: p, createdPaths: paths, event: ev };
    }));
    if (event) app.realtime.emit(user.scopePath, 'catalogue:imported', event);
  }
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
