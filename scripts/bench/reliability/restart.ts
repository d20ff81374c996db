// The gateway restarted under a playing wall tile, measured in Chromium for npm run bench:reliability (the e2e
// test/e2e/restart.test.ts asserts the same story): a county operator's tile plays one simulated demo camera;
// the gateway is SIGKILLed by PID and started again on the same port and data directory; we time, from the moment
// the new process listens, the header's realtime dot coming back up and the tile playing again (currentTime
// moving past where it stood), and check the page was never reloaded.
import { rmSync } from 'node:fs';
import {
  closeAll, demoCamera, launchBrowser, loginThroughForm, newContext, openCameraFromSearch, sampleVideo, startDemoCameras,
  waitFor, waitUntilPlaying, type CameraSet,
} from '../../../test/helpers/browser';
import { spawnGateway, type GatewayProcess } from '../../../test/helpers/gateway-process';

export interface RestartReport {
  /** kill -9 to the restarted gateway listening. */
  gatewayRestartMs: number;
  /** From listening: the socket.io link back up (realtime dot). */
  socketReconnectMs: number;
  /** From listening: the tile playing past where it stood at the kill. */
  playResumeMs: number;
  /** The tile's state while the gateway was down (connecting/offline/live with a stale buffer). */
  stateDuringOutage: string | null;
  pageReloaded: boolean;
}

export async function runRestart(cameraIndex: number): Promise<RestartReport> {
  const camera = demoCamera(cameraIndex);
  let gateway: GatewayProcess | undefined = await spawnGateway();
  const dataDir = gateway.dataDir;
  let cams: CameraSet | undefined;
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  try {
    cams = await startDemoCameras([camera.index]);
    browser = await launchBrowser();
    const context = await newContext(browser, gateway.baseURL);
    const page = await context.newPage();
    await loginThroughForm(page, 'county', 'county123');
    await openCameraFromSearch(page, camera);
    await waitUntilPlaying(page, camera.id);
    const linkClass = () => page.locator('.app-header .link-state').getAttribute('class').then((c) => c ?? '');
    await waitFor('realtime up', linkClass, (c) => c.includes('up'));
    await page.evaluate(() => { (window as unknown as { __beforeRestart: number }).__beforeRestart = 1; });

    const killedAt = Date.now();
    await gateway.kill9();
    await waitFor('realtime down', linkClass, (c) => c.includes('down'));
    const atKill = await sampleVideo(page, camera.id);
    await new Promise((r) => setTimeout(r, 2_000));
    const stateDuringOutage = (await sampleVideo(page, camera.id)).state;

    gateway = await spawnGateway({ dataDir, port: gateway.port });
    const listening = Date.now();
    const gatewayRestartMs = listening - killedAt;
    let socketReconnectMs = NaN;
    let playResumeMs = NaN;
    await waitFor('realtime up and the tile playing again', async () => {
      const [link, video] = await Promise.all([linkClass(), sampleVideo(page, camera.id)]);
      if (Number.isNaN(socketReconnectMs) && link.includes('up')) socketReconnectMs = Date.now() - listening;
      if (Number.isNaN(playResumeMs) && video.state === 'live' && video.currentTime > atKill.currentTime + 0.5) playResumeMs = Date.now() - listening;
      return !Number.isNaN(socketReconnectMs) && !Number.isNaN(playResumeMs);
    }, (done) => done, 120_000, 100);
    const pageReloaded = (await page.evaluate(() => (window as unknown as { __beforeRestart?: number }).__beforeRestart)) !== 1;
    return { gatewayRestartMs, socketReconnectMs, playResumeMs, stateDuringOutage, pageReloaded };
  } finally {
    await closeAll(() => browser?.close() ?? Promise.resolve(), () => gateway?.stop() ?? Promise.resolve(), () => cams?.close() ?? Promise.resolve());
    rmSync(dataDir, { recursive: true, force: true });
  }
}
