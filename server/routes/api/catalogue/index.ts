import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sendCsv } from '../../csv-download';
import { Type } from 'typebox';
import { ErrorBody } from '../../../contracts/api';
import {
  CatalogueField, CatalogueRow, CredentialProfile, CredentialProfileBody, ExportQuery, ImportBody, ImportResult, NameParams,
} from '../../../contracts/catalogue';
import { catalogueCsv } from '../../../discovery/catalogue/export';
import { FIELD_ALIASES } from '../../../discovery/catalogue/fields';
import { currentUser } from '../../../plugins/auth';

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
  }, async (request) => app.catalogue.import(currentUser(request), request.body, request.ip));

  app.get('/export', {
    schema: {
      tags: ['catalogue'], summary: 'The catalogue in your area in the import format (CSV by default, or JSON); never passwords',
      querystring: ExportQuery, response: { 200: Type.Array(CatalogueRow), 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => {
    const rows = await app.catalogue.export(currentUser(request), request.query, request.ip);
    const stamp = new Date().toISOString().slice(0, 10);
    if (request.query.format === 'json') {
      reply.header('content-disposition', `attachment; filename="cameras-${stamp}.json"`);
      return rows;
    }
    return sendCsv(reply, `cameras-${stamp}.csv`, catalogueCsv(rows));
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
    await app.catalogue.saveProfile(currentUser(request), request.params.name, request.body, request.ip);
    return reply.status(204).send(null);
  });

  app.delete('/credentials/:name', {
    config: profileRoles,
    schema: { tags: ['catalogue'], summary: 'Delete an unused credential profile', params: NameParams, response: { 204: Type.Null(), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody } },
  }, async (request, reply) => {
    await app.catalogue.deleteProfile(currentUser(request), request.params.name, request.ip);
    return reply.status(204).send(null);
  });
};

export default routes;
