// Tasks (签收 → 处置 → 反馈 → 办结, 转派, 退回, 驳回, 上报) and 视频调度 wall pushes. One route per action so that each
// has its own body schema; every action answers with the task after the change (转派 answers with the new child).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import { ErrorBody, IdParams } from '../../../contracts/api';
import {
  DispatchBody, LayoutPush, LayoutPushCreate, LayoutPushPage, LayoutPushQuery, NoteBody, ReasonBody, ResolveBody,
  type TaskAction, TaskPage, TaskQuery, TaskSummary, TaskWithDanger,
} from '../../../contracts/dispatch';
import { publicPush } from '../../../db/repositories/layout-pushes';
import { IMAGE_BODY_LIMIT, readJpeg } from '../../../dispatch/evidence';
import type { ActionInput } from '../../../dispatch/service';
import { NotFoundError } from '../../../errors';
import { currentUser } from '../../../plugins/auth';
import { actorOf } from '../../../plugins/dispatch';

const ACTIONS: Array<{ action: TaskAction; body: TSchema; summary: string }> = [
  { action: 'accept', body: NoteBody, summary: '签收: the receiving unit accepts the task' },
  { action: 'handle', body: NoteBody, summary: '处置: the receiving unit starts handling it' },
  { action: 'resolve', body: ResolveBody, summary: '反馈: the receiving unit reports it resolved, with feedback and an optional photo; the server attaches a fresh frame of the camera (复核)' },
  { action: 'close', body: NoteBody, summary: '办结: the dispatching unit verifies the feedback (tag frame beside closure frame) and closes the task; categories with a re-check period then wait for 复查' },
  { action: 'reject', body: ReasonBody, summary: '驳回: the dispatching unit rejects the feedback; back to handling' },
  { action: 'return', body: ReasonBody, summary: '退回: the receiving unit returns the task to its dispatcher, with a reason' },
  { action: 'escalate', body: NoteBody, summary: '上报: an overdue task is taken back up by the dispatching unit (or one above it)' },
];

const ACTION_ERRORS = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody };

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/tasks', {
    schema: {
      tags: ['dispatch'], summary: 'Tasks in your scope: your inbox, your outbox, or all', querystring: TaskQuery,
      response: { 200: TaskPage, 400: ErrorBody, 401: ErrorBody },
    },
  }, async (request) => app.dispatch.listTasks(currentUser(request), request.query));

  app.get('/tasks/:id', {
    schema: { tags: ['dispatch'], summary: 'One task with its danger’s headline', params: IdParams, response: { 200: TaskWithDanger, 401: ErrorBody, 404: ErrorBody } },
  }, async (request) => app.dispatch.taskDetail(currentUser(request).scopePath, request.params.id));

  app.get('/tasks/:id/photo', {
    schema: {
      tags: ['dispatch'], summary: 'The feedback photo (JPEG)', params: IdParams,
      response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), 401: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => {
    const task = await app.dispatch.visibleTask(currentUser(request).scopePath, request.params.id);
    const bytes = task.feedbackPhotoSha256 ? await readJpeg(app.config.dataDir, task.feedbackPhotoSha256) : undefined;
    if (!bytes) throw new NotFoundError(`Photo of task ${task.id}`);
    return reply.type('image/jpeg').header('cache-control', 'private, max-age=86400, immutable').send(bytes);
  });

  app.get('/tasks/:id/closure-frame', {
    schema: {
      tags: ['dispatch'], summary: '复核: the frame of the danger’s camera grabbed when the task was reported handled (JPEG)', params: IdParams,
      response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), 401: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => {
    const task = await app.dispatch.visibleTask(currentUser(request).scopePath, request.params.id);
    const bytes = task.closureFrameSha256 ? await readJpeg(app.config.dataDir, task.closureFrameSha256) : undefined;
    if (!bytes) throw new NotFoundError(`Closure frame of task ${task.id}`);
    return reply.type('image/jpeg').header('cache-control', 'private, max-age=86400, immutable').header('etag', `"${task.closureFrameSha256}"`).send(bytes);
  });

  for (const { action, body, summary } of ACTIONS) {
    app.post(`/tasks/:id/${action}`, {
      bodyLimit: action === 'resolve' ? IMAGE_BODY_LIMIT : undefined,
      // A note is optional: a bare POST (no body at all) means "no note" rather than a 400.
      preValidation: body === NoteBody ? async (request) => void (request.body ??= {}) : undefined,
      schema: { tags: ['dispatch'], summary, params: IdParams, body, response: { 200: TaskSummary, ...ACTION_ERRORS } },
    }, async (request) => app.dispatch.act(await actorOf(request), request.params.id, action, request.body as ActionInput, request.ip));
  }

  app.post('/tasks/:id/redispatch', {
    schema: {
      tags: ['dispatch'], summary: '转派: the receiving township sends its task on to one of its villages (a child task)',
      params: IdParams, body: DispatchBody, response: { 201: TaskSummary, ...ACTION_ERRORS },
    },
  }, async (request, reply) => {
    const child = await app.dispatch.act(await actorOf(request), request.params.id, 'redispatch', request.body, request.ip);
    return reply.status(201).send(child);
  });

  app.post('/layouts', {
    schema: {
      tags: ['dispatch'], summary: '视频调度: push cameras to the wall of a unit directly under yours, with the reason',
      body: LayoutPushCreate, response: { 201: LayoutPush, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => reply.status(201).send(await app.dispatch.pushLayout(await actorOf(request), request.body, request.ip)));

  app.get('/layouts', {
    schema: {
      tags: ['dispatch'], summary: 'Wall pushes your unit received (inbox) or sent (outbox)', querystring: LayoutPushQuery,
      response: { 200: LayoutPushPage, 400: ErrorBody, 401: ErrorBody },
    },
  }, async (request) => app.repos.layoutPushes.list(currentUser(request).orgUnitId, request.query));

  app.get('/layouts/:id', {
    schema: { tags: ['dispatch'], summary: 'One wall push your unit sent or received', params: IdParams, response: { 200: LayoutPush, 401: ErrorBody, 404: ErrorBody } },
  }, async (request) => publicPush(await app.dispatch.visiblePush(await actorOf(request), request.params.id)));

  for (const [verb, answer] of [['accept', 'accepted'], ['dismiss', 'dismissed']] as const) {
    app.post(`/layouts/:id/${verb}`, {
      schema: {
        tags: ['dispatch'], summary: verb === 'accept' ? 'Accept a pushed layout (the wall shows it)' : 'Dismiss a pushed layout',
        params: IdParams, response: { 200: LayoutPush, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    }, async (request) => app.dispatch.answerPush(await actorOf(request), request.params.id, answer, request.ip));
  }
};

export default routes;
