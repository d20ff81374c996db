// 移动视频: push (RTMP) devices. An administrator makes one (a camera of network 'mobile' plus its stream key, shown
// once with the URL to publish to), rotates or revokes its key; a rotated or revoked key's publisher is cut off at
// once. The use cases are in server/push/service.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody, IdParams } from '../../../contracts/api';
import { IssuedPushKey, NewPushDevice, PushDevice } from '../../../contracts/push';
import { currentUser } from '../../../plugins/auth';

const ADMIN = { roles: ['admin' as const] };

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: ADMIN,
    schema: { tags: ['mobile'], summary: 'Push (RTMP) devices in your area, publishing or not', response: { 200: Type.Array(PushDevice), 401: ErrorBody, 403: ErrorBody } },
  }, async (request) => app.push.list(currentUser(request)));

  app.post('/', {
    config: ADMIN,
    schema: {
      tags: ['mobile'], summary: 'Add a push device: a camera of network mobile and its stream key (shown only in this answer)', body: NewPushDevice,
      response: { 201: IssuedPushKey, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => {
    const { cameraId, streamKey } = await app.push.create(currentUser(request), request.body, request.ip);
    return reply.status(201).send({ cameraId, streamKey, rtmpUrl: app.rtmpUrl(streamKey, request.host) });
  });

  app.post('/:id/rotate', {
    config: ADMIN,
    schema: {
      tags: ['mobile'], summary: 'A new stream key (shown only in this answer); the old one stops working and its publisher is cut off', params: IdParams,
      response: { 200: IssuedPushKey, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const { cameraId, streamKey } = await app.push.rotate(currentUser(request), request.params.id, request.ip);
    app.rtmpIngest?.kick(cameraId);
    return { cameraId, streamKey, rtmpUrl: app.rtmpUrl(streamKey, request.host) };
  });

  app.post('/:id/revoke', {
    config: ADMIN,
    schema: {
      tags: ['mobile'], summary: 'Revoke the stream key: its publisher is cut off and later publishes are refused (and audited)', params: IdParams,
      response: { 204: Type.Null(), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => {
    await app.push.revoke(currentUser(request), request.params.id, request.ip);
    app.rtmpIngest?.kick(request.params.id);
    return reply.status(204).send(null);
  });
};

export default routes;
