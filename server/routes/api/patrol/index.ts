// 视频巡查: patrol plans, runs (start → mark each camera → complete; pause, resume, hand over), the frame seen per
// camera, and statistics with CSV. Who may do what is in server/patrol/service.ts; here only the patrol roles.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { rangeFileName, sendCsv } from '../../csv-download';
import { Type } from 'typebox';
import { ErrorBody, IdParams } from '../../../contracts/api';
import {
  PatrolActionBody, PatrolActionParams, PatrolColleagueList, PatrolMarkBody, PatrolPlan, PatrolPlanBody, PatrolPlanList, PatrolRun, PatrolRunDetail, PatrolRunPage,
  PatrolRunQuery, PatrolStats, PatrolStatsCsvQuery, PatrolStatsQuery,
} from '../../../contracts/patrol';
import { IMAGE_BODY_LIMIT } from '../../../dispatch/evidence';
import { patrolCsv } from '../../../patrol/csv';
import { PATROL_ROLES } from '../../../patrol/service';
import { patrolCaller } from '../../../plugins/patrol';

const roles = [...PATROL_ROLES];
const ERRORS = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/plans', {
    config: { roles },
    schema: { tags: ['patrol'], summary: 'Patrol plans of your unit and the units inside it', response: { 200: PatrolPlanList, 401: ErrorBody, 403: ErrorBody } },
  }, async (request) => ({ items: await app.patrol.listPlans(patrolCaller(request)) }));

  app.post('/plans', {
    config: { roles },
    schema: { tags: ['patrol'], summary: 'Create a patrol plan: cameras in order, shifts, dwell, the unit that runs it', body: PatrolPlanBody, response: { 201: PatrolPlan, ...ERRORS } },
  }, async (request, reply) => reply.status(201).send(await app.patrol.savePlan(patrolCaller(request), undefined, request.body, request.ip)));

  app.put('/plans/:id', {
    config: { roles },
    schema: { tags: ['patrol'], summary: 'Replace a patrol plan (runs already due keep their cameras)', params: IdParams, body: PatrolPlanBody, response: { 200: PatrolPlan, ...ERRORS } },
  }, async (request) => app.patrol.savePlan(patrolCaller(request), request.params.id, request.body, request.ip));

  app.delete('/plans/:id', {
    config: { roles },
    schema: { tags: ['patrol'], summary: 'Delete a patrol plan (its runs stay in the statistics)', params: IdParams, response: { 204: Type.Null(), ...ERRORS } },
  }, async (request, reply) => {
    await app.patrol.deletePlan(patrolCaller(request), request.params.id, request.ip);
    return reply.status(204).send(null);
  });

  app.get('/runs', {
    config: { roles },
    schema: { tags: ['patrol'], summary: 'Patrol runs of your unit and the units inside it, newest due first', querystring: PatrolRunQuery, response: { 200: PatrolRunPage, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody } },
  }, async (request) => app.patrol.listRuns(patrolCaller(request), request.query));

  app.get('/runs/:id', {
    config: { roles },
    schema: { tags: ['patrol'], summary: 'One run with its cameras in order and the marks so far', params: IdParams, response: { 200: PatrolRunDetail, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (request) => app.patrol.runDetail(patrolCaller(request), request.params.id));

  app.get('/runs/:id/colleagues', {
    config: { roles },
    schema: { tags: ['patrol'], summary: 'Who may take the run over (移交): enabled patrol makers of the plan’s unit or above it', params: IdParams, response: { 200: PatrolColleagueList, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (request) => ({ items: await app.patrol.colleagues(patrolCaller(request), request.params.id) }));

  app.post('/runs/:id/:action', {
    config: { roles },
    // Only handover has a body: a bare POST means "no body" rather than a 400.
    preValidation: async (request) => void (request.body ??= {}),
    schema: { tags: ['patrol'], summary: 'start · pause · resume · handover (toUserId) · complete (every camera marked)', params: PatrolActionParams, body: PatrolActionBody, response: { 200: PatrolRun, ...ERRORS } },
  }, async (request) => app.patrol.act(patrolCaller(request), request.params.id, request.params.action, request.body, request.ip));

  app.post('/runs/:id/marks', {
    config: { roles },
    bodyLimit: IMAGE_BODY_LIMIT,
    schema: { tags: ['patrol'], summary: 'Mark a camera 正常 / 发现隐患 / 画面异常 with the seconds played and the frame seen', params: IdParams, body: PatrolMarkBody, response: { 200: PatrolRun, ...ERRORS, 413: ErrorBody } },
  }, async (request) => app.patrol.mark(patrolCaller(request), request.params.id, request.body));

  app.get('/runs/:id/cameras/:cameraId/frame.jpg', {
    config: { roles },
    schema: {
      tags: ['patrol'], summary: 'The frame the operator saw when marking the camera', params: Type.Object({ id: Type.Integer({ minimum: 1 }), cameraId: Type.Integer({ minimum: 1 }) }),
      response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => {
    const bytes = await app.patrol.markFrame(patrolCaller(request), request.params.id, request.params.cameraId);
    return reply.type('image/jpeg').header('cache-control', 'private, max-age=86400, immutable').send(bytes);
  });

  app.get('/stats', {
    config: { roles },
    schema: { tags: ['patrol'], summary: 'Runs due / completed / on time, coverage and findings, by unit and by operator', querystring: PatrolStatsQuery, response: { 200: PatrolStats, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody } },
  }, async (request) => app.patrol.stats(patrolCaller(request), request.query));

  app.get('/stats/export.csv', {
    config: { roles },
    schema: { tags: ['patrol'], summary: 'The same figures as CSV (UTF-8 with BOM), one row per unit or operator, then the total', querystring: PatrolStatsCsvQuery, response: { 200: Type.String({ description: 'text/csv' }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody } },
  }, async (request, reply) => {
    const { groupBy = 'unit', ...query } = request.query;
    const stats = await app.patrol.stats(patrolCaller(request), query);
    return sendCsv(reply, rangeFileName('patrol', groupBy, stats), patrolCsv(groupBy === 'operator' ? stats.byOperator : stats.byUnit, stats.total));
  });
};

export default routes;
