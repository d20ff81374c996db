// 用户管理 for administrators: thin routes over the user service (server/users/). Every route is admin-only, and the
// service keeps each administrator inside their own area.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sendCsv } from '../../csv-download';
import { Type } from 'typebox';
import { ErrorBody, IdParams } from '../../../contracts/api';
import {
  CreateUserBody, ManagedUser, UpdateUserBody, UserExportQuery, UserImportBody, UserImportResult, UserPage, UserQuery, UserWithPassword,
} from '../../../contracts/users';
import { currentUser } from '../../../plugins/auth';
import { usersCsv } from '../../../users/csv';

const ADMIN = { roles: ['admin' as const] };
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: ADMIN,
    schema: { tags: ['users'], summary: 'Accounts in your area (deleted ones only with status=deleted), by username', querystring: UserQuery, response: { 200: UserPage, ...errors } },
  }, async (request) => app.users.list(currentUser(request), request.query));

  app.post('/', {
    config: ADMIN,
    schema: {
      tags: ['users'], summary: 'Create an account in your area; answers its generated initial password once (to be changed at first sign-in)',
      body: CreateUserBody, response: { 201: UserWithPassword, ...errors },
    },
  }, async (request, reply) => reply.status(201).send(await app.users.create(currentUser(request), request.body, request.ip)));

  app.get('/export.csv', {
    config: ADMIN,
    schema: {
      tags: ['users'], summary: 'Accounts in your area (or one unit of it) as CSV in the import format; no secrets',
      querystring: UserExportQuery, response: { 200: Type.String({ description: 'text/csv' }), ...errors },
    },
  }, async (request, reply) => {
    const users = await app.users.exportRows(currentUser(request), request.query.orgUnitId, request.ip);
    return sendCsv(reply, `users-${new Date().toISOString().slice(0, 10)}.csv`, usersCsv(users));
  });

  app.post('/import', {
    // 530 accounts are ~40 KB of CSV; 20,000 rows at most, a few MB.
    bodyLimit: 8 * 1024 * 1024,
    config: ADMIN,
    schema: {
      tags: ['users'], summary: 'Import accounts from CSV (username, name, role, unit path, phone): dry run, or commit answering the initial passwords once',
      body: UserImportBody, response: { 200: UserImportResult, ...errors },
    },
  }, async (request) => app.userImport.import(currentUser(request), request.body, request.ip));

  app.get('/:id', {
    config: ADMIN,
    schema: { tags: ['users'], summary: 'One account of your area', params: IdParams, response: { 200: ManagedUser, ...errors } },
  }, async (request) => app.users.get(currentUser(request), request.params.id));

  app.patch('/:id', {
    config: ADMIN,
    schema: {
      tags: ['users'], summary: 'Edit name, phone, role, unit; a new role or unit ends the user\'s sessions. Never your own role or unit',
      params: IdParams, body: UpdateUserBody, response: { 200: ManagedUser, ...errors },
    },
  }, async (request) => app.users.update(currentUser(request), request.params.id, request.body, request.ip));

  app.post('/:id/disable', {
    config: ADMIN,
    schema: { tags: ['users'], summary: 'Disable an account: its sessions and live connections end at once', params: IdParams, response: { 200: ManagedUser, ...errors } },
  }, async (request) => app.users.setDisabled(currentUser(request), request.params.id, true, request.ip));

  app.post('/:id/enable', {
    config: ADMIN,
    schema: { tags: ['users'], summary: 'Enable a disabled account', params: IdParams, response: { 200: ManagedUser, ...errors } },
  }, async (request) => app.users.setDisabled(currentUser(request), request.params.id, false, request.ip));

  app.post('/:id/reset-password', {
    config: ADMIN,
    schema: {
      tags: ['users'], summary: 'A new generated password, answered once; the user must change it at next sign-in. Ends their sessions, clears a lock',
      params: IdParams, response: { 200: UserWithPassword, ...errors },
    },
  }, async (request) => app.users.resetPassword(currentUser(request), request.params.id, request.ip));

  app.post('/:id/unlock', {
    config: ADMIN,
    schema: { tags: ['users'], summary: 'Clear the wrong-password count and the lock it caused', params: IdParams, response: { 200: ManagedUser, ...errors } },
  }, async (request) => app.users.unlock(currentUser(request), request.params.id, request.ip));

  app.delete('/:id', {
    config: ADMIN,
    schema: {
      tags: ['users'], summary: 'Delete an account (kept for history, username not reused); its sessions end at once',
      params: IdParams, response: { 204: Type.Null(), ...errors },
    },
  }, async (request, reply) => {
    await app.users.delete(currentUser(request), request.params.id, request.ip);
    return reply.status(204).send(null);
  });
};

export default routes;
