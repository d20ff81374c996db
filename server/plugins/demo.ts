// Demo mode: on first start seed the demo county; when asked, run the simulated camera fleet beside the
// gateway (a child process, server/demo/simulator-process.ts).
import fp from 'fastify-plugin';
import { COMPOUND_NAME, DEMO_PLAN, generateCounty } from '../demo/county';

/** The demo's pushing devices (simulator indexes 3900+ are this feature's). */
const DEMO_PUSH_DEVICES = ['东城小区执法记录仪-3900', '东城小区巡查无人机-3901'];
import { isSeeded, seedCounty } from '../demo/seed';
import { type SimulatorProcess, simulatorPresent, startSimulator } from '../demo/simulator-process';

export default fp(
  async (app) => {
    if (!app.config.demo.enabled) return;
    const county = generateCounty(DEMO_PLAN);
    if (!(await isSeeded(app.db))) {
      const result = await seedCounty(app.db, app.repos, app.secrets, county, { simulatorNet: app.config.demo.simulatorNet });
      app.log.info(result, 'demo county seeded');
    }
    if (!app.config.demo.simulateCameras) return;
    if (!simulatorPresent()) {
      app.log.warn('camera simulator not present: demo cameras have no video');
      return;
    }
    let fleet: SimulatorProcess | undefined;
    app.addHook('onReady', async () => {
      // 移动视频: two pushing devices (a body camera, a drone) publish to the ingest when it runs; each start issues
      // them fresh keys (only hashes are stored, so the simulator is handed the key itself).
      const push: string[] = [];
      const ingestPort = app.rtmpIngest?.port;
      if (ingestPort) {
        const compound = await app.db.get<{ id: number }>('SELECT id FROM org_units WHERE name = ?', [COMPOUND_NAME]);
        for (const name of DEMO_PUSH_DEVICES) {
          if (!compound) break;
          const { streamKey } = await app.push.demoDevice(name, compound.id);
          push.push(`rtmp://127.0.0.1:${ingestPort}/live/${streamKey}`);
        }
      }
      fleet = startSimulator({ cameras: county.cameras.length, net: app.config.demo.simulatorNet, push });
      fleet.child.on('exit', (code, signal) => {
        if (code === 0 || signal === 'SIGTERM') return;
        // The fleet is deterministic, so when its addresses are taken it is usually another demo console's fleet
        // serving the very same cameras; the console keeps running either way.
        app.log.warn({ code, signal }, 'camera simulator exited (see its message above; another demo console may already serve these cameras)');
      });
      app.log.info({ cameras: county.cameras.length, pid: fleet.child.pid }, 'camera simulator started');
    });
    app.addHook('onClose', async () => {
      await fleet?.stop();
    });
  },
  { name: 'demo', dependencies: ['database'] },
);
