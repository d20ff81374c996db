import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Camera, CameraPage, CameraQuery, CameraUpdate, ErrorBody, IdParams } from '../../../contracts/api';
import { canEditCamera, inScope } from '../../../domain/scope';
import { ForbiddenError, NotFoundError } from '../../../errors';
import { currentUser } from '../../../plugins/auth';
import snapshotRoutes from './snapshot';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  /** A camera the user may see, or 404 (cameras outside the scope do not exist for this user). */
  async function visibleCamera(scopePath: string, id: number) {
    const camera = await app.repos.cameras.byId(id).catch(() => undefined);
    if (!camera || !inScope(scopePath, camera.orgPath)) throw new NotFoundError(`Camera ${id}`);
    return camera;
  }

  app.get('/', {
    schema: {
      tags: ['cameras'], summary: 'Cameras in your scope, filtered and paged',
      querystring: CameraQuery, response: { 200: CameraPage, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => app.repos.cameras.list(currentUser(request).scopePath, request.query));

  app.get('/:id', {
    schema: { tags: ['cameras'], summary: 'One camera', params: IdParams, response: { 200: Camera, 401: ErrorBody, 404: ErrorBody } },
  }, async (request) => visibleCamera(currentUser(request).scopePath, request.params.id));

  app.patch('/:id', {
    schema: {
      tags: ['cameras'], summary: 'Edit a camera’s catalogue entry', params: IdParams, body: CameraUpdate,
      response: { 200: Camera, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const user = currentUser(request);
    const camera = await visibleCamera(user.scopePath, request.params.id);
    const target = request.body.orgUnitId === undefined ? undefined : await app.repos.orgUnits.byId(request.body.orgUnitId);
    if (!canEditCamera(user.scopePath, camera.orgPath, target?.path)) throw new ForbiddenError('orgUnitId is outside your area');
    await app.repos.cameras.update(camera.id, { ...request.body, orgPath: target?.path });
    await app.repos.audit.record({
      actorType: 'user', actorId: user.id, actorName: user.username, action: 'camera.update',
      targetType: 'camera', targetId: camera.id, orgUnitId: camera.orgUnitId, ip: request.ip,
      detail: { fields: Object.keys(request.body), ...(target && target.id !== camera.orgUnitId ? { movedTo: target.id } : {}) },
    });
    return app.repos.cameras.byId(camera.id);
  });

  await app.register(snapshotRoutes);
};

export default routes;
