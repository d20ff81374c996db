// 随手拍 (server/share/reports.ts) wired into the app: the dispatch taxonomy's resident categories, the snapshot
// service for the frame, the event publisher for the village's real-time push.
import fp from 'fastify-plugin';
import { ResidentReportService } from '../share/reports';

declare module 'fastify' {
  interface FastifyInstance {
    residentReports: ResidentReportService;
  }
}

export default fp(
  async (app) => {
    app.decorate('residentReports', new ResidentReportService({
      db: app.db, repos: app.repos, publisher: app.realtime, dataDir: app.config.dataDir, taxonomy: app.dangerTaxonomy,
      grabFrame: (cameraId) => app.snapshots.snapshot(cameraId),
    }));
  },
  { name: 'resident-reports', dependencies: ['database', 'realtime', 'snapshots', 'share', 'dispatch'] },
);
