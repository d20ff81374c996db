// 治安隐患: tag a danger from a live tile (with the frame as evidence), list and search them, read one with its
// full history, fetch its evidence, and dispatch it (派单) to a subordinate unit.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody, IdParams } from '../../../contracts/api';
import { Danger, DangerCreate, DangerDetail, DangerPage, DangerQuery, DispatchBody, RecheckBody, TaskSummary, Taxonomy } from '../../../contracts/dispatch';
import { IMAGE_BODY_LIMIT, readJpeg } from '../../../dispatch/evidence';
import { NotFoundError } from '../../../errors';
import { currentUser } from '../../../plugins/auth';
import { actorOf } from '../../../plugins/dispatch';

const Jpeg = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'JPEG bytes' });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/taxonomy', {
    schema: { tags: ['dangers'], summary: 'Danger categories and severities with zh-CN/English labels', response: { 200: Taxonomy, 401: ErrorBody } },
  }, async () => app.dangerTaxonomy);

  app.post('/', {
    bodyLimit: IMAGE_BODY_LIMIT,
    schema: {
      tags: ['dangers'], summary: 'Tag a hidden danger on a camera in your scope, with the captured frame as evidence', body: DangerCreate,
      response: { 201: Danger, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 413: ErrorBody },
    },
  }, async (request, reply) => {
    const user = currentUser(request);
    const id = await app.dispatch.createDanger(await actorOf(request), request.body, request.ip);
    return reply.status(201).send((await app.dispatch.dangerDetail(user.scopePath, id)).danger);
  });

  app.get('/', {
    schema: {
      tags: ['dangers'], summary: 'Dangers located in your scope, filtered and paged, newest first',
      querystring: DangerQuery, response: { 200: DangerPage, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const user = currentUser(request);
    return app.dispatch.listDangers(user.scopePath, request.query, user.orgUnitId);
  });

  app.get('/:id', {
    schema: {
      tags: ['dangers'], summary: 'One danger with the tasks you may see and its full history', params: IdParams,
      response: { 200: DangerDetail, 401: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => app.dispatch.dangerDetail(currentUser(request).scopePath, request.params.id));

  app.get('/:id/evidence', {
    schema: {
      tags: ['dangers'], summary: 'The evidence frame (JPEG)', params: IdParams,
      response: { 200: Jpeg, 401: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => {
    const danger = await app.dispatch.visibleDanger(currentUser(request).scopePath, request.params.id);
    const bytes = await readJpeg(app.config.dataDir, danger.evidenceSha256);
    if (!bytes) throw new NotFoundError(`Evidence of danger ${danger.id}`);
    // Content-addressed, so it never changes; private because access depends on the session's scope.
    return reply.type('image/jpeg').header('cache-control', 'private, max-age=86400, immutable').header('etag', `"${danger.evidenceSha256}"`).send(bytes);
  });

  app.post('/:id/recheck', {
    schema: {
      tags: ['dangers'], summary: '复查: the unit that closed the danger re-checks it once due; pass → closed for good, fail → reopened (dispatch again)',
      params: IdParams, body: RecheckBody,
      response: { 200: Danger, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request) => app.dispatch.recheck(await actorOf(request), request.params.id, request.body, request.ip));

  app.post('/:id/dispatch', {
    schema: {
      tags: ['dangers'], summary: '派单: send the danger to a unit directly under yours that contains its location',
      params: IdParams, body: DispatchBody,
      response: { 201: TaskSummary, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request, reply) => {
    const task = await app.dispatch.dispatchDanger(await actorOf(request), request.params.id, request.body, request.ip);
    return reply.status(201).send(task);
  });
};

export default routes;
