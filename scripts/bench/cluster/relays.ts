// bench:cluster, round 3: each camera asked on BOTH nodes. N simulated cameras (relay-cameras.ts, a process of
// their own) are catalogued on the shared PostgreSQL database; a signed-in county user asks node A and node B for
// each camera's live playlist (the sub-stream: a light load for a 2-core machine; which stream does not change
// how many times a camera is pulled), until both answer 200. Then the simulator says how many RTSP sessions each
// camera is streaming. The goal is one pull per camera in the cluster: met only once a (camera, stream) relay runs
// on exactly one node (leases, issue #22); until then every camera asked on both nodes is pulled twice, and the
// bench says so.
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { summary } from '../lib/percentile';
import { cpuBetween, mark, rssMb } from '../lib/proc';
import { messages, spawnNode, stopChild } from '../viewers/children';
import { type Backend, login, type Node, seed, type Session, startNode, stopNode } from './nodes';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Source { url: string; subUrl: string; username: string; password: string }

/** Asks for the playlist until it answers 200 (the relay's first segment takes ~1–2 s); ms to the first 200. */
async function firstPlaylist(node: Node, s: Session, cameraId: number, timeoutMs: number): Promise<{ ms: number | null; lastStatus: number }> {
  const t0 = performance.now();
  let lastStatus = 0;
  while (performance.now() - t0 < timeoutMs) {
    try {
      const res = await fetch(`${node.base}/live/${cameraId}/sub/index.m3u8`, { headers: { cookie: s.cookie }, signal: AbortSignal.timeout(20_000) });
      lastStatus = res.status;
      await res.arrayBuffer();
      if (res.ok) return { ms: Math.round(performance.now() - t0), lastStatus };
      if (res.status !== 503 && res.status !== 502 && res.status !== 404) return { ms: null, lastStatus };
    } catch {
      lastStatus = -1;
    }
    await sleep(300);
  }
  return { ms: null, lastStatus };
}

async function ask(child: ChildProcess, next: ReturnType<typeof messages>) {
  child.stdin!.write('stats\n');
  return (await next((m) => Array.isArray(m.stats), 30_000, 'stats')).stats as Array<{ sessions: number; connections: number }>;
}

export async function relaysRound(backend: Backend, o: { cameras: number; nodes: number; concurrency: number }) {
  // Through spawnNode: the orphan guard stops the fleet if this process dies without cleaning up.
  const cams = spawnNode([join(import.meta.dirname, 'relay-cameras.ts'), String(o.cameras)]);
  const next = messages(cams, 'relay cameras');
  const nodes: Node[] = [];
  let dataDir: string | undefined;
  try {
    const ready = await next((m) => m.ready === true, 120_000, 'ready');
    const sources = ready.cameras as Source[];
    const seeded = await seed('relays', backend, async (f) => {
      const county = (await f.repos.orgUnits.findByCode('339901'))!;
      const ids = [];
      for (const [i, s] of sources.entries()) {
        ids.push(await f.repos.cameras.insert({
          network: 'huiyan', externalId: `BENCHCL${i}`, name: `集群基准-${i}`, orgUnitId: county.id, sourceKind: 'rtsp',
          endpoint: s.url, streamUrl: s.url, subStreamUrl: s.subUrl, credentials: { username: s.username, password: s.password },
        }));
      }
      return ids;
    });
    dataDir = seeded.dataDir;
    const cameraIds = seeded.value;
    // A relay nobody polls stops after the idle timeout; on this shared machine starting 2 × 100 relays can take
    // longer than the bench's usual 120 s, and the first ones would be gone before the count. Keep them all up.
    for (let n = 0; n < o.nodes; n++) nodes.push(await startNode(`${backend.engine}-relays-${String.fromCharCode(97 + n)}`, backend, dataDir, { CONSOLE_RELAY_IDLE_SEC: '900' }));
    const sessions = await Promise.all(nodes.map((n) => login(n.base, 'county', 'county123')));

    // Every camera on every node, `concurrency` requests in flight per node (a wall opening its tiles).
    const firstMs = new Map<string, number[]>(nodes.map((n) => [n.id, []]));
    const failed: Array<{ node: string; cameraId: number; lastStatus: number }> = [];
    const t0 = performance.now();
    await Promise.all(nodes.map(async (node, k) => {
      let i = 0;
      await Promise.all(Array.from({ length: o.concurrency }, async () => {
        while (i < cameraIds.length) {
          const id = cameraIds[i++]!;
          const r = await firstPlaylist(node, sessions[k]!, id, 60_000);
          if (r.ms === null) failed.push({ node: node.id, cameraId: id, lastStatus: r.lastStatus });
          else firstMs.get(node.id)!.push(r.ms);
        }
      }));
    }));
    const allUpSec = +((performance.now() - t0) / 1000).toFixed(1);

    // Steady state: every relay running, each node's CPU over a few seconds (load per node).
    await sleep(2000);
    const pids = nodes.map((n) => n.pid);
    const m0 = mark(pids);
    await sleep(5000);
    const cpu = cpuBetween(m0, mark(pids));
    const stats = await ask(cams, next);
    const pulls = stats.map((s) => s.sessions);
    const histogram: Record<string, number> = {};
    for (const p of pulls) histogram[p] = (histogram[p] ?? 0) + 1;
    return {
      engine: backend.engine,
      nodes: nodes.length,
      cameras: cameraIds.length,
      askedPerCamera: nodes.map((n) => n.id),
      stream: 'sub-stream (/live/:id/sub/index.m3u8)',
      allPlaylistsSec: allUpSec,
      firstPlaylistMs: Object.fromEntries([...firstMs].map(([id, xs]) => [id, summary(xs, [50, 95], 0)])),
      failed: failed.length,
      failedSample: failed.slice(0, 5),
      rtspSessionsAtSimulator: pulls.reduce((a, b) => a + b, 0),
      pullsPerCamera: { max: Math.max(...pulls), mean: +(pulls.reduce((a, b) => a + b, 0) / pulls.length).toFixed(2), histogram },
      camerasPulledOnce: pulls.filter((p) => p === 1).length,
      cpuPctOfOneCore: Object.fromEntries(nodes.map((n) => [n.id, cpu.pct.get(n.pid)])),
      rssMb: Object.fromEntries(nodes.map((n) => [n.id, rssMb(n.pid).rss])),
      machineBusyPct: cpu.machineBusyPct,
    };
  } finally {
    for (const n of nodes) await stopNode(n);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await stopChild(cams, 'SIGTERM', 5000);
  }
}
