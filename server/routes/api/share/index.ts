// Resident side: open a link with its token. No session; the answer carries the viewer token that every
// playlist, segment and snapshot URL of this resident carries from then on.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '../../../contracts/api';
import { OpenShare, ResidentView } from '../../../contracts/share';
import reportRoutes from './reports';
import rewindRoutes from './rewind';
import snapshotRoutes from './snapshot';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/open', {
    // Tokens are 256-bit, so this limit is against floods, not guessing: a whole compound behind one NAT must get in.
    config: { auth: 'public', rateLimit: { max: 300, timeWindow: 60_000 } },
    schema: {
      tags: ['share'], summary: 'Open a resident link (no login)', body: OpenShare,
      response: { 200: ResidentView, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody },
    },
  }, async (request) => ({
    ...(await app.share.open(request.body.token, request.body.device, request.ip)),
    reportCategories: app.residentReports.categories(),
  }));

  await app.register(snapshotRoutes);
  await app.register(reportRoutes);
  await app.register(rewindRoutes);
};

export default routes;
