import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody, Health, Network } from '../../../contracts/api';

const VERSION = process.env.npm_package_version ?? '0.1.0';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', {
    config: { auth: 'public' },
    schema: { tags: ['system'], summary: 'Liveness and a database round trip', response: { 200: Health } },
  }, async () => ({ status: 'ok' as const, version: VERSION, uptimeSec: Math.round(process.uptime()), cameras: await app.repos.cameras.count() }));

  app.get('/networks', {
    schema: { tags: ['system'], summary: 'Camera networks (天网, 雪亮, …) with UI labels and colours', response: { 200: Type.Array(Network), 401: ErrorBody } },
  }, async () => app.repos.networks.list());
};

export default routes;
