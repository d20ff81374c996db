import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody, LoginBody, SessionInfo } from '../../../contracts/api';
import { publicUser } from '../../../db/repositories/users';
import { UnauthorizedError } from '../../../errors';
import { currentUser } from '../../../plugins/auth';
import { DUMMY_HASH, verifyPassword } from '../../../security/passwords';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/login', {
    config: { auth: 'public', rateLimit: { max: app.config.login.maxAttemptsPerMinute, timeWindow: 60_000 } },
    schema: {
      tags: ['auth'], summary: 'Sign in; sets the session cookie', body: LoginBody,
      response: { 200: SessionInfo, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody },
    },
  }, async (request, reply) => {
    const { username, password } = request.body;
    const row = await app.repos.users.credentials(username);
    // Verify against a dummy hash for unknown users so response time does not reveal which usernames exist.
    const ok = await verifyPassword(password, row?.passwordHash ?? DUMMY_HASH);
    if (!row || !ok || row.disabled) {
      // No user id on a failure, only the name that was tried; the reason is for admins reading the log.
      const reason = !row ? 'unknown-user' : row.disabled ? 'disabled' : 'wrong-password';
      await app.repos.audit.record({
        actorType: 'anonymous', actorName: username.slice(0, 64), action: 'auth.login-failed', targetType: 'user', detail: { reason }, ip: request.ip,
      });
      throw new UnauthorizedError('Wrong username or password');
    }
    const { csrfToken } = await app.sessions.open(reply, row.id, request);
    const user = (await app.repos.users.byId(row.id))!;
    await app.repos.audit.record({
      actorType: 'user', actorId: user.id, actorName: user.username, action: 'auth.login', targetType: 'user', targetId: user.id,
      orgUnitId: user.orgUnitId, ip: request.ip,
    });
    return { user: publicUser(user), csrfToken };
  });

  app.get('/me', {
    schema: { tags: ['auth'], summary: 'The signed-in user and CSRF token', response: { 200: SessionInfo, 401: ErrorBody } },
  }, async (request) => ({ user: publicUser(currentUser(request)), csrfToken: request.session!.csrfToken }));

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
