// 我的账户 for every signed-in user: change the password (also the way out of a forced change), list the sessions
// open in your name, end one. Thin routes over server/users/account.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody } from '../../../contracts/api';
import { AccountSession, ChangePasswordBody, SessionParams } from '../../../contracts/users';
import { SESSION_COOKIE } from '../../../plugins/auth';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/password', {
    // Throttled per address like sign-in: a wrong current password is a guess too.
    config: { rateLimit: { max: app.config.login.maxAttemptsPerMinute, timeWindow: 60_000, shared: true } },
    schema: {
      tags: ['account'], summary: 'Change your password (policy: at least 10 characters, not containing the username, not a common one); ends your other sessions',
      body: ChangePasswordBody, response: { 204: Type.Null(), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody },
    },
  }, async (request, reply) => {
    await app.account.changePassword(request.session!, request.body, request.ip);
    return reply.status(204).send(null);
  });

  app.get('/sessions', {
    schema: { tags: ['account'], summary: 'Your unexpired sessions, newest first; `current` marks this one', response: { 200: Type.Array(AccountSession), 401: ErrorBody, 403: ErrorBody } },
  }, async (request) => app.account.sessions(request.session!));

  app.delete('/sessions/:id', {
    schema: {
      tags: ['account'], summary: 'End one of your sessions (its live connections too); ending the current one signs you out',
      params: SessionParams, response: { 204: Type.Null(), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => {
    const { current } = await app.account.endSession(request.session!, request.params.id, request.ip);
    if (current) reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });
};

export default routes;
