import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody } from '../../../contracts/api';
import {
  CatalogueField, CatalogueRow, CredentialProfile, CredentialProfileBody, ExportQuery, ImportBody, ImportResult, NameParams,
} from '../../../contracts/catalogue';
import { catalogueCsv } from '../../../discovery/catalogue/export';
import { FIELD_ALIASES } from '../../../discovery/catalogue/fields';
import { ConflictError, NotFoundError } from '../../../errors';
import { visibleUnit } from '../../../org/visible-unit';
import { currentUser } from '../../../plugins/auth';
import { runImport } from './import';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/format', {
    schema: {
      tags: ['catalogue'], summary: 'Import fields and the column names each accepts (see IMPORT.md)',
      response: { 200: Type.Array(Type.Object({ field: CatalogueField, aliases: Type.Array(Type.String()) })), 401: ErrorBody },
    },
  }, async () => Object.entries(FIELD_ALIASES).map(([field, aliases]) => ({ field: field as CatalogueField, aliases })));

  app.post('/import', {
    // 100,000 rows with URLs are ~20 MB of CSV; the JSON envelope adds little.
    bodyLimit: 100 * 1024 * 1024,
    config: { roles: ['admin', 'county_operator', 'township_officer'] },
    schema: {
      tags: ['catalogue'],
      summary: 'Import a camera catalogue (CSV or JSON): dry run or commit; upsert on network + externalId, within your area',
      body: ImportBody, response: { 200: ImportResult, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
    },
  }, async (request) => runImport(app, currentUser(request), request.body, request.ip));

  app.get('/export', {
    schema: {
      tags: ['catalogue'], summary: 'The catalogue in your area in the import format (CSV by default, or JSON); never passwords',
      querystring: ExportQuery, response: { 200: Type.Array(CatalogueRow), 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => {
    const user = currentUser(request);
    let path = user.scopePath;
    let unitId = user.orgUnitId;
    if (request.query.orgUnitId !== undefined) {
      const unit = await visibleUnit(app.repos.orgUnits, user.scopePath, request.query.orgUnitId);
      path = unit.path;
      unitId = unit.id;
    }
    const rows = await app.repos.catalogue.exportRows(path, request.query.network);
    await app.repos.audit.record({
      actorType: 'user', actorId: user.id, actorName: user.username, action: 'catalogue.export', targetType: 'org_unit',
      targetId: unitId, orgUnitId: unitId, detail: { rows: rows.length, network: request.query.network ?? null, path }, ip: request.ip,
    });
    const stamp = new Date().toISOString().slice(0, 10);
    if (request.query.format === 'json') {
      reply.header('content-disposition', `attachment; filename="cameras-${stamp}.json"`);
      return rows;
    }
    // A string with a non-JSON type bypasses the serializer, hence the cast past the JSON response schema.
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="cameras-${stamp}.csv"`)
      .send(catalogueCsv(rows) as never);
  });

  const profileRoles = { roles: ['admin' as const, 'county_operator' as const] };
  app.get('/credentials', {
    config: profileRoles,
    schema: { tags: ['catalogue'], summary: 'Credential profiles import rows may name (credentialRef); no passwords', response: { 200: Type.Array(CredentialProfile), 401: ErrorBody, 403: ErrorBody } },
  }, async () => app.repos.catalogue.listProfiles());

  app.put('/credentials/:name', {
    config: profileRoles,
    schema: {
      tags: ['catalogue'], summary: 'Create or replace a credential profile', params: NameParams,
      body: CredentialProfileBody, response: { 204: Type.Null(), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
    },
  }, async (request, reply) => {
    const user = currentUser(request);
    const { name } = request.params;
    await app.repos.catalogue.saveProfile(name, request.body.username, request.body.password);
    await app.repos.audit.record({
      actorType: 'user', actorId: user.id, actorName: user.username, action: 'catalogue.credential-profile.save', targetType: 'credential_profile',
      targetId: name, orgUnitId: user.orgUnitId, ip: request.ip,
    });
    return reply.status(204).send(null);
  });

  app.delete('/credentials/:name', {
    config: profileRoles,
    schema: { tags: ['catalogue'], summary: 'Delete an unused credential profile', params: NameParams, response: { 204: Type.Null(), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody } },
  }, async (request, reply) => {
    const user = currentUser(request);
    const { name } = request.params;
    const { usedBy, deleted } = await app.repos.catalogue.deleteUnusedProfile(name);
    if (usedBy > 0) throw new ConflictError(`credential profile "${name}" is used by ${usedBy} cameras`, 'name');
    if (!deleted) throw new NotFoundError(`Credential profile ${name}`, 'name');
    await app.repos.audit.record({
      actorType: 'user', actorId: user.id, actorName: user.username, action: 'catalogue.credential-profile.delete', targetType: 'credential_profile',
      targetId: name, orgUnitId: user.orgUnitId, ip: request.ip,
    });
    return reply.status(204).send(null);
  });
};

export default routes;
