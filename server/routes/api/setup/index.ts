// The one-time setup page's API. Public (there is nobody to sign in yet), guarded by the setup token instead;
// refused with 410 for good once any user exists.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '../../../contracts/api';
import { SetupBody, SetupResult, SetupStatus } from '../../../contracts/setup';
import { ForbiddenError } from '../../../errors';
import { createFirstAdmin, SetupDoneError } from '../../../setup/first-admin';
import { setupTokenMatches } from '../../../setup/setup-token';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { auth: 'public' },
    schema: { tags: ['setup'], summary: 'Whether the console still needs its first administrator (no secrets)', response: { 200: SetupStatus } },
  }, async () => app.setup.status());

  app.post('/', {
    // Guessing a 256-bit token is hopeless, but the same per-address throttle as the login keeps the attempts visible.
    config: { auth: 'public', rateLimit: { max: app.config.login.maxAttemptsPerMinute, timeWindow: 60_000, shared: true } },
    schema: {
      tags: ['setup'], summary: 'Create the county root and the first administrator with the setup token; 410 once any user exists',
      body: SetupBody,
      response: { 201: SetupResult, 400: ErrorBody, 403: ErrorBody, 409: ErrorBody, 410: ErrorBody, 429: ErrorBody },
    },
  }, async (request, reply) => {
    const { needed } = await app.setup.status();
    const token = app.setup.token();
    if (!needed || !token) throw new SetupDoneError();
    if (!setupTokenMatches(token, request.body.token)) {
      // Like a failed login: the name that was tried and the address, never the token.
      await app.repos.audit.record({
        actorType: 'anonymous', actorName: request.body.admin.username.slice(0, 64), action: 'setup.token-rejected', ip: request.ip,
      });
      throw new ForbiddenError('Wrong setup token: use the one printed on the server console or kept in <dataDir>/setup-token');
    }
    try {
      const created = await createFirstAdmin(app, { county: request.body.county, admin: request.body.admin }, { via: 'web', ip: request.ip });
      app.setup.finish();
      return reply.status(201).send({ user: { id: created.userId, username: created.username }, county: created.county });
    } catch (err) {
      // Someone else finished first (the CLI, or a second browser): the token is spent either way.
      if (err instanceof SetupDoneError) app.setup.finish();
      throw err;
    }
  });
};

export default routes;
