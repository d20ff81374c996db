// PTZ control (server/ptz/) wired into the app: one ONVIF driver with its cached camera clients, and the service
// holding the control locks, the move watchdog and the idle sweep; both stop with the app.
import fp from 'fastify-plugin';
import { OnvifPtz } from '../ptz/onvif-ptz';
import { PtzService } from '../ptz/service';

declare module 'fastify' {
  interface FastifyInstance {
    ptz: PtzService;
  }
}

export default fp(
  async (app) => {
    const driver = new OnvifPtz({ timeoutMs: 5_000, idleMs: 5 * 60_000 });
    const ptz = new PtzService({
      db: app.db, repos: app.repos, publisher: app.realtime, cameras: app.cameras, driver, log: app.log,
    });
    app.decorate('ptz', ptz);
    await ptz.start();
    app.addHook('onClose', async () => {
      await ptz.close();
      driver.close();
    });
  },
  { name: 'ptz', dependencies: ['database', 'realtime', 'cameras'] },
);
