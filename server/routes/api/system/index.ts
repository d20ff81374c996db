import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ClusterStatus, ErrorBody, Health, Network } from '../../../contracts/api';

const VERSION = process.env.npm_package_version ?? '0.1.0';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', {
    config: { auth: 'public' },
    schema: { tags: ['system'], summary: 'Liveness and a database round trip', response: { 200: Health } },
  }, async () => ({ status: 'ok' as const, version: VERSION, uptimeSec: Math.round(process.uptime()), cameras: await app.repos.cameras.count() }));

  app.get('/networks', {
    schema: { tags: ['system'], summary: 'Camera networks (天网, 雪亮, …) with UI labels and colours', response: { 200: Type.Array(Network), 401: ErrorBody } },
  }, async () => app.repos.networks.list());

  app.get('/system/jobs', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['system'], summary: 'Which gateway node runs each run-once job (overdue scan, health checks, retention, …)',
      response: { 200: ClusterStatus, 401: ErrorBody, 403: ErrorBody },
    },
  }, async () => ({ node: app.cluster.nodeId, jobs: await app.cluster.leadership.status() }));
};

export default routes;
