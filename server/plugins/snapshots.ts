// Camera snapshots (server/media/snapshot.ts) wired into the app: a running relay's key frame through ffmpeg when
// ffmpeg is on PATH (looked up once, here), else the camera's ONVIF snapshot address with its stored credentials.
import fp from 'fastify-plugin';
import { FrameGrabber, SnapshotService, findFfmpeg } from '../media/snapshot';

declare module 'fastify' {
  interface FastifyInstance {
    snapshots: SnapshotService;
  }
}

export default fp(
  async (app) => {
    const ffmpeg = findFfmpeg();
    // Two at a time: a 720p key frame decodes and scales in ~0.1 s on one thread, so a grid of 50 thumbnails
    // takes a few seconds of one core instead of 50 processes fighting for two.
    const grabber = ffmpeg ? new FrameGrabber(ffmpeg, { maxWidth: 640, maxConcurrent: 2, timeoutMs: 5_000 }) : null;
    const snapshots = new SnapshotService({
      latestSegment: (cameraId) => app.relays.latestSegment(cameraId),
      // A camera deleted meanwhile has no snapshot address either.
      snapshotSource: async (cameraId) => (await app.repos.cameras.snapshotSource(cameraId)) ?? null,
      grabber,
      fetch: { timeoutMs: 5_000 },
      cacheMs: 10_000,
    });
    app.log.info(`snapshots: ${snapshots.describe()}`);
    app.decorate('snapshots', snapshots);
  },
  { name: 'snapshots', dependencies: ['database', 'media'] },
);
