// The periodic camera health checker (server/discovery/health), reporting to the camera service's status recorder.
import fp from 'fastify-plugin';
import { checkCamera, HealthChecker } from '../discovery/health/checker';

declare module 'fastify' {
  interface FastifyInstance {
    /** The periodic checker; null when config.health.enabled is false. */
    healthChecker: HealthChecker | null;
  }
}

export default fp(
  async (app) => {
    const { health } = app.config;
    const cycleMs = health.cycleMinutes * 60_000;
    const checker = health.enabled
      ? new HealthChecker({
        cycleMs,
        concurrency: health.concurrency,
        timeoutMs: health.timeoutMs,
        page: (after, limit) => app.repos.health.page(after, limit),
        count: () => app.repos.cameras.count(),
        check: checkCamera,
        onResult: async (target, outcome) => {
          await app.cameras.recordStatus(target.id, outcome.status, outcome.reason);
        },
        onError: (err) => app.log.warn({ err }, 'health check failed'),
      })
      : null;
    app.decorate('healthChecker', checker);
    // The first cycle waits a little (up to 30 s): a restart should not probe every camera at the same moment.
    let first: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      if (checker) first = setTimeout(() => checker.start(), Math.min(cycleMs, 30_000)).unref();
    });
    app.addHook('onClose', async () => {
      clearTimeout(first);
      await checker?.stop();
    });
  },
  { name: 'health', dependencies: ['database', 'cameras'] },
);
