// Wires the framework-free patrol service (server/patrol) into the app and runs its two timers: the scheduler that
// turns shifts into runs, and the overdue scanner. Both share the dispatch scan period (dispatch.overdueScanSec,
// default 60 s): a run falls due at most that long after its shift, as a task becomes overdue.
import fp from 'fastify-plugin';
import { PatrolService, type PatrolCaller } from '../patrol/service';
import { periodic } from '../db/leadership';
import { currentUser } from './auth';
import { JOBS } from './cluster';
import type { FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    patrol: PatrolService;
  }
}

export function patrolCaller(request: FastifyRequest): PatrolCaller {
  const { id, username, role, orgUnitId, scopePath } = currentUser(request);
  return { id, username, role, orgUnitId, scopePath };
}

export default fp(
  async (app) => {
    const service = new PatrolService({
      db: app.db, repos: app.repos, publisher: app.realtime, dataDir: app.config.dataDir,
      // 画面异常 in a patrol opens a maintenance ticket (运维工单) for the camera, or finds the open one.
      onAbnormal: async ({ cameraId, note, by }) => {
        await app.maintenance.openForCamera(cameraId, 'picture', { note, caller: by });
      },
    });
    app.decorate('patrol', service);

    const periodSec = app.config.dispatch.overdueScanSec;
    if (periodSec > 0) {
      // On one node of a cluster at a time: two nodes would both turn one shift into a run.
      const stop = periodic(app.cluster.leadership.job(JOBS.patrol), periodSec * 1000, async () => {
        const created = await service.scheduleDue();
        const overdue = await service.scanOverdue();
        if (created || overdue) app.log.info({ created, overdue }, 'patrol runs scheduled / marked overdue');
      }, (err) => app.log.warn({ err }, 'patrol scan failed'));
      app.addHook('preClose', async () => stop());
    }
  },
  { name: 'patrol', dependencies: ['database', 'cluster', 'realtime', 'maintenance'] },
);
