// Serves the built React app (dist/web) with a single-page fallback; API paths never fall back to HTML.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import { NotFoundError } from '../errors';

export const WEB_ROOT = resolve(import.meta.dirname, '../../dist/web');
const NEVER_THE_PAGE = ['/api/', '/live/', '/internal/', '/socket.io/', '/docs', '/assets/'];

export default fp(
  async (app) => {
    const hasWeb = existsSync(join(WEB_ROOT, 'index.html'));
    // wildcard: files are looked up per request, so a rebuild is served without a restart; a miss falls through
    // to the not-found handler below (the page for app URLs, 404 for assets and API paths).
    if (hasWeb) await app.register(fastifyStatic, { root: WEB_ROOT, wildcard: true, index: 'index.html' });
    else app.log.warn(`${WEB_ROOT} has no build: run "npm run build" for the web console`);

    app.setNotFoundHandler((request, reply) => {
      const wantsPage = request.method === 'GET' && !NEVER_THE_PAGE.some((p) => request.url.startsWith(p));
      if (hasWeb && wantsPage) return reply.type('text/html').sendFile('index.html');
      throw new NotFoundError(`${request.method} ${request.url.split('?')[0]}`);
    });
  },
  { name: 'web', dependencies: ['errors'] },
);
