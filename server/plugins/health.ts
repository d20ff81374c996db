// The periodic camera health checker (server/discovery/health), reporting batches to the camera service's status
// recorder.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { checkCamera, type CheckerOptions, HealthChecker } from '../discovery/health/checker';
import { JOBS } from './cluster';

declare module 'fastify' {
  interface FastifyInstance {
    /** The periodic checker; null when config.health.enabled is false. */
    healthChecker: HealthChecker | null;
  }
}

/** The checker as the app wires it (config, catalogue, batched status writes); bench:health runs one cycle of it. */
export function buildHealthChecker(app: FastifyInstance, overrides: Partial<CheckerOptions> = {}): HealthChecker {
  const { health } = app.config;
  return new HealthChecker({
    cycleMs: health.cycleMinutes * 60_000,
    concurrency: health.concurrency,
    timeoutMs: health.timeoutMs,
    page: (after, limit) => app.repos.health.page(after, limit),
    count: () => app.repos.cameras.count(),
    check: checkCamera,
    onResults: async (results) => {
      await app.cameras.recordStatuses(results.map((r) => ({ cameraId: r.target.id, status: r.outcome.status, reason: r.outcome.reason })));
    },
    onError: (err) => app.log.warn({ err }, 'health check failed'),
    ...overrides,
  });
}

export default fp(
  async (app) => {
    const cycleMs = app.config.health.cycleMinutes * 60_000;
    const checker = app.config.health.enabled ? buildHealthChecker(app) : null;
    app.decorate('healthChecker', checker);
    // The first cycle waits a little (up to 30 s): a restart should not probe every camera at the same moment.
    // On a cluster only the node that leads the health checks runs them, and the next one takes over when it dies
    // (server/db/README.md "Leadership"); its first cycle waits the same way.
    let first: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      if (!checker) return;
      const job = app.cluster.leadership.job(JOBS.health);
      job.onGain(() => {
        clearTimeout(first);
        first = setTimeout(() => {
          if (!job.isLeader()) return;
          job.noteRun();
          checker.start();
        }, Math.min(cycleMs, 30_000)).unref();
      });
      job.onLose(() => {
        clearTimeout(first);
        return checker.stop();
      });
    });
    app.addHook('onClose', async () => {
      clearTimeout(first);
      await checker?.stop();
    });
  },
  { name: 'health', dependencies: ['database', 'cluster', 'cameras'] },
);
