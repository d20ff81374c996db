// Wires the framework-free dispatch service (server/dispatch) into the app and runs the overdue and re-check scanner.
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Taxonomy } from '../contracts/dispatch';
import type { Actor } from '../dispatch/permissions';
import { DispatchService } from '../dispatch/service';
import { loadTaxonomy } from '../dispatch/taxonomy';
import { periodic } from '../db/leadership';
import { currentUser } from './auth';
import { JOBS } from './cluster';

declare module 'fastify' {
  interface FastifyInstance {
    dispatch: DispatchService;
    dangerTaxonomy: Taxonomy;
  }
}

/** The signed-in user as the dispatch rules see them: with their org unit's level and parent. */
export function actorOf(request: FastifyRequest): Promise<Actor> {
  return request.server.dispatch.actor(currentUser(request));
}

export default fp(
  async (app) => {
    const settings = app.config.dispatch;
    const taxonomy = loadTaxonomy(settings.taxonomyFile || undefined);
    const service = new DispatchService({
      db: app.db, repos: app.repos, publisher: app.realtime, dataDir: app.config.dataDir, taxonomy,
      // 复核: the frame beside the tag frame at 反馈 comes from the snapshot service (never starts a relay).
      grabFrame: (cameraId) => app.snapshots.snapshot(cameraId),
      // A tag keeps 30 s before to 30 s after as a locked clip (rewind ring + post-roll recording).
      clips: app.recordings.clips,
    });
    app.decorate('dispatch', service);
    app.decorate('dangerTaxonomy', taxonomy);

    if (settings.overdueScanSec > 0) {
      // On one node of a cluster at a time (server/db/README.md "Leadership"). The same tick announces 复查
      // re-checks that came due: both are "scheduled work over the workflow tables".
      const stop = periodic(app.cluster.leadership.job(JOBS.dispatch), settings.overdueScanSec * 1000, async () => {
        const overdue = await service.scanOverdue();
        if (overdue) app.log.info({ overdue }, 'tasks marked overdue');
        const rechecks = await service.scanRecheckDue();
        if (rechecks) app.log.info({ rechecks }, 're-checks came due');
      }, (err) => app.log.warn({ err }, 'overdue / re-check scan failed'));
      app.addHook('preClose', async () => stop());
    }
  },
  { name: 'dispatch', dependencies: ['database', 'cluster', 'realtime', 'snapshots', 'recording'] },
);
