// Cookie sessions for staff users. Every route declares config.auth ('session' by default under /api and /live,
// 'public' elsewhere; 'custom' when the route checks access itself, e.g. share tokens) and optionally config.roles.
// Unsafe methods on session routes must echo the session's CSRF token in x-csrf-token: the cookie is
// SameSite=Strict as well, but the header makes cross-site form posts fail even where SameSite is ignored.
import cookie from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '../contracts/api';
import type { SessionWithUser } from '../db/repositories/sessions';
import type { UserWithScope } from '../db/repositories/users';
import { ForbiddenError, UnauthorizedError } from '../errors';
import { newToken } from '../security/secrets';

export type AuthMode = 'session' | 'public' | 'custom';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthMode;
    roles?: Role[];
  }
  interface FastifyRequest {
    session: SessionWithUser | null;
  }
  interface FastifyInstance {
    /** Every route with its access rule, as registered: the authorisation matrix test is generated from it. */
    routeTable: RouteAccess[];
    sessions: {
      open(reply: FastifyReply, userId: number, request: FastifyRequest): Promise<{ csrfToken: string }>;
      close(request: FastifyRequest, reply: FastifyReply): Promise<void>;
      fromCookieHeader(header: string | undefined): Promise<SessionWithUser | null>;
    };
  }
}

export interface RouteAccess {
  method: string;
  url: string;
  auth: AuthMode;
  roles?: Role[];
  /**
   * The route's request schemas and declared response statuses: the route fuzzer (test/security/fuzz-routes.test.ts)
   * derives inputs from them and accepts a 5xx only where the route declares it (a camera that is down: 502).
   */
  schema?: { params?: unknown; querystring?: unknown; body?: unknown; statuses: number[] };
}

export const SESSION_COOKIE = 'cvc_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * An account created or reset by an administrator holds a password someone else has seen: until its user chooses
 * one (POST /api/account/password), only these routes answer; every other session route, /live included, is 403.
 */
const OPEN_BEFORE_PASSWORD_CHANGE = new Set(['GET /api/auth/me', 'HEAD /api/auth/me', 'POST /api/auth/logout', 'POST /api/account/password']);
export const PASSWORD_CHANGE_REQUIRED = 'Password change required: choose a new password (POST /api/account/password) before anything else';

/** The signed-in user of a session route (the hook guarantees one). */
export function currentUser(request: FastifyRequest): UserWithScope {
  if (!request.session) throw new UnauthorizedError();
  return request.session.user;
}

export default fp(
  async (app) => {
    await app.register(cookie);
    const ttlMs = app.config.session.ttlHours * 3600_000;
    const { repos, secrets } = app;

    const routeTable: RouteAccess[] = [];
    app.decorate('routeTable', routeTable);
    app.addHook('onRoute', (route) => {
      route.config ??= {};
      const config = route.config as { auth?: AuthMode; roles?: Role[] };
      config.auth ??= route.url.startsWith('/api/') || route.url.startsWith('/live/') ? 'session' : 'public';
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD') {
          const { params, querystring, body, response } = (route.schema ?? {}) as { params?: unknown; querystring?: unknown; body?: unknown; response?: object };
          const statuses = Object.keys(response ?? {}).map(Number).filter(Number.isInteger);
          routeTable.push({ method, url: route.url, auth: config.auth, roles: config.roles, schema: { params, querystring, body, statuses } });
        }
      }
    });
    app.decorateRequest('session', null);

    async function lookup(token: string | undefined): Promise<SessionWithUser | null> {
      if (!token || token.length > 100) return null;
      return (await repos.sessions.find(secrets.tokenHash(token))) ?? null;
    }

    app.decorate('sessions', {
      async open(reply, userId, request) {
        const token = newToken();
        const csrfToken = newToken();
        await repos.sessions.create({
          tokenHash: secrets.tokenHash(token), userId, csrfToken, ttlMs,
          ip: request.ip, userAgent: request.headers['user-agent']?.slice(0, 200),
        });
        reply.setCookie(SESSION_COOKIE, token, {
          path: '/', httpOnly: true, sameSite: 'strict', secure: app.config.session.secureCookie, maxAge: Math.floor(ttlMs / 1000),
        });
        return { csrfToken };
      },
      async close(request, reply) {
        if (request.session) await repos.sessions.delete(request.session.tokenHash);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
      },
      async fromCookieHeader(header) {
        return lookup(header ? app.parseCookie(header)[SESSION_COOKIE] : undefined);
      },
    });

    app.addHook('onRequest', async (request) => {
      const { auth, roles } = request.routeOptions.config;
      if (auth === 'public') return;
      request.session = await lookup(request.cookies[SESSION_COOKIE]);
      const passwordGate = () => {
        if (request.session?.mustChangePassword && !OPEN_BEFORE_PASSWORD_CHANGE.has(`${request.method} ${request.routeOptions.url}`)) {
          throw new ForbiddenError(PASSWORD_CHANGE_REQUIRED);
        }
      };
      if (auth === 'custom') return passwordGate();
      if (!request.session) throw new UnauthorizedError();
      if (UNSAFE.has(request.method) && request.headers['x-csrf-token'] !== request.session.csrfToken) {
        throw new ForbiddenError('Missing or wrong x-csrf-token header');
      }
      passwordGate();
      if (roles && !roles.includes(request.session.user.role)) throw new ForbiddenError(`Requires role ${roles.join(' or ')}`);
    });
  },
  { name: 'auth', dependencies: ['database'] },
);
