// One flapping camera while viewed, in a process of its own (run with --expose-gc, prints one JSON line):
// a simulated camera is switched offline and back `cycles` times by this script while a viewer polls the relay's
// playlist and fetches its segments, as hls.js does. Measured per return: the time until a segment that did not
// exist at the return is published. Measured over the run: heap after GC at the start and the end, live sockets,
// servers and timers (async_hooks counts every one created and not yet destroyed, unref'd timers included), and
// the relay list after the viewer leaves and the idle stop runs.
//
// Relays run on this thread (workers: 0) so that every socket and timer of the relay is counted here; the code
// path is the one the workers run (RelayRunner → Relay).
//
//   node --expose-gc --import tsx scripts/bench/reliability/flap-child.ts --cycles 100 [--offline-ms 1500] [--online-ms 1000]
import { createHook } from 'node:async_hooks';
import { parseArgs } from 'node:util';
import { writeHeapSnapshot } from 'node:v8';
import { planCamera, startCamera } from '../../simulator/index';
import { RelayManager } from '../../../server/media/index';
import { percentile } from '../lib/percentile';

const { values: args } = parseArgs({
  options: {
    cycles: { type: 'string', default: '20' },
    'offline-ms': { type: 'string', default: '1500' },
    'online-ms': { type: 'string', default: '1000' },
    index: { type: 'string', default: '3700' },
    'deadline-sec': { type: 'string', default: '540' },
    'warmup-cycles': { type: 'string', default: '5' },
  },
});
const CYCLES = Math.min(1000, Math.max(1, Number(args.cycles)));
const OFFLINE_MS = Number(args['offline-ms']);
const ONLINE_MS = Number(args['online-ms']);
const INDEX = Number(args.index);
const DEADLINE = Date.now() + Number(args['deadline-sec']) * 1000;
const WARMUP_CYCLES = Math.min(50, Math.max(1, Number(args['warmup-cycles'])));
const IDLE_MS = 2_000;
const POLL_MS = 250;
const CAMERA_ID = 1;

// Live resources by kind: created and not yet destroyed.
const TRACKED = new Set(['TCPWRAP', 'TCPSERVERWRAP', 'Timeout']);
const live = new Map<number, string>();
createHook({
  init(id, type) {
    if (TRACKED.has(type)) live.set(id, type);
  },
  destroy(id) {
    live.delete(id);
  },
}).enable();

function resources() {
  const counts: Record<string, number> = { sockets: 0, servers: 0, timers: 0 };
  for (const type of live.values()) {
    if (type === 'TCPWRAP') counts.sockets!++;
    else if (type === 'TCPSERVERWRAP') counts.servers!++;
    else counts.timers!++;
  }
  return { ...counts, activeHandles: (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length };
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc!();
    await sleep(50);
  }
  return process.memoryUsage().heapUsed;
}

async function main() {
  const cam = await startCamera(planCamera({ index: INDEX, name: `flap-${INDEX}`, network: 'test', orgUnitCode: 'T' }));
  const manager = new RelayManager({
    resolveSource: async () => ({ url: cam.rtspUrl, username: cam.spec.username, password: cam.spec.password }),
    idleTimeoutMs: IDLE_MS,
    workers: 0,
  });
  // The baseline holds the camera's servers and the manager's own sweep timer: what must remain is exactly that.
  await sleep(200);
  const baseline = resources();
  const statuses: string[] = [];
  manager.on('status', (e) => statuses.push(e.status));

  // The viewer: playlist every POLL_MS, every new segment fetched once.
  const seen = new Set<string>();
  let newestAt = 0;
  let viewing = true;
  let polls = 0;
  let errors = 0;
  const viewer = (async () => {
    while (viewing) {
      try {
        const text = await manager.playlist(CAMERA_ID, 'viewer');
        polls++;
        for (const name of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
          if (seen.has(name)) continue;
          seen.add(name);
          newestAt = Date.now();
          manager.segment(CAMERA_ID, name);
        }
      } catch {
        errors++; // offline: the relay answers with the reason; a player retries
      }
      await sleep(POLL_MS);
    }
  })();

  const waitNewSegment = async (after: Set<string>, since: number) => {
    for (;;) {
      if (Date.now() > DEADLINE) throw new Error('deadline passed waiting for a segment');
      if (newestAt >= since && [...seen].some((n) => !after.has(n))) return Date.now();
      await sleep(20);
    }
  };

  // Warm-up: first segments, then unmeasured cycles, so lazily created state exists before the baseline and the
  // JIT has compiled the reconnect path (once per cycle, so it tiers up over the first cycles: heap snapshots
  // show that growth as code and feedback vectors, not as objects).
  const t0 = Date.now();
  await waitNewSegment(new Set(), t0);
  const firstSegmentMs = Date.now() - t0;
  const cycle = async () => {
    await sleep(ONLINE_MS);
    cam.setFault({ kind: 'offline' });
    await cam.settled();
    await sleep(OFFLINE_MS);
    const before = new Set(seen);
    cam.setFault({ kind: 'none' });
    await cam.settled();
    const back = Date.now();
    const at = await waitNewSegment(before, back);
    return at - back;
  };
  for (let i = 0; i < WARMUP_CYCLES; i++) await cycle();
  const heapStart = await heapAfterGc();
  // Diagnostics: FLAP_HEAP_SNAPSHOTS=<dir> writes a snapshot at the start and the end of the measured cycles.
  const snapshots = process.env.FLAP_HEAP_SNAPSHOTS;
  if (snapshots) writeHeapSnapshot(`${snapshots}/flap-start.heapsnapshot`);
  const rssStart = process.memoryUsage().rss;
  const during = resources();

  const resume: number[] = [];
  for (let i = 0; i < CYCLES && Date.now() < DEADLINE; i++) resume.push(await cycle());
  await sleep(ONLINE_MS);
  const heapEnd = await heapAfterGc();
  if (snapshots) writeHeapSnapshot(`${snapshots}/flap-end.heapsnapshot`);
  const rssEnd = process.memoryUsage().rss;
  const duringEnd = resources();
  const reconnects = manager.list()[0]?.reconnects ?? 0;

  // The viewer leaves: the idle stop must take the relay, its socket and its timers.
  viewing = false;
  await viewer;
  const leftAt = Date.now();
  while (manager.size > 0 && Date.now() - leftAt < IDLE_MS * 10) await sleep(100);
  const relaysAfterIdle = manager.size;
  await sleep(500); // the camera side closes its end of the RTSP connection
  await heapAfterGc();
  const end = resources();
  manager.close();
  await cam.close();

  const report = {
    cycles: resume.length,
    warmupCycles: WARMUP_CYCLES,
    offlineMs: OFFLINE_MS,
    onlineMs: ONLINE_MS,
    firstSegmentMs,
    resumeMs: {
      p50: percentile(resume, 50),
      p95: percentile(resume, 95),
      max: percentile(resume, 100),
      within2s: resume.filter((ms) => ms <= 2000).length,
      all: resume,
    },
    memory: {
      heapStartMB: +(heapStart / 2 ** 20).toFixed(2),
      heapEndMB: +(heapEnd / 2 ** 20).toFixed(2),
      heapRatio: +(heapEnd / heapStart).toFixed(3),
      rssStartMB: +(rssStart / 2 ** 20).toFixed(1),
      rssEndMB: +(rssEnd / 2 ** 20).toFixed(1),
    },
    handles: { baseline, whileViewedStart: during, whileViewedEnd: duringEnd, afterIdleStop: end },
    relaysAfterIdle,
    reconnects,
    statusEvents: { online: statuses.filter((s) => s === 'online').length, offline: statuses.filter((s) => s === 'offline').length },
    viewer: { polls, errors, segments: seen.size },
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
