import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody, OrgUnit, OrgUnitPath, OrgUnitPathsQuery, OrgUnitQuery } from '../../../contracts/api';
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
    return paths.filter((p) => inScope(user.scopePath, p.unitPath)).map(({ id, level, path }) => ({ id, level, path }));
  });
};

export default routes;
