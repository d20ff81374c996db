// The pure parts of cluster leadership and invalidation (server/db/leadership.ts, invalidation.ts) and the health
// checker's restart when its node leads again. The two-node behaviour is test/cluster/leadership-and-invalidation.
import { describe, expect, it } from 'vitest';
import { HealthChecker, type HealthTarget } from '../../server/discovery/health/checker';
import { LocalInvalidationBus, parseInvalidation, type Invalidation } from '../../server/db/invalidation';
import { jobLockKey, LocalLeadership, periodic, type LeaderJob } from '../../server/db/leadership';
import { EVENT_LOG_LOCK } from '../../server/db/repositories/events';

async function until(what: string, probe: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('leadership', () => {
  it('gives each job its own lock key, stable, clear of the event log lock, within a safe integer', () => {
    const keys = ['dispatch-scan', 'patrol-scan', 'health-checks', 'maintenance-sweep', 'recording-retention'].map((n) => jobLockKey(n));
    expect(new Set(keys.map((k) => k.key)).size).toBe(5);
    expect(jobLockKey('dispatch-scan')).toEqual(keys[0]);
    for (const k of keys) {
      expect(Number.isSafeInteger(k.key)).toBe(true);
      expect(k.key).toBe(k.classid * 2 ** 32 + k.objid);
      expect(k.key).not.toBe(EVENT_LOG_LOCK);
    }
  });

  it('leads every job on one node (SQLite), and tells a late listener at once', async () => {
    const leadership = new LocalLeadership('solo');
    const job = leadership.job('x');
    let gained = 0;
    let lost = 0;
    job.onGain(() => void gained++);
    job.onLose(() => void lost++);
    expect(job.isLeader()).toBe(true);
    expect(gained).toBe(1);
    expect(await leadership.status()).toEqual([{ job: 'x', leader: 'solo', here: true, runsHere: 0 }]);
    await leadership.close();
    expect(lost).toBe(1);
  });

  it('runs periodic work only while leading, one run at a time', async () => {
    let leader = false;
    let runs = 0;
    let ticks = 0;
    const job: LeaderJob = { name: 'j', isLeader: () => (ticks++, leader), onGain: () => undefined, onLose: () => undefined, runs: 0, noteRun: () => void runs++ };
    let work = 0;
    let inFlight = 0;
    let peak = 0;
    let release: (() => void) | undefined;
    const stop = periodic(job, 5, async () => {
      work++;
      peak = Math.max(peak, ++inFlight);
      await new Promise<void>((r) => (release = r));
      inFlight--;
    }, () => undefined);
    try {
      // A follower's timer ticks (it asks) and runs nothing.
      await until('three ticks', () => ticks >= 3);
      expect(work).toBe(0);
      leader = true;
      await until('a run once leading', () => work === 1);
      // Ticks while the run is still going do not start another.
      const at = ticks;
      await until('three more ticks', () => ticks >= at + 3);
      expect(peak).toBe(1);
      expect(work).toBe(1);
      release!();
      await until('the next run', () => work === 2);
      expect(runs).toBe(2);
    } finally {
      stop();
      release?.();
    }
  });
});

describe('invalidation', () => {
  it('accepts only the typed messages', () => {
    expect(parseInvalidation(JSON.stringify({ from: 'a', m: { kind: 'share-link', id: 7 } }))).toEqual({ from: 'a', message: { kind: 'share-link', id: 7 } });
    expect(parseInvalidation(JSON.stringify({ from: 'a', m: { kind: 'all' } }))).toEqual({ from: 'a', message: { kind: 'all' } });
    expect(parseInvalidation(JSON.stringify({ from: 'a', m: { kind: 'share-link', id: '7' } }))).toBeUndefined();
    expect(parseInvalidation(JSON.stringify({ from: 'a', m: { kind: 'drop-tables' } }))).toBeUndefined();
    expect(parseInvalidation(JSON.stringify({ m: { kind: 'all' } }))).toBeUndefined();
    expect(parseInvalidation('not json')).toBeUndefined();
  });

  it('delivers on one node to every subscriber until it unsubscribes', async () => {
    const bus = new LocalInvalidationBus();
    const heard: Invalidation[] = [];
    const off = bus.subscribe((m) => heard.push(m));
    await bus.publish({ kind: 'share-link', id: 3 });
    off();
    await bus.publish({ kind: 'all' });
    expect(heard).toEqual([{ kind: 'share-link', id: 3 }]);
  });
});

describe('health checker handed over', () => {
  it('starts again after stop (its node leads the checks again)', async () => {
    const targets: HealthTarget[] = [{ id: 1, sourceKind: 'rtsp', endpoint: 'rtsp://x/1', streamUrl: null, username: null, password: null }];
    let checks = 0;
    const checker = new HealthChecker({
      cycleMs: 20, concurrency: 1, timeoutMs: 5, flushMs: 1,
      count: async () => targets.length,
      page: async (after) => targets.filter((t) => t.id > after),
      check: async () => {
        checks++;
        return { status: 'online', reason: null, method: 'rtsp-options' };
      },
      onResults: async () => undefined,
    });
    checker.start();
    await until('a first check', () => checks > 0);
    await checker.stop();
    const stopped = checks;
    checker.start();
    await until('checks again after the restart', () => checks > stopped);
    await checker.stop();
  });
});
