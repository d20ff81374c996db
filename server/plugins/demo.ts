// Demo mode: on first start seed the demo county; when asked, run the simulated camera fleet beside the
// gateway (a child process, so its CPU and any crash stay apart from the gateway's).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fp from 'fastify-plugin';
import { DEMO_PLAN, generateCounty } from '../demo/county';
import { isSeeded, seedCounty } from '../demo/seed';

const SIMULATOR_CLI = resolve(import.meta.dirname, '../../scripts/simulator/cli.ts');

export default fp(
  async (app) => {
    if (!app.config.demo.enabled) return;
    const county = generateCounty(DEMO_PLAN);
    if (!(await isSeeded(app.db))) {
      const result = await seedCounty(app.db, app.repos, app.secrets, county, { simulatorNet: app.config.demo.simulatorNet });
      app.log.info(result, 'demo county seeded');
    }
    if (!app.config.demo.simulateCameras) return;
    if (!existsSync(SIMULATOR_CLI)) {
      app.log.warn('camera simulator not present: demo cameras have no video');
      return;
    }
    let fleet: ChildProcess | undefined;
    app.addHook('onReady', async () => {
      fleet = spawn(process.execPath, ['--import', 'tsx', SIMULATOR_CLI, '--cameras', String(county.cameras.length), '--net', String(app.config.demo.simulatorNet)], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      fleet.on('exit', (code, signal) => {
        if (code === 0 || signal === 'SIGTERM') return;
        // The fleet is deterministic, so when its addresses are taken it is usually another demo console's fleet
        // serving the very same cameras; the console keeps running either way.
        app.log.warn({ code, signal }, 'camera simulator exited (see its message above; another demo console may already serve these cameras)');
      });
      app.log.info({ cameras: county.cameras.length, pid: fleet.pid }, 'camera simulator started');
    });
    app.addHook('onClose', async () => {
      if (fleet && fleet.exitCode === null) {
        const exited = new Promise((r) => fleet!.once('exit', r));
        fleet.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      }
    });
  },
  { name: 'demo', dependencies: ['database'] },
);
