// The org tree: the lazy tree every signed-in user reads inside their area, name paths, and the administration of
// units by administrators (组织机构: create, rename, move, delete), whose use cases are in server/org/service.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody, IdParams, OrgUnit, OrgUnitPath, OrgUnitPathsQuery, OrgUnitQuery } from '../../../contracts/api';
import { OrgUnitCreateBody, OrgUnitMoveBody, OrgUnitUpdateBody } from '../../../contracts/org';
import { inScope } from '../../../domain/scope';
import { visibleUnit } from '../../../org/visible-unit';
import { NotFoundError } from '../../../errors';
import { currentUser } from '../../../plugins/auth';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/units', {
    schema: {
      tags: ['org'], summary: 'Your scope root, or the children of a unit inside your scope (lazy tree)',
      querystring: OrgUnitQuery, response: { 200: Type.Array(OrgUnit), 401: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const user = currentUser(request);
    const { parentId } = request.query;
    if (parentId === undefined) {
      const root = await app.repos.orgUnits.withCounts(user.orgUnitId);
      if (!root) throw new NotFoundError(`Your org unit ${user.orgUnitId}`);
      return [root];
    }
    await visibleUnit(app.repos.orgUnits, user.scopePath, parentId, 'parentId');
    return app.repos.orgUnits.children(parentId);
  });

  app.get('/units/paths', {
    schema: {
      tags: ['org'], summary: 'Name paths of units in your scope (ids outside it, or unknown, are left out)',
      querystring: OrgUnitPathsQuery, response: { 200: Type.Array(OrgUnitPath), 400: ErrorBody, 401: ErrorBody },
    },
  }, async (request) => {
    const user = currentUser(request);
    const ids = [...new Set(request.query.ids.split(',').map(Number))];
    const paths = await app.repos.orgUnits.namePaths(ids);
    // Outside the scope is absent, as everywhere: no name of another township leaks through this list.
    return paths.filter((p) => inScope(user.scopePath, p.unitPath)).map(({ id, level, path, pathEn }) => ({ id, level, path, pathEn }));
  });

  // Administrators only, and only inside their own area (a unit elsewhere answers 404, as if absent).
  const ADMINS = { roles: ['admin' as const] };

  app.post('/units', {
    config: ADMINS,
    schema: {
      tags: ['org'], summary: 'Create a unit one level below parentId (county → township → village → compound)', body: OrgUnitCreateBody,
      response: { 201: OrgUnit, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request, reply) => reply.status(201).send(await app.org.create(currentUser(request), request.body, request.ip)));

  app.patch('/units/:id', {
    config: ADMINS,
    schema: {
      tags: ['org'], summary: 'Rename a unit (name, nameEn) or change its code', params: IdParams, body: OrgUnitUpdateBody,
      response: { 200: OrgUnit, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request) => app.org.update(currentUser(request), request.params.id, request.body, request.ip));

  app.post('/units/:id/move', {
    config: ADMINS,
    schema: {
      tags: ['org'],
      summary: 'Move a unit and its whole subtree under a new parent of the level above; every stored path is rewritten in one transaction',
      params: IdParams, body: OrgUnitMoveBody,
      response: { 200: OrgUnit, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request) => app.org.move(currentUser(request), request.params.id, request.body.parentId, request.ip));

  app.delete('/units/:id', {
    config: ADMINS,
    schema: {
      tags: ['org'], summary: 'Delete an empty unit (409 naming what is left: child units, cameras, users, dangers, tasks, links …)',
      params: IdParams, response: { 204: Type.Null(), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request, reply) => {
    await app.org.delete(currentUser(request), request.params.id, request.ip);
    return reply.status(204).send(null);
  });
};

export default routes;
