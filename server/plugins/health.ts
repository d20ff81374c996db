// Camera status: the one place a status observation is written and pushed (relays, health checks and discovery
// all call app.cameraStatus.record), and the periodic health checker.
import fp from 'fastify-plugin';
import { checkCamera, HealthChecker } from '../discovery/health/checker';
import type { CameraStatus } from '../contracts/api';
import { pathIds } from '../domain/scope';

export interface CameraStatusRecorder {
  /** Stores the observation; publishes 'camera:status' to the camera's unit only when status or reason changed. */
  record(cameraId: number, status: CameraStatus, reason: string | null, media?: { codec?: string; width?: number; height?: number }): Promise<boolean>;
}

declare module 'fastify' {
  interface FastifyInstance {
    cameraStatus: CameraStatusRecorder;
    /** The periodic checker; null when config.health.enabled is false. */
    healthChecker: HealthChecker | null;
  }
}

export default fp(
  async (app) => {
    const cameraStatus: CameraStatusRecorder = {
      async record(cameraId, status, reason, media) {
        const previousStatus = await app.repos.cameras.setStatus(cameraId, status, reason, media);
        if (previousStatus === null) return false;
        const camera = await app.repos.cameras.byId(cameraId);
        await app.realtime.publish(camera.orgPath, 'camera:status', {
          cameraId, orgUnitId: camera.orgUnitId, orgUnitPath: pathIds(camera.orgPath), previousStatus,
          status: camera.status, reason: camera.statusReason, lastSeenAt: camera.lastSeenAt,
        });
        return true;
      },
    };
    app.decorate('cameraStatus', cameraStatus);

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
          await cameraStatus.record(target.id, outcome.status, outcome.reason);
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
  { name: 'health', dependencies: ['database', 'realtime'] },
);
