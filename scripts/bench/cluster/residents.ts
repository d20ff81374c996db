// bench:cluster, round 2: residents on one share link, spread over the nodes. One simulated camera (bench:viewers'
// camera.ts, at its own simulator index) in 东城小区, catalogued as a public-area camera with a sub-stream; the link
// is made through node A by the township officer; then one load generator per node (bench:viewers' load.ts, a
// process of its own) plays it like hls.js for its share of the viewers, each viewer from its own loopback address
// with its own device id. Until relay leases land, each node pulls the camera itself (its own relay).
import { rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { cpuBetween, mark, rssMb } from '../lib/proc';
import { messages, spawnNode, stopChild } from '../viewers/children';
import { deviceId } from '../viewers/common';
import type { LoadOptions } from '../viewers/load';
import { type Backend, call, login, type Node, seed, startNode, stopNode } from './nodes';

const VIEWERS_DIR = join(import.meta.dirname, '../viewers');
/** bench:viewers uses 3300; this bench's resident camera has its own address (127.0.14.61). */
const SIM_INDEX = 3310;
const MAX_VIEWERS = 2000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface ResidentsOptions { viewers: number; nodes: number; seconds: number; warmupSec: number }

type LoadResult = {
  opens: { ok: number; errors: Record<string, number> };
  latencyMs: { playlist: { n: number; p99: number } | null; segment: { n: number; p50: number; p95: number; p99: number; max: number } | null };
  errors: Record<string, number>;
  segmentsPerSec: number;
  keptUpRatio: number;
  missedSegments: number;
};

/** Opens the link as viewer 0 on `node` and polls until that node's relay has a playlist. */
async function primeRelay(node: Node, token: string) {
  const view = await call<{ cameras: Array<{ playlistUrl: string }> }>(node.base, null, 'POST', '/api/share/open', { token, device: deviceId(0) });
  const url = view.cameras[0]!.playlistUrl;
  for (let i = 0; i < 60; i++) {
    const res = await fetch(`${node.base}${url}`, { signal: AbortSignal.timeout(20_000) });
    await res.arrayBuffer();
    if (res.ok) return;
    await sleep(500);
  }
  throw new Error(`node ${node.id}: no playlist within 30 s`);
}

export async function residentsRound(backend: Backend, o: ResidentsOptions) {
  const camera = spawnNode([join(VIEWERS_DIR, 'camera.ts'), String(SIM_INDEX)]);
  const nodes: Node[] = [];
  const loads: ReturnType<typeof spawnNode>[] = [];
  let dataDir: string | undefined;
  try {
    const cam = (await messages(camera, 'camera')((m) => m.ready === true, 30_000, 'ready')) as unknown as { rtspUrl: string; username: string; password: string };
    const seeded = await seed('residents', backend, async (f) => {
      const { COMPOUND_NAME } = await import('../../../server/demo/county');
      const compound = (await f.repos.orgUnits.subtree('/')).find((u) => u.name === COMPOUND_NAME)!;
      const cameraId = await f.repos.cameras.insert({
        network: 'huiyan', externalId: `BENCHCL${SIM_INDEX}`, name: `${COMPOUND_NAME}集群基准测试门`, orgUnitId: compound.id, sourceKind: 'rtsp',
        endpoint: cam.rtspUrl, streamUrl: cam.rtspUrl, subStreamUrl: cam.rtspUrl.replace(/\/stream1$/, '/stream2'), publicArea: true,
        credentials: { username: cam.username, password: cam.password },
      });
      return { compoundId: compound.id, cameraId };
    });
    dataDir = seeded.dataDir;
    for (let n = 0; n < o.nodes; n++) nodes.push(await startNode(`${backend.engine}-residents-${String.fromCharCode(97 + n)}`, backend, dataDir));
    const a = nodes[0]!;
    const officer = await login(a.base, 'dongcheng', 'town123');
    const created = await call<{ url: string }>(a.base, officer, 'POST', '/api/share-links', {
      orgUnitId: seeded.value.compoundId, label: '东城小区业主群（集群基准测试）', expiresInHours: 2, cameraIds: [seeded.value.cameraId], maxViewers: MAX_VIEWERS,
    });
    const token = created.url.split('/r/')[1]!;
    for (const node of nodes) await primeRelay(node, token);

    // One load generator per node with its share of the viewers; ramp one second per 200 viewers on that node.
    const share = (k: number) => Math.floor(o.viewers / nodes.length) + (k < o.viewers % nodes.length ? 1 : 0);
    let first = 0;
    const nexts = [];
    for (const [k, node] of nodes.entries()) {
      const viewers = share(k);
      const options: LoadOptions = {
        port: node.port, token, viewers, seconds: o.seconds, warmupSec: o.warmupSec, rampSec: Math.max(1, Math.ceil(viewers / 200)),
        openConcurrency: 32, timeoutMs: 10_000, firstViewer: first,
      };
      first += viewers;
      const load = spawnNode([join(VIEWERS_DIR, 'load.ts'), JSON.stringify(options)]);
      loads.push(load);
      nexts.push({ next: messages(load, `load generator ${node.id}`), options });
    }
    await Promise.all(nexts.map(({ next }) => next((m) => m.phase === 'opened', 180_000, 'opened')));
    await Promise.all(nexts.map(({ next, options }) => next((m) => m.phase === 'measure', (options.rampSec + o.warmupSec + 60) * 1000, 'measure')));
    const pids = [...nodes.map((n) => n.pid), camera.pid!, ...loads.map((l) => l.pid!)];
    const m0 = mark(pids);
    // CPU up to the first generator's end of window: a generator exits on its own soon after reporting, and a gone
    // process reads as zero CPU (the first full run showed a negative figure that way).
    const measured = nexts.map(({ next }) => next((m) => m.phase === 'measured', (o.seconds + 60) * 1000, 'measured'));
    await Promise.race(measured);
    const cpu = cpuBetween(m0, mark(pids));
    await Promise.all(measured);
    const results = (await Promise.all(nexts.map(({ next }) => next((m) => m.phase === 'done', 30_000, 'done')))).map((m) => m.result as LoadResult);

    const segP99 = Math.max(...results.map((r) => r.latencyMs.segment?.p99 ?? Infinity));
    const playlistP99 = Math.max(...results.map((r) => r.latencyMs.playlist?.p99 ?? Infinity));
    const failed = results.reduce((t, r) => t + Object.values(r.errors).reduce((a, b) => a + b, 0), 0);
    const nodeCpu = nodes.map((n) => cpu.pct.get(n.pid) ?? 0);
    const loadCpu = loads.map((l) => cpu.pct.get(l.pid!) ?? 0);
    return {
      engine: backend.engine,
      nodes: nodes.length,
      viewers: o.viewers,
      opened: results.reduce((t, r) => t + r.opens.ok, 0),
      windowSec: o.seconds,
      /** The worse node's figure (each generator measures the viewers of one node). */
      segmentP99Ms: segP99,
      playlistP99Ms: playlistP99,
      failedRequests: failed,
      byNode: Object.fromEntries(nodes.map((n, k) => [n.id, {
        viewers: share(k),
        segmentMs: results[k]!.latencyMs.segment,
        playlistMs: results[k]!.latencyMs.playlist,
        segmentsPerSec: results[k]!.segmentsPerSec,
        keptUpRatio: results[k]!.keptUpRatio,
        missedSegments: results[k]!.missedSegments,
        errors: results[k]!.errors,
        cpuPctOfOneCore: nodeCpu[k],
        rssMb: rssMb(n.pid).rss,
        loadGeneratorCpuPct: loadCpu[k],
      }])),
      cameraCpuPct: cpu.pct.get(camera.pid!),
      machineBusyPct: cpu.machineBusyPct,
      restOfMachinePctOfOneCore: +Math.max(0, cpu.machineBusyPct * cpus().length - nodeCpu.reduce((a, b) => a + b, 0) - loadCpu.reduce((a, b) => a + b, 0) - (cpu.pct.get(camera.pid!) ?? 0)).toFixed(1),
    };
  } finally {
    for (const l of loads) await stopChild(l, 'SIGTERM', 3000);
    for (const n of nodes) await stopNode(n);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await stopChild(camera, 'SIGTERM', 5000);
  }
}
