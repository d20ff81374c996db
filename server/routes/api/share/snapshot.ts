// GET /api/share/cameras/:cameraId/snapshot.jpg?v=<viewer token> for residents: the same checks as their live
// playlist (a valid viewer token of a usable link that holds the camera; 401 for an unknown, expired or revoked
// link, 404 for a camera outside the link) and the same per-token rate limit. A thumbnail does not count as a
// viewer of the link (maxViewers is about people watching video).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody, LiveParams } from '../../../contracts/api';
import { UnauthorizedError } from '../../../errors';
import { LINK_INVALID } from '../../../share/service';
import { snapshotRateLimit, snapshotResponder } from '../../snapshot/answer';

const SnapshotQuery = Type.Object({
  v: Type.Optional(Type.String({ minLength: 10, maxLength: 300, description: 'Resident viewer token' })),
  t: Type.Optional(Type.Integer({ minimum: 0, description: 'Ignored: lets a page refresh a thumbnail past the browser\'s image cache' })),
});

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const answer = snapshotResponder(app);

  app.get('/cameras/:cameraId/snapshot.jpg', {
    config: { auth: 'custom', rateLimit: snapshotRateLimit() },
    schema: {
      tags: ['share'], summary: 'A JPEG of one of the link’s cameras (resident viewer token)', params: LiveParams, querystring: SnapshotQuery,
      response: {
        200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'image/jpeg' }),
        401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 429: ErrorBody, 502: ErrorBody, 503: ErrorBody, 504: ErrorBody,
      },
    },
  }, async (request, reply) => {
    const { cameraId } = request.params;
    const token = request.query.v;
    if (!token) throw new UnauthorizedError(LINK_INVALID);
    const grant = await app.share.authorizeViewer(token, cameraId, false);
    // Not audited per thumbnail (see SnapshotViewer.audit): the link's opening is, with its cameras.
    return answer(request, reply, cameraId, async () => null, { key: `r${grant.linkId}:${grant.device}` });
  });
};

export default routes;
