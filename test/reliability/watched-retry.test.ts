// A watched relay does not wait out its backoff once the camera is back: viewers' polls bring the reconnect forward
// (Relay.retryNow, at most every WATCHED_RETRY_MS). Without them the relay sleeps through its backoff.
import { afterEach, describe, expect, it } from 'vitest';
import type { SimCamera } from '../../scripts/simulator/index';
import type { RelayManager } from '../../server/media/index';
import { camera, managerFor, until } from '../media/helpers/sim';

const opened: SimCamera[] = [];
const managers: RelayManager[] = [];
afterEach(async () => {
  managers.splice(0).forEach((m) => m.close());
  await Promise.all(opened.splice(0).map((c) => c.close()));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function dropAndReturn(index: number, poll: boolean) {
  const cam = await camera(index);
  opened.push(cam);
  // A backoff far longer than the test's wait below: only a viewer-driven retry can bring the relay back in time.
  const { manager, events } = managerFor(new Map([[index, cam]]), { backoff: { initialMs: 60_000, maxMs: 60_000 } });
  managers.push(manager);
  await manager.playlist(index, 'viewer');
  cam.setFault({ kind: 'offline' });
  await cam.settled();
  await until(() => events.find((e) => e.status === 'offline'));
  cam.setFault({ kind: 'none' });
  await cam.settled();
  // 10 s of a viewer polling its (stale) playlist every 500 ms, or of nobody asking.
  for (let i = 0; i < 20 && events.filter((e) => e.status === 'online').length < 2; i++) {
    if (poll) await manager.playlist(index, 'viewer').catch(() => undefined);
    await sleep(500);
  }
  return { online: events.filter((e) => e.status === 'online').length, state: manager.list()[0]!.state };
}

describe('watched relay retry', () => {
  it('a viewer polling a dropped camera brings the reconnect forward once the camera is back', async () => {
    const r = await dropAndReturn(3701, true);
    expect(r.online).toBe(2);
    expect(r.state).toBe('online');
  }, 60_000);

  it('without viewer requests the relay keeps to its backoff', async () => {
    const r = await dropAndReturn(3702, false);
    expect(r.online).toBe(1);
    expect(r.state).toBe('reconnecting');
  }, 60_000);
});
