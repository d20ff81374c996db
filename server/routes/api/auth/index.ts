import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody, LoginBody, SessionInfo } from '../../../contracts/api';
import { publicUser } from '../../../db/repositories/users';
import { currentUser } from '../../../plugins/auth';
import { AccountLockedError } from '../../../users/login';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/login', {
    config: { auth: 'public', rateLimit: { max: app.config.login.maxAttemptsPerMinute, timeWindow: 60_000, shared: true } },
    schema: {
      tags: ['auth'],
      summary: 'Sign in; sets the session cookie. 429 with Retry-After when the address is throttled or the username locked (wrong passwords in a row)',
      body: LoginBody,
      response: { 200: SessionInfo, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody },
    },
  }, async (request, reply) => {
    const { username, password } = request.body;
    let userId: number;
    try {
      userId = await app.logins.check(username, password, request.ip);
    } catch (err) {
      if (err instanceof AccountLockedError) reply.header('retry-after', String(err.retryAfterSec));
      throw err;
    }
    const { csrfToken } = await app.sessions.open(reply, userId, request);
    await app.logins.succeeded(userId);
    const user = (await app.repos.users.byId(userId))!;
    await app.repos.audit.record({
      actorType: 'user', actorId: user.id, actorName: user.username, action: 'auth.login', targetType: 'user', targetId: user.id,
      orgUnitId: user.orgUnitId, ip: request.ip,
    });
    const mustChangePassword = (await app.repos.users.managed(userId))!.mustChangePassword === 1;
    return { user: publicUser(user), csrfToken, mustChangePassword };
  });

  app.get('/me', {
    schema: { tags: ['auth'], summary: 'The signed-in user and CSRF token', response: { 200: SessionInfo, 401: ErrorBody } },
  }, async (request) => ({
    user: publicUser(currentUser(request)), csrfToken: request.session!.csrfToken, mustChangePassword: request.session!.mustChangePassword,
  }));

  app.post('/logout', {
    schema: { tags: ['auth'], summary: 'Sign out', response: { 204: Type.Null(), 401: ErrorBody, 403: ErrorBody } },
  }, async (request, reply) => {
    const user = currentUser(request);
    await app.sessions.close(request, reply);
    await app.repos.audit.record({
      actorType: 'user', actorId: user.id, actorName: user.username, action: 'auth.logout', targetType: 'user', targetId: user.id,
      orgUnitId: user.orgUnitId, ip: request.ip,
    });
    return reply.status(204).send(null);
  });
};

export default routes;
