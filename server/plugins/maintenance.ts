// Wires the framework-free maintenance-ticket service (server/maintenance) into the app and runs its sweep: dark
// cameras past the threshold get a ticket, tickets of cameras seen online again end 已恢复.
import fp from 'fastify-plugin';
import { checkCamera } from '../discovery/health/checker';
import { periodic } from '../db/leadership';
import { MaintenanceService } from '../maintenance/service';
import { JOBS } from './cluster';

declare module 'fastify' {
  interface FastifyInstance {
    maintenance: MaintenanceService;
  }
}

export default fp(
  async (app) => {
    const settings = app.config.maintenance;
    const service = new MaintenanceService({
      db: app.db, repos: app.repos, publisher: app.realtime,
      offlineMinutes: () => settings.offlineMinutes,
      // The same probe as the periodic checks; its outcome is recorded like theirs.
      checkNow: async (cameraId) => {
        const [target] = await app.repos.health.page(cameraId - 1, 1);
        if (!target || target.id !== cameraId) return false;
        const outcome = await checkCamera(target, app.config.health.timeoutMs);
        await app.cameras.recordStatus(cameraId, outcome.status, outcome.reason);
        return outcome.status === 'online';
      },
    });
    app.decorate('maintenance', service);

    if (settings.sweepSec > 0) {
      // On one node of a cluster at a time: two sweeps at once could open the same camera's ticket twice.
      const stop = periodic(app.cluster.leadership.job(JOBS.maintenance), settings.sweepSec * 1000, async () => {
        const r = await service.sweep();
        if (r.opened || r.recovered || r.closed) app.log.info(r, 'maintenance tickets swept');
      }, (err) => app.log.warn({ err }, 'maintenance sweep failed'));
      app.addHook('preClose', async () => stop());
    }
  },
  { name: 'maintenance', dependencies: ['database', 'cluster', 'realtime', 'cameras'] },
);
