// Simulated cameras for relay tests, in this suite's index range (2000-2199) so parallel test files never share
// a loopback address.
import { planCamera, startCamera, type SimCamera } from '../../../scripts/simulator/index';
import { RelayManager, type RelayManagerOptions, type RelayStatusEvent } from '../../../server/media/index';

export async function camera(index: number): Promise<SimCamera> {
  return startCamera(planCamera({ index, name: `relay-test-${index}`, network: 'test', orgUnitCode: 'T' }));
}

export function managerFor(cams: Map<number, SimCamera>, opts: Partial<RelayManagerOptions> = {}) {
  const events: RelayStatusEvent[] = [];
  const manager = new RelayManager({
    resolveSource: async (id) => {
      const c = cams.get(id);
      if (!c) throw new Error(`no camera ${id}`);
      return { url: c.rtspUrl, username: c.spec.username, password: c.spec.password };
    },
    backoff: { initialMs: 200, maxMs: 1000 },
    stallTimeoutMs: 3000,
    // One relay worker per manager: the production shape (relays off the serving thread) at half the start-up
    // cost of a full pool; test/media/workers.test.ts covers the pool itself.
    workers: 1,
    ...opts,
  });
  manager.on('status', (e) => events.push(e));
  return { manager, events };
}

/** Wait for a condition driven by the system under test (not a timed assertion: the test fails on its own
 * timeout only if the condition never comes). */
export async function until<T>(fn: () => T | undefined | null | false | Promise<T | undefined | null | false>, pollMs = 50): Promise<T> {
  for (;;) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export function segmentNames(playlist: string): string[] {
  return playlist.split('\n').filter((l) => l && !l.startsWith('#'));
}
