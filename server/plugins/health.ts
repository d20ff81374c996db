// Camera status: the one place a status observation is written and pushed (relays, health checks and discovery
// all call app.cameraStatus.record), and the periodic health checker.
import fp from 'fastify-plugin';
import type { CameraStatus } from '../contracts/api';
import { pathIds } from '../domain/scope';

export interface CameraStatusRecorder {
  /** Stores the observation; publishes 'camera:status' to the camera's unit only when status or reason changed. */
  record(cameraId: number, status: CameraStatus, reason: string | null, media?: { codec?: string; width?: number; height?: number }): Promise<boolean>;
}

declare module 'fastify' {
  interface FastifyInstance {
    cameraStatus: CameraStatusRecorder;
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
  },
  { name: 'health', dependencies: ['database', 'realtime'] },
);
