// The camera catalogue in your area: list, read, edit (a new orgUnitId moves the camera), delete. The use cases are
// in server/cameras/service.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Camera, CameraPage, CameraQuery, CameraUpdate, ErrorBody, IdParams } from '../../../contracts/api';
import { currentUser } from '../../../plugins/auth';
import ptzRoutes from './ptz';
import snapshotRoutes from './snapshot';

const EDITORS = { roles: ['admin' as const, 'county_operator' as const, 'township_officer' as const] };

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    schema: {
      tags: ['cameras'], summary: 'Cameras in your scope, filtered and paged',
      querystring: CameraQuery, response: { 200: CameraPage, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => app.cameras.list(currentUser(request).scopePath, request.query));

  app.get('/:id', {
    schema: { tags: ['cameras'], summary: 'One camera', params: IdParams, response: { 200: Camera, 401: ErrorBody, 404: ErrorBody } },
  }, async (request) => app.cameras.visible(currentUser(request).scopePath, request.params.id));

  app.patch('/:id', {
    schema: {
      tags: ['cameras'], summary: 'Edit a camera’s catalogue entry; a new orgUnitId moves it (inside your area)', params: IdParams, body: CameraUpdate,
      response: { 200: Camera, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const camera = await app.cameras.update(currentUser(request), request.params.id, request.body, request.ip);
    // A camera moved to another unit or network may fall under another default recording plan.
    await app.recordings.plans.reapply(camera.id);
    return camera;
  });

  app.delete('/:id', {
    config: EDITORS,
    schema: {
      tags: ['cameras'], summary: 'Remove a camera from the catalogue (not one that hidden-danger evidence names: 409); its live relays stop',
      params: IdParams, response: { 204: Type.Null(), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request, reply) => {
    await app.cameras.delete(currentUser(request), request.params.id, request.ip);
    // Unpin first: a recorded camera's relay would otherwise be started again for a camera that is gone.
    app.recordings.recorder.forget(request.params.id);
    app.relays.stop(request.params.id);
    // A push device's key went with the camera (ON DELETE CASCADE): cut off its publisher too.
    app.rtmpIngest?.kick(request.params.id);
    return reply.status(204).send(null);
  });

  await app.register(snapshotRoutes);
  await app.register(ptzRoutes);
};

export default routes;
