// 统计: found, dispatched, closed, returned and overdue dangers, closure rate and mean times, for your scope (or a
// unit inside it) over a date range; by next-level unit, category and network; and the same as CSV.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { rangeFileName, sendCsv } from '../../csv-download';
import { Type } from 'typebox';
import { ErrorBody } from '../../../contracts/api';
import { Stats, StatsCsvQuery, StatsQuery } from '../../../contracts/dispatch';
import { Availability, AvailabilityCsvQuery } from '../../../contracts/maintenance';
import { availabilityCsv, availabilityRows } from '../../../maintenance/availability';
import type { StatsLabel } from '../../../db/repositories/dangers-stats';
import { statsCsv } from '../../../dispatch/csv';
import { visibleUnit } from '../../../org/visible-unit';
import { statsRange } from '../../../stats-range';
import { currentUser } from '../../../plugins/auth';

const TOTAL: StatsLabel = { key: 'total', name: '合计', nameEn: 'Total' };

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { orgUnits, dangerStats, networks } = app.repos;

  async function resolveScope(request: { query: StatsQuery }, scopePath: string, ownUnitId: number) {
    const { query } = request;
    const range = statsRange(query);
    const unit = await visibleUnit(orgUnits, scopePath, query.orgUnitId ?? ownUnitId);
    return { unit, ...range };
  }

  async function compute(query: StatsQuery, scopePath: string, ownUnitId: number): Promise<Stats> {
    const { unit, from, to } = await resolveScope({ query }, scopePath, ownUnitId);
    const children = await orgUnits.children(unit.id);
    const unitLabels = children.map((c) => ({ key: String(c.id), name: c.name, nameEn: c.nameEn ?? c.name }));
    const categoryLabels = app.dangerTaxonomy.categories;
    const networkLabels = (await networks.list()).map(({ key, name, nameEn }) => ({ key, name, nameEn }));
    const [total, byUnit, byCategory, byNetwork] = await Promise.all([
      dangerStats.total(unit.path, from, to, TOTAL),
      dangerStats.rows('unit', unit.path, from, to, unitLabels),
      dangerStats.rows('category', unit.path, from, to, categoryLabels),
      dangerStats.rows('network', unit.path, from, to, networkLabels),
    ]);
    return { from, to, scope: { orgUnitId: unit.id, name: unit.name }, total, byUnit, byCategory, byNetwork };
  }

  /** 在线率 and 完好率 over the range from the status history and the tickets, with the tickets open now. */
  async function availability(query: StatsQuery, scopePath: string, ownUnitId: number): Promise<Availability> {
    const { unit, from, to } = await resolveScope({ query }, scopePath, ownUnitId);
    const now = new Date().toISOString();
    const end = to < now ? to : now; // the future has no history yet
    const children = (await orgUnits.children(unit.id)).map((c) => ({ key: String(c.id), name: c.name, nameEn: c.nameEn ?? c.name, path: `${unit.path}${c.id}/` }));
    const networkLabels = (await networks.list()).map(({ key, name, nameEn }) => ({ key, name, nameEn }));
    const sums = await app.repos.availability.sums(unit.path, from, end > from ? end : from, now);
    return { from, to, scope: { orgUnitId: unit.id, name: unit.name }, ...availabilityRows(sums, networkLabels, children, TOTAL) };
  }

  app.get('/availability', {
    schema: {
      tags: ['stats'], summary: '在线率 (online time share) and 完好率 (time without an open maintenance ticket) per network and per next-level unit, with tickets',
      querystring: StatsQuery, response: { 200: Availability, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const user = currentUser(request);
    return availability(request.query, user.scopePath, user.orgUnitId);
  });

  app.get('/availability.csv', {
    schema: {
      tags: ['stats'], summary: 'Availability as CSV, one row per unit or network, then the total',
      querystring: AvailabilityCsvQuery, response: { 200: Type.String({ description: 'text/csv' }), 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => {
    const user = currentUser(request);
    const { groupBy = 'unit', ...query } = request.query;
    const a = await availability(query, user.scopePath, user.orgUnitId);
    return sendCsv(reply, rangeFileName('availability', groupBy, a), availabilityCsv(groupBy === 'network' ? a.byNetwork : a.byUnit, a.total));
  });

  app.get('/', {
    schema: {
      tags: ['stats'], summary: 'Dashboard numbers for your scope over a date range (default the last 30 days)',
      querystring: StatsQuery, response: { 200: Stats, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const user = currentUser(request);
    return compute(request.query, user.scopePath, user.orgUnitId);
  });

  app.get('/export.csv', {
    schema: {
      tags: ['stats'], summary: 'The same numbers as CSV (UTF-8 with BOM for Excel), one row per unit, category or network, then the total',
      querystring: StatsCsvQuery, response: { 200: Type.String({ description: 'text/csv' }), 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => {
    const user = currentUser(request);
    const { groupBy = 'unit', ...query } = request.query;
    const stats = await compute(query, user.scopePath, user.orgUnitId);
    const rows = groupBy === 'category' ? stats.byCategory : groupBy === 'network' ? stats.byNetwork : stats.byUnit;
    return sendCsv(reply, rangeFileName('stats', groupBy, stats), statsCsv(rows, stats.total));
  });
};

export default routes;
