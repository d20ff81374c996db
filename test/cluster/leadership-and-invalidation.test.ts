// Two gateway nodes on one PostgreSQL database (issue #22): run-once jobs are led by one node at a time and move
// when it goes, and what one node revokes or disables is refused on the other within 1 s. Real apps, real
// PostgreSQL; skips, with the reason, where PostgreSQL is not installed.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterStatus } from '../../server/contracts/api';
import type { CreatedShareLink } from '../../server/contracts/share';
import type { Invalidation } from '../../server/db/invalidation';
import { COMPOUND_NAME } from '../../server/demo/county';
import { JOBS } from '../../server/plugins/cluster';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';
import { spawnGateway } from '../helpers/gateway-process';
import { createTestDatabase, postgresUnavailable } from '../helpers/postgres';

const skip = postgresUnavailable();
const SCAN_SEC = 0.5;
const MAX_LOGINS = 6;

/** Polls a condition (no fixed sleeps) until `timeoutMs`; returns the elapsed ms when it held. */
async function within(what: string, timeoutMs: number, probe: () => Promise<boolean> | boolean): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await probe()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(skip)('leadership and invalidation across two nodes on PostgreSQL', () => {
  let a: TestApp;
  let b: TestApp;
  let admin: Login;
  let dongcheng: Login;
  const closed = new Set<TestApp>();

  beforeAll(async () => {
    const database = await createTestDatabase('leader');
    const common = { database, dispatch: { overdueScanSec: SCAN_SEC }, login: { maxAttemptsPerMinute: MAX_LOGINS } };
    a = await buildTestApp({ ...common, cluster: { nodeId: 'node-a' } });
    b = await buildTestApp({ ...common, dataDir: a.dataDir, cluster: { nodeId: 'node-b' } });
    [admin, dongcheng] = await Promise.all([DEMO.admin, DEMO.dongcheng].map(([u, p]) => login(a.app, u, p)));
  }, 120_000);

  afterAll(async () => {
    // B first: it shares A's data directory, which A's close removes.
    if (!closed.has(b)) await b?.close();
    if (!closed.has(a)) await a?.close();
    else rmSync(a.dataDir, { recursive: true, force: true });
  });

  const dispatchJob = (t: TestApp) => t.app.cluster.leadership.job(JOBS.dispatch);

  it('runs the overdue scanner on exactly one node per cycle, and both nodes name the same leader', async () => {
    await within('a leader for the overdue scan', 10_000, () => dispatchJob(a).isLeader() || dispatchJob(b).isLeader());
    expect(dispatchJob(a).isLeader() && dispatchJob(b).isLeader()).toBe(false);
    const [leader, follower] = dispatchJob(a).isLeader() ? [a, b] : [b, a];
    const before = { leader: dispatchJob(leader).runs, follower: dispatchJob(follower).runs };
    const started = Date.now();
    await within('four scans', 10_000, () => dispatchJob(leader).runs - before.leader >= 4);
    const elapsedSec = (Date.now() - started) / 1000;
    // The follower's timer ticked as often, and ran nothing; the cluster ran at most one scan per period.
    expect(dispatchJob(follower).runs).toBe(before.follower);
    const cycles = dispatchJob(leader).runs - before.leader + dispatchJob(follower).runs - before.follower;
    expect(cycles).toBeLessThanOrEqual(Math.ceil(elapsedSec / SCAN_SEC) + 1);

    const leaderName = leader === a ? 'node-a' : 'node-b';
    for (const t of [a, b]) {
      const res = await t.app.inject({ url: '/api/system/jobs', headers: admin.headers });
      expect(res.statusCode).toBe(200);
      const status = res.json<ClusterStatus>();
      expect(status.node).toBe(t === a ? 'node-a' : 'node-b');
      expect(status.jobs.find((j) => j.job === JOBS.dispatch)).toMatchObject({ leader: leaderName, here: t === leader });
    }
    expect((await a.app.inject({ url: '/api/system/jobs', headers: dongcheng.headers })).statusCode).toBe(403);
  });

  it('refuses on node B, within 1 s, a resident link revoked on node A', async () => {
    const compound = (await a.app.repos.orgUnits.subtree('/')).find((u) => u.name === COMPOUND_NAME)!;
    const created = (await a.app.inject({
      method: 'POST', url: '/api/share-links', headers: dongcheng.headers, payload: { orgUnitId: compound.id, label: '跨节点', expiresInHours: 1 },
    })).json<CreatedShareLink>();
    const view = await b.app.share.open(created.url.split('/r/')[1], 'phone-1');
    const cameraId = view.cameras[0].id;
    // Node B has the link cached now (one lookup serves its viewers for up to a second).
    await expect(b.app.share.authorizeViewer(view.viewerToken, cameraId, true)).resolves.toMatchObject({ linkId: created.link.id });
    const heard: Invalidation[] = [];
    const unsubscribe = b.app.cluster.invalidation.subscribe((m) => heard.push(m));
    try {
      const revoked = await a.app.inject({ method: 'POST', url: `/api/share-links/${created.link.id}/revoke`, headers: dongcheng.headers });
      expect(revoked.statusCode).toBe(200);
      const ms = await within('the revoked link refused on node B', 1000, () =>
        b.app.share.authorizeViewer(view.viewerToken, cameraId, true).then(() => false, (err: { statusCode?: number }) => err.statusCode === 401));
      expect(ms).toBeLessThanOrEqual(1000);
      // The refusal came from node A's message, not from the cache's one-second expiry.
      await within('node A\'s invalidation on node B', 1000, () => heard.some((m) => m.kind === 'share-link' && m.id === created.link.id));
    } finally {
      unsubscribe();
    }
  });

  it('refuses on node B, within 1 s, a camera moved out of the viewer\'s area on node A', async () => {
    const compound = (await a.app.repos.orgUnits.subtree('/')).find((u) => u.name === COMPOUND_NAME)!;
    const elsewhere = (await a.app.repos.orgUnits.subtree('/')).find((u) => u.name === '城关镇')!;
    const cameraId = (await a.app.db.get<{ id: number }>('SELECT id FROM cameras WHERE org_unit_id = ? ORDER BY id LIMIT 1', [compound.id]))!.id;
    // In 东城街道's area: the scope check passes and only the (never made) segment is missing. Node B caches the
    // camera's place now (its scope facts).
    const segment = () => b.app.inject({ url: `/live/${cameraId}/s0-0.ts`, headers: dongcheng.headers });
    expect((await segment()).json()).toMatchObject({ statusCode: 404, message: expect.stringContaining('Segment') });
    const moved = await a.app.inject({ method: 'PATCH', url: `/api/cameras/${cameraId}`, headers: admin.headers, payload: { orgUnitId: elsewhere.id } });
    expect(moved.statusCode).toBe(200);
    const ms = await within('the moved camera refused on node B', 1000, async () => (await segment()).json<{ message: string }>().message.includes(`Camera ${cameraId}`));
    expect(ms).toBeLessThanOrEqual(1000);
    expect((await a.app.inject({ method: 'PATCH', url: `/api/cameras/${cameraId}`, headers: admin.headers, payload: { orgUnitId: compound.id } })).statusCode).toBe(200);
  });

  it('refuses on node B, within 1 s, the session of a user disabled on node A', async () => {
    const village = await login(b.app, ...DEMO.village);
    expect((await b.app.inject({ url: '/api/auth/me', headers: village.headers })).statusCode).toBe(200);
    const villageId = (await a.app.db.get<{ id: number }>('SELECT id FROM users WHERE username = ?', [DEMO.village[0]]))!.id;
    expect((await a.app.inject({ method: 'POST', url: `/api/users/${villageId}/disable`, headers: admin.headers })).statusCode).toBe(200);
    await within('the disabled user refused on node B', 1000, async () =>
      (await b.app.inject({ url: '/api/auth/me', headers: village.headers })).statusCode === 401);
    expect((await a.app.inject({ method: 'POST', url: `/api/users/${villageId}/enable`, headers: admin.headers })).statusCode).toBe(200);
  });

  it('counts an address\'s sign-in attempts across both nodes', async () => {
    // Other names each time: the per-account lockout (5 in a row) must not be what answers 429 here.
    const attempt = (t: TestApp, i: number) => t.app.inject({
      method: 'POST', url: '/api/auth/login', remoteAddress: '10.22.0.7', payload: { username: `nobody${i}`, password: 'wrong-password' },
    });
    const codes: number[] = [];
    for (let i = 0; i < MAX_LOGINS; i++) codes.push((await attempt(i % 2 ? b : a, i)).statusCode);
    expect(codes).toEqual(Array(MAX_LOGINS).fill(401));
    // Each node alone has seen half the allowance; together they have seen all of it.
    expect((await attempt(a, 100)).statusCode).toBe(429);
    expect((await attempt(b, 101)).statusCode).toBe(429);
    // Another address is not affected.
    expect((await b.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.22.0.8', payload: { username: 'nobody', password: 'x'.repeat(8) } })).statusCode).toBe(401);
  });

  it('locks a name without an account after the same failures cluster-wide as a real account', async () => {
    // A new address each time: the per-address throttle must not be what answers here.
    const attempt = (t: TestApp, i: number) => t.app.inject({
      method: 'POST', url: '/api/auth/login', remoteAddress: `10.22.1.${i + 1}`, payload: { username: 'ghost-of-nobody', password: 'wrong-password' },
    });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await attempt(i % 2 ? b : a, i)).statusCode);
    // Per node, neither has seen 5; together they have, so the fifth locks the name, and it is locked on both.
    expect(codes).toEqual([401, 401, 401, 401, 429]);
    expect((await attempt(a, 10)).statusCode).toBe(429);
    expect((await attempt(b, 11)).statusCode).toBe(429);
  });

  it('moves the overdue scan when the leader\'s lock connection dies, and when the leader closes', async () => {
    const leaderOf = () => (dispatchJob(a).isLeader() ? a : dispatchJob(b).isLeader() ? b : undefined);
    await within('a leader', 10_000, () => leaderOf() !== undefined);
    const first = leaderOf()!;
    // The lock's connection killed under the node (as when its process is killed with -9, the server ends the
    // session): the node sees it at its next check and stops leading; then one node takes the lock again.
    const killed = await a.app.db.get<{ n: number }>(
      "SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = ?",
      [`cvc-leader:${first === a ? 'node-a' : 'node-b'}`],
    );
    expect(killed!.n).toBeGreaterThan(0);
    await within('the old leader to notice its lost lock', 5000, () => !dispatchJob(first).isLeader());
    await within('a leader again after the connection died', 5000, () => leaderOf() !== undefined);
    const old = leaderOf()!;
    const other = old === a ? b : a;
    // B shares A's data directory; closing A first would remove it under B, so close the leader without removing.
    await old.app.close();
    closed.add(old);
    const ms = await within('the other node to take the overdue scan', 10_000, () => dispatchJob(other).isLeader());
    expect(ms).toBeLessThan(10_000);
    const runs = dispatchJob(other).runs;
    await within('a scan on the new leader', 5000, () => dispatchJob(other).runs > runs);
    if (old === a) {
      await b.close();
      closed.add(b);
    }
  });
});

describe.skipIf(skip)('a leader killed with -9', () => {
  it('frees its jobs: the other node takes the overdue scan within a few seconds', async () => {
    const database = await createTestDatabase('leader_kill');
    // The gateway process starts first, so it wins the locks; the in-process node shares its data directory (keys).
    const gw = await spawnGateway({ config: { database, dispatch: { overdueScanSec: SCAN_SEC }, cluster: { nodeId: 'node-killed' } } });
    let b: TestApp | undefined;
    try {
      b = await buildTestApp({ database, dataDir: gw.dataDir, dispatch: { overdueScanSec: SCAN_SEC }, cluster: { nodeId: 'node-b' } });
      const job = b.app.cluster.leadership.job(JOBS.dispatch);
      const leaderName = async () => (await b!.app.cluster.leadership.status()).find((j) => j.job === JOBS.dispatch)?.leader;
      await within('the gateway process to lead the scan', 10_000, async () => (await leaderName()) === 'node-killed');
      expect(job.isLeader()).toBe(false);
      await gw.kill9();
      // No shutdown hook ran: PostgreSQL frees the lock when it sees the connection close.
      const ms = await within('node B to lead after the kill', 10_000, () => job.isLeader());
      expect(ms).toBeLessThan(10_000);
      expect(await leaderName()).toBe('node-b');
    } finally {
      await gw.kill9().catch(() => undefined);
      // b's close removes the shared data directory (the process is gone by now).
      await b?.close();
    }
  }, 120_000);
});
