// The demo's camera fleet as the gateway runs it: a child process of scripts/simulator/cli.ts found from
// server/demo (no import of scripts/), serving the very URLs and credentials the demo seed stores, and stopped
// with SIGTERM. Net 76 (127.76.x.y) is this file's own: clear of a demo console (0) and the other tests (77).
import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { planCamera, rtspUrl } from '../../server/demo/camera-plan';
import { DEMO_PLAN, generateCounty } from '../../server/demo/county';
import { type SimulatorProcess, simulatorPresent, startSimulator } from '../../server/demo/simulator-process';
import { RtspTestClient, until } from '../simulator/rtsp-client';

const NET = 76;
const CAMERAS = 2;

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = connect({ host, port });
    s.once('connect', () => { s.destroy(); res(true); });
    s.once('error', () => res(false));
  });
}

let fleet: SimulatorProcess | undefined;
afterAll(async () => {
  await fleet?.stop();
});

describe('demo simulator process', () => {
  it('plays the seeded URL with the seeded credentials, and stops on SIGTERM', async () => {
    expect(simulatorPresent()).toBe(true);
    const spec = planCamera(generateCounty(DEMO_PLAN).cameras[CAMERAS - 1]!, NET);
    fleet = startSimulator({ cameras: CAMERAS, net: NET });
    // Bounded wait for its listeners (no timing asserted): the CLI starts through tsx.
    const deadline = Date.now() + 30_000;
    while (!(await accepts(spec.host, spec.rtspPort)) && fleet.child.exitCode === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(fleet.child.exitCode).toBeNull();

    const client = await RtspTestClient.open(rtspUrl(spec), { username: spec.username, password: spec.password, keepPackets: false });
    try {
      await client.play();
      expect(await until(() => client.packetCount > 0, 10_000)).toBe(true);
    } finally {
      client.close();
    }

    const exited = new Promise<number | null>((r) => fleet!.child.once('exit', (code) => r(code)));
    await fleet.stop(5000);
    expect(await exited).toBe(0);
    expect(await accepts(spec.host, spec.rtspPort)).toBe(false);
  }, 60_000);
});
