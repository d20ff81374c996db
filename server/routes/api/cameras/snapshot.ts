// GET /api/cameras/:id/snapshot.jpg for staff: the camera must be in the caller's area (404 otherwise, as if
// absent). Never starts a relay: a running relay's key frame, else the camera's own ONVIF snapshot.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody, IdParams } from '../../../contracts/api';
import { currentUser } from '../../../plugins/auth';
import { snapshotRateLimit, snapshotResponder } from '../../snapshot/answer';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const answer = snapshotResponder(app);

  app.get('/:id/snapshot.jpg', {
    config: { rateLimit: snapshotRateLimit() },
    schema: {
      tags: ['cameras'], summary: 'A JPEG of the camera now (≤ 640 px wide from a running relay; else the camera’s own snapshot)',
      params: IdParams,
      response: {
        200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'image/jpeg' }),
        401: ErrorBody, 404: ErrorBody, 429: ErrorBody, 502: ErrorBody, 503: ErrorBody, 504: ErrorBody,
      },
    },
  }, async (request, reply) => {
    const user = currentUser(request);
    const { id } = request.params;
    const camera = await app.cameras.visible(user.scopePath, id);
    return answer(request, reply, id, async () => camera.orgUnitId, {
      key: `u${user.id}`,
      audit: { actorType: 'user', actorId: user.id, actorName: user.username },
      showSource: true,
    });
  });
};

export default routes;
