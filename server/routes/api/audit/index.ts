// 审计日志 for administrators: filtered pages of the audit log (newest first, keyset paging) and the same filters as
// CSV. Exporting the log is itself audited: who took a copy of it matters as much as anything in it.
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sendCsv } from '../../csv-download';
import { Type } from 'typebox';
import { ErrorBody } from '../../../contracts/api';
import { AuditFilter, AuditPage, AuditQuery, type AuditItem } from '../../../contracts/audit';
import { auditCsv, CSV_MAX_ROWS } from '../../../audit/csv';
import type { AuditSearch, AuditSearchRow } from '../../../db/repositories/audit';
import { BadRequestError } from '../../../errors';
import { visibleUnit } from '../../../org/visible-unit';
import { currentUser } from '../../../plugins/auth';

const ADMIN = { roles: ['admin' as const] };

function present(row: AuditSearchRow): AuditItem {
  let detail: Record<string, unknown> | null = null;
  if (row.detail) {
    try {
      detail = JSON.parse(row.detail) as Record<string, unknown>;
    } catch {
      detail = { text: row.detail }; // written by hand or by an older version: show it as it is
    }
  }
  return { ...row, actorType: row.actorType as AuditItem['actorType'], detail };
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  /** The filters as the repository takes them: dates checked, the org unit turned into its subtree. */
  async function searchOf(filter: AuditFilter, scopePath: string): Promise<Omit<AuditSearch, 'limit'>> {
    const { orgUnitId, ...rest } = filter;
    if (filter.from && filter.to && Date.parse(filter.from) >= Date.parse(filter.to)) throw new BadRequestError('from must be before to', 'from');
    if (orgUnitId === undefined) return rest;
    return { ...rest, orgPath: (await visibleUnit(app.repos.orgUnits, scopePath, orgUnitId)).path };
  }

  app.get('/', {
    config: ADMIN,
    schema: {
      tags: ['audit'], summary: 'Audit log rows matching the filters, newest first; page on with `before`',
      querystring: AuditQuery, response: { 200: AuditPage, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const { before, limit = 50, ...filter } = request.query;
    const search = await searchOf(filter, currentUser(request).scopePath);
    // One row more than asked tells whether an older page exists without counting the whole log.
    const rows = await app.repos.audit.search({ ...search, before, limit: limit + 1 });
    const items = rows.slice(0, limit).map(present);
    return { items, nextBefore: rows.length > limit ? items[items.length - 1].id : null };
  });

  app.get('/export.csv', {
    config: ADMIN,
    schema: {
      tags: ['audit'], summary: `The rows matching the filters as CSV (UTF-8 with BOM), newest first, at most ${CSV_MAX_ROWS.toLocaleString('en')}`,
      querystring: AuditFilter, response: { 200: Type.String({ description: 'text/csv' }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => {
    const user = currentUser(request);
    const search = await searchOf(request.query, user.scopePath);
    // Recorded before the rows are read, so the export appears in its own file when nothing filters it out.
    await app.repos.audit.record({
      actorType: 'user', actorId: user.id, actorName: user.username, action: 'audit.export', targetType: 'audit_log',
      orgUnitId: request.query.orgUnitId ?? user.orgUnitId, detail: { filters: request.query }, ip: request.ip,
    });
    const stamp = new Date().toISOString().slice(0, 10);
    const rows = auditCsv(app.repos.audit.batches(search));
    return sendCsv(reply, `audit-${stamp}.csv`, Readable.from(rows));
  });
};

export default routes;
