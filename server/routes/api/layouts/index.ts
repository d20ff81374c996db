// Saved wall layouts of the signed-in user: named, one of them the default restored at login.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody, IdParams } from '../../../contracts/api';
import { LayoutChange, NewLayout, SavedLayout, TILE_COUNT, type WallLayoutKind } from '../../../contracts/layouts';
import { inScope } from '../../../domain/scope';
import { BadRequestError, NotFoundError } from '../../../errors';
import { currentUser } from '../../../plugins/auth';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  async function ownLayout(userId: number, id: number) {
    const layout = await app.repos.layouts.get(userId, id);
    if (!layout) throw new NotFoundError(`Layout ${id}`);
    return layout;
  }

  /** Every camera must fit the layout and be visible to the user; the error names the offending tile. */
  async function checkCameras(scopePath: string, layout: WallLayoutKind, cameraIds: (number | null)[]) {
    if (cameraIds.length > TILE_COUNT[layout]) {
      throw new BadRequestError(`cameraIds has ${cameraIds.length} tiles but layout ${layout} has ${TILE_COUNT[layout]}`, 'cameraIds');
    }
    const ids = cameraIds.filter((id): id is number => id !== null);
    const paths = await app.repos.cameras.orgPaths(ids);
    cameraIds.forEach((id, i) => {
      if (id === null) return;
      const path = paths.get(id);
      if (path === undefined || !inScope(scopePath, path)) throw new BadRequestError(`cameraIds.${i}: camera ${id} not found`, `cameraIds.${i}`);
    });
  }

  app.get('/', {
    schema: { tags: ['layouts'], summary: 'Your saved wall layouts, the default first', response: { 200: Type.Array(SavedLayout), 401: ErrorBody } },
  }, async (request) => app.repos.layouts.list(currentUser(request).id));

  app.post('/', {
    schema: {
      tags: ['layouts'], summary: 'Save the wall as a named layout', body: NewLayout,
      response: { 201: SavedLayout, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody },
    },
  }, async (request, reply) => {
    const user = currentUser(request);
    const { name, layout, cameraIds, isDefault = false } = request.body;
    await checkCameras(user.scopePath, layout, cameraIds);
    const id = (await app.repos.layouts.save(user.id, { name, layout, cameraIds, isDefault }))!;
    return reply.status(201).send(await ownLayout(user.id, id));
  });

  app.put('/:id', {
    schema: {
      tags: ['layouts'], summary: 'Rename, change or make default a saved layout', params: IdParams, body: LayoutChange,
      response: { 200: SavedLayout, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request) => {
    const user = currentUser(request);
    const merged = { ...(await ownLayout(user.id, request.params.id)), ...request.body };
    await checkCameras(user.scopePath, merged.layout, merged.cameraIds);
    // Deleted meanwhile (another tab): nothing was written.
    if ((await app.repos.layouts.save(user.id, merged, merged.id)) === undefined) throw new NotFoundError(`Layout ${merged.id}`);
    return ownLayout(user.id, merged.id);
  });

  app.delete('/:id', {
    schema: { tags: ['layouts'], summary: 'Delete a saved layout', params: IdParams, response: { 204: Type.Null(), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (request, reply) => {
    if (!(await app.repos.layouts.delete(currentUser(request).id, request.params.id))) throw new NotFoundError(`Layout ${request.params.id}`);
    return reply.status(204).send(null);
  });
};

export default routes;
