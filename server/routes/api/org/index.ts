import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody, OrgUnit, OrgUnitQuery } from '../../../contracts/api';
import { inScope } from '../../../domain/scope';
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
    if (parentId === undefined) return [await app.repos.orgUnits.withCounts(user.orgUnitId)];
    const parent = await app.repos.orgUnits.byId(parentId).catch(() => undefined);
    // Out of scope looks exactly like absent: no hint that a unit exists elsewhere.
    if (!parent || !inScope(user.scopePath, parent.path)) throw new NotFoundError(`Org unit ${parentId}`, 'parentId');
    return app.repos.orgUnits.children(parentId);
  });
};

export default routes;
