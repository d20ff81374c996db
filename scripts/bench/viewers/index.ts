// npm run bench:viewers — N residents watching one compound camera through one share link: segments/s served and
// playlist/segment fetch latency at each N. Prints one JSON object; goals at 2,000 viewers: playlist and segment
// fetch p99 ≤ 200 ms, no failed request in the measured window.
//
//   npm run bench:viewers -- [--viewers 500,2000] [--seconds 20] [--warmup 5] [--ramp-sec N] [--profile] [--db-queries]
//                              [--deadline-sec N] [--stream sub|main]
// Quick look: `--viewers 1 --seconds 5 --warmup 0 --ramp-sec 0`.
//
// Four processes, so each one's CPU is read apart from /proc (they all share the machine's cores):
//   this one            seeds a temp data dir (demo county + one public-area camera in 东城小区, through the app's
//                       repositories), makes the link over the API as dongcheng, orchestrates, reads /proc
//   gateway             node --import tsx server/server.ts on 127.0.0.1 (the real server, its relay workers included)
//   camera              camera.ts: one simulated camera at simulator index 3300 (127.0.14.51),
//                       clear of the demo fleet's 0–187 that a running demo console may hold
//   load generator      load.ts, one per phase: every viewer opens the link with its own device id
//                       from its own loopback address, then plays it like hls.js (see load.ts)
// Network: loopback only (127.0.0.1, 127.0.14.51, 127.77.x.y). Every child is stopped by its PID at the end, on
// errors, on SIGINT/SIGTERM and at the deadline; children also stop themselves if this process disappears.
// --profile runs the gateway under --cpu-prof and adds a self-time summary of its main thread to the output;
// --db-queries preloads count-queries.ts into it and reports SQL statements per second per phase.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gatewayEnv } from '../../gateway-env.mjs';
import { deviceId } from './common';
import type { LoadOptions } from './load';
import { cpuBetween, mark, rssMb, type CpuMark } from '../lib/proc';
import { children, keepTail, lines, messages, spawnNode, stopChild, tails } from './children';
import { atMost, equals, printReport, statedAt } from '../lib/report';
import { summariseProfile } from './profile';

const ROOT = resolve(import.meta.dirname, '../../..');
const HERE = import.meta.dirname;
const SIM_INDEX = 3300;
const GOAL_VIEWERS = 2000;
const GOAL_P99_MS = 200;
/** The link's viewer limit can be raised to this and no further (contracts/share.ts). */
const MAX_VIEWERS = 2000;

const { values: args } = parseArgs({
  options: {
    viewers: { type: 'string', default: '500,2000' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    'ramp-sec': { type: 'string' },
    'open-concurrency': { type: 'string', default: '32' },
    'timeout-ms': { type: 'string', default: '10000' },
    'deadline-sec': { type: 'string' },
    profile: { type: 'boolean', default: false },
    'db-queries': { type: 'boolean', default: false },
    stream: { type: 'string', default: 'sub' },
  },
});
function bounded(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}
const PHASES = args.viewers!.split(',').map((v) => bounded('viewers', v.trim(), 1, MAX_VIEWERS));
if (PHASES.length > 5) throw new Error('--viewers: at most 5 phases');
/** What residents play: the camera's sub-stream (子码流, the product's choice for phones), or with `--stream main`
 * a camera catalogued without one, whose residents play the main stream. */
if (args.stream !== 'sub' && args.stream !== 'main') throw new Error('--stream must be sub or main');
const STREAM = args.stream as 'sub' | 'main';
const SECONDS = bounded('seconds', args.seconds!, 5, 300);
const WARMUP = bounded('warmup', args.warmup!, 0, 60);
/** Default: one second per 200 viewers (3 s for 500, 10 s for 2,000), so the start-up burst is over before the window. */
const rampSec = (viewers: number) => (args['ramp-sec'] ? bounded('ramp-sec', args['ramp-sec'], 0, 120) : Math.max(1, Math.ceil(viewers / 200)));
const OPEN_CONCURRENCY = bounded('open-concurrency', args['open-concurrency']!, 1, 256);
const TIMEOUT_MS = bounded('timeout-ms', args['timeout-ms']!, 500, 60_000);
/** Set-up, then per phase: opening (≤ 180 s), warm-up, the window, wind-down; then shutdown. */
const DEADLINE_SEC = args['deadline-sec']
  ? bounded('deadline-sec', args['deadline-sec'], 30, 3600)
  : 120 + PHASES.reduce((t, n) => t + 180 + rampSec(n) + WARMUP + SECONDS + 30, 0) + 30;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const round1 = (x: number) => Math.round(x * 10) / 10;

// ---------- set-up ----------

const dataDir = mkdtempSync(join(tmpdir(), 'cvc-bench-viewers-'));
const profileDir = args.profile ? mkdtempSync(join(tmpdir(), 'cvc-bench-viewers-profile-')) : null;

async function startCamera() {
  const child = spawnNode([join(HERE, 'camera.ts'), String(SIM_INDEX)]);
  const next = messages(child, 'camera');
  const ready = await next((m) => m.ready === true, 30_000, 'ready');
  return { child, ready: ready as { rtspUrl: string; username: string; password: string; host: string; fixture: string } };
}

/** Demo county plus the bench camera, written through the real app's repositories; the gateway reuses the file. */
async function seed(camera: { rtspUrl: string; username: string; password: string }) {
  const [{ default: Fastify }, { default: fp }, { default: app }, { loadConfig }, { COMPOUND_NAME }] = await Promise.all([
    import('fastify'), import('fastify-plugin'), import('../../../server/app'), import('../../../server/config'), import('../../../server/demo/county'),
  ]);
  const config = loadConfig({
    env: {}, overrides: { host: '127.0.0.1', port: 0, dataDir, demo: { enabled: true, simulateCameras: false }, health: { enabled: false } },
  });
  const f = Fastify({ logger: false });
  await f.register(fp(app), { config });
  await f.ready();
  try {
    const compound = (await f.repos.orgUnits.subtree('/')).find((u) => u.name === COMPOUND_NAME);
    if (!compound) throw new Error(`demo county has no ${COMPOUND_NAME}`);
    const cameraId = await f.repos.cameras.insert({
      network: 'huiyan', externalId: `BENCH${SIM_INDEX}`, name: `${COMPOUND_NAME}基准测试门`, orgUnitId: compound.id, sourceKind: 'rtsp',
      endpoint: camera.rtspUrl, streamUrl: camera.rtspUrl, publicArea: true, credentials: { username: camera.username, password: camera.password },
    });
    // The simulator serves every camera's sub-stream at /stream2.
    if (STREAM === 'sub') await f.db.run('UPDATE cameras SET sub_stream_url = ? WHERE id = ?', [camera.rtspUrl.replace(/\/stream1$/, '/stream2'), cameraId]);
    return { compoundId: compound.id, cameraId };
  } finally {
    await f.close();
  }
}

const BENCH_SETTINGS = {
  CONSOLE_HOST: '127.0.0.1', CONSOLE_PORT: '0', CONSOLE_DEMO: 'true', CONSOLE_SIMULATE_CAMERAS: 'false',
  CONSOLE_OVERDUE_SCAN_SEC: '0',
  // No health probes: they would go to the demo fleet's addresses, which a running demo console's simulator holds.
  CONSOLE_HEALTH: 'false',
  // Phases are apart by the time 2,000 residents take to open the link: keep the relay up across it.
  CONSOLE_RELAY_IDLE_SEC: '120',
  LOG_LEVEL: 'warn',
};

/** With --db-queries: the gateway's running count of SQL statements, asked for with SIGUSR2 (count-queries.ts). */
let dbCountsWaiter: ((c: { counts: Record<string, number>; at: number }) => void) | null = null;
async function dbCounts(pid: number) {
  if (!args['db-queries']) return null;
  const got = new Promise<{ counts: Record<string, number>; at: number }>((r) => { dbCountsWaiter = r; });
  process.kill(pid, 'SIGUSR2');
  return Promise.race([got, sleep(10_000).then(() => null)]);
}

async function startGateway() {
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const counter = args['db-queries'] ? ['--import', pathToFileURL(join(HERE, 'count-queries.ts')).href] : [];
  const child = spawnNode([...profile, ...counter, join(ROOT, 'server/server.ts')], { ...gatewayEnv(), ...BENCH_SETTINGS, CONSOLE_DATA_DIR: dataDir });
  const base = await new Promise<string>((resolveBase, reject) => {
    const timer = setTimeout(() => reject(new Error('gateway did not listen within 60 s')), 60_000);
    lines(child, (line) => {
      const m = /console: (http:\/\/127\.0\.0\.1:\d+)\//.exec(line);
      if (m) { clearTimeout(timer); resolveBase(m[1]!); } else if (line.trim()) keepTail(child, line);
    }, (line) => {
      if (!line.startsWith('{"benchDbQueries"')) return false;
      const o = JSON.parse(line) as { benchDbQueries: Record<string, number>; at: number };
      dbCountsWaiter?.({ counts: o.benchDbQueries, at: o.at });
      dbCountsWaiter = null;
      return true;
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`gateway exited (${code}): ${(tails.get(child) ?? []).join(' | ')}`)); });
  });
  return { child, base, port: Number(new URL(base).port) };
}

async function api<T>(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, {
    method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return { json: JSON.parse(text) as T, headers: res.headers };
}

/** The link as a township officer makes it in the console: only the bench camera, room for 2,000 viewers. */
async function makeLink(base: string, compoundId: number, cameraId: number) {
  const login = await api<{ csrfToken: string }>(base, 'POST', '/api/auth/login', { username: 'dongcheng', password: 'town123' });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const created = await api<{ url: string; link: { id: number } }>(base, 'POST', '/api/share-links', {
    orgUnitId: compoundId, label: '东城小区业主群（基准测试）', expiresInHours: 2, cameraIds: [cameraId], maxViewers: MAX_VIEWERS,
  }, { cookie, 'x-csrf-token': login.json.csrfToken });
  return { token: created.json.url.split('/r/')[1]!, linkId: created.json.link.id };
}

/** Opens the link as viewer 0 and polls until the relay has a playlist, so phase 1 does not time the camera start. */
async function primeRelay(base: string, token: string) {
  const t0 = performance.now();
  const view = await api<{ cameras: Array<{ playlistUrl: string }> }>(base, 'POST', '/api/share/open', { token, device: deviceId(0) });
  const url = view.json.cameras[0]!.playlistUrl;
  for (let i = 0; i < 60; i++) {
    const res = await fetch(`${base}${url}`, { signal: AbortSignal.timeout(20_000) });
    const text = await res.text();
    if (res.ok) {
      const target = Number(/#EXT-X-TARGETDURATION:(\d+)/.exec(text)?.[1] ?? NaN);
      return { firstPlaylistMs: Math.round(performance.now() - t0), targetDurationSec: target };
    }
    await sleep(500);
  }
  throw new Error('the relay gave no playlist within 30 s');
}

// ---------- one phase ----------

/** Statements per second between two snapshots, busiest first. */
function queryRates(a: { counts: Record<string, number>; at: number }, b: { counts: Record<string, number>; at: number }) {
  const sec = (b.at - a.at) / 1000;
  const rates = Object.entries(b.counts)
    .map(([sql, n]) => [sql, +((n - (a.counts[sql] ?? 0)) / sec).toFixed(1)] as const)
    .filter(([, r]) => r > 0)
    .sort((x, y) => y[1] - x[1]);
  return { total: +rates.reduce((t, [, r]) => t + r, 0).toFixed(1), overSec: +sec.toFixed(1), top: Object.fromEntries(rates.slice(0, 6)) };
}

async function runPhase(viewers: number, port: number, token: string, pids: { gateway: number; camera: number }) {
  const options: LoadOptions = {
    port, token, viewers, seconds: SECONDS, warmupSec: WARMUP, rampSec: rampSec(viewers), openConcurrency: OPEN_CONCURRENCY, timeoutMs: TIMEOUT_MS,
  };
  const load = spawnNode([join(HERE, 'load.ts'), JSON.stringify(options)]);
  try {
    const next = messages(load, 'load generator');
    await next((m) => m.phase === 'opened', 180_000, 'opened');
    await next((m) => m.phase === 'measure', (options.rampSec + WARMUP + 30) * 1000, 'measure');
    const pidList = [pids.gateway, pids.camera, load.pid!];
    const fromUs = Number(process.hrtime.bigint() / 1000n);
    const m0: CpuMark = mark(pidList);
    const q0 = dbCounts(pids.gateway);
    let peakRss = 0;
    const rssTimer = setInterval(() => { peakRss = Math.max(peakRss, rssMb(pids.gateway).rss); }, 1000);
    try {
      await next((m) => m.phase === 'measured', (SECONDS + 30) * 1000, 'measured');
    } finally {
      clearInterval(rssTimer);
    }
    const m1 = mark(pidList);
    const toUs = Number(process.hrtime.bigint() / 1000n);
    const [c0, c1] = [await q0, await dbCounts(pids.gateway)];
    const dbQueriesPerSec = c0 && c1 ? queryRates(c0, c1) : undefined;
    const gatewayRss = rssMb(pids.gateway);
    const done = await next((m) => m.phase === 'done', 30_000, 'done');
    const r = done.result as Record<string, unknown> & {
      latencyMs: Record<string, { p99: number } | null>;
      errors: Record<string, number>;
      keptUpRatio: number;
    };
    const cpu = cpuBetween(m0, m1);
    const gw = cpu.pct.get(pids.gateway)!;
    const cam = cpu.pct.get(pids.camera)!;
    const lg = cpu.pct.get(load.pid!)!;
    const cores = cpus().length;
    const p99 = Math.max(r.latencyMs.playlist?.p99 ?? Infinity, r.latencyMs.segment?.p99 ?? Infinity);
    const errorCount = Object.values(r.errors).reduce((a, b) => a + b, 0);
    return {
      viewers,
      rampSec: options.rampSec,
      window: { fromUs, toUs },
      ...r,
      gateway: {
        dbQueriesPerSec,
        cpuPctOfOneCore: gw,
        rssMb: gatewayRss.rss,
        peakRssMbInWindow: Math.max(peakRss, gatewayRss.rss),
        rssHighWaterMb: gatewayRss.hwm,
      },
      otherCpuPctOfOneCore: {
        camera: cam,
        loadGenerator: lg,
        machineBusyPctOfAllCores: cpu.machineBusyPct,
        /** Everything else on the machine in the window (other engineers' tests, …): machine busy minus ours. */
        restOfMachine: round1(Math.max(0, (cpu.machineBusyPct * cores) - gw - cam - lg)),
      },
      /** The goals' figures: the worse of the playlist and segment fetch p99s, and failures in the window. */
      worstP99Ms: p99,
      failedRequests: errorCount,
    };
  } finally {
    await stopChild(load, 'SIGTERM', 3000);
  }
}

// ---------- main ----------

function gitState() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'server', 'config'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean).length;
    return { commit, uncommittedServerFiles: dirty };
  } catch {
    return null;
  }
}

let cleaning: Promise<void> | null = null;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    // Load generators first, the gateway gracefully (SIGINT: it closes and, under --cpu-prof, writes the profile).
    const all = [...children];
    await Promise.all(all.filter((c) => c !== gatewayChild).map((c) => stopChild(c, 'SIGTERM', 3000)));
    if (gatewayChild) await stopChild(gatewayChild, 'SIGINT', 15_000);
    rmSync(dataDir, { recursive: true, force: true });
  })();
  return cleaning;
}
let gatewayChild: ChildProcess | null = null;

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    interrupted = true;
    console.error(JSON.stringify({ error: `bench:viewers: ${signal}, stopping every child` }));
    void cleanup().finally(() => process.exit(130));
  });
}
const deadline = setTimeout(() => {
  console.error(JSON.stringify({ error: `bench:viewers exceeded its ${DEADLINE_SEC} s deadline` }));
  void cleanup().finally(() => process.exit(1));
}, DEADLINE_SEC * 1000);
deadline.unref();

async function main() {
  const loadavgAtStart = loadavg().map((x) => +x.toFixed(2));
  const startedAt = new Date().toISOString();
  const camera = await startCamera();
  const { compoundId, cameraId } = await seed(camera.ready);
  const gateway = await startGateway();
  gatewayChild = gateway.child;
  const link = await makeLink(gateway.base, compoundId, cameraId);
  const relay = await primeRelay(gateway.base, link.token);

  const phases = [];
  const windows = [];
  for (const [i, n] of PHASES.entries()) {
    if (i > 0) await sleep(2000);
    const { window, ...phase } = await runPhase(n, gateway.port, link.token, { gateway: gateway.child.pid!, camera: camera.child.pid! });
    phases.push(phase);
    windows.push(window);
  }
  const loadavgAtEnd = loadavg().map((x) => +x.toFixed(2));
  await cleanup();

  let profile = null;
  if (profileDir) {
    // The main thread's profile (worker threads write their own files, with a non-zero thread id).
    const files = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
    const main = files.find((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f)) ?? files[0];
    // Self time in the last phase's measured window (steady state), and over the whole run for comparison.
    profile = main
      ? {
        gatewayMainThread: summariseProfile(join(profileDir, main), windows.at(-1)),
        phase: phases.at(-1)!.viewers,
        wholeRunByPlace: summariseProfile(join(profileDir, main)).byPlace.slice(0, 10),
        otherThreads: files.filter((f) => f !== main).map((f) => join(profileDir, f)),
      }
      : { error: 'no profile written' };
  }

  // Judged on the phase of the stated size; without one, the largest phase's figures are shown unjudged.
  const atGoal = phases.find((p) => p.viewers === GOAL_VIEWERS);
  const shown = atGoal ?? phases.reduce((a, b) => (b.viewers > a.viewers ? b : a));
  const goals = statedAt({
    latencyP99Ms: atMost(shown.worstP99Ms, GOAL_P99_MS),
    failedRequests: equals(shown.failedRequests, 0),
  }, `${GOAL_VIEWERS} viewers`, atGoal !== undefined);
  printReport('viewers', goals, {
    what: 'N residents on one share link, one camera: open, then hls.js-like playlist polling and segment fetches over keep-alive HTTP',
    startedAt,
    machine: {
      cores: cpus().length, availableParallelism: availableParallelism(), cpu: cpus()[0]?.model ?? null, memoryGb: round1(totalmem() / 2 ** 30),
      node: process.version, loadavgAtStart, loadavgAtEnd,
    },
    tree: gitState(),
    settings: {
      phases: PHASES, seconds: SECONDS, warmupSecAfterRamp: WARMUP, openConcurrency: OPEN_CONCURRENCY, requestTimeoutMs: TIMEOUT_MS,
      camera: { simulatorIndex: SIM_INDEX, host: camera.ready.host, fixture: camera.ready.fixture, cameraId, residentsPlay: STREAM },
      link: { linkId: link.linkId, maxViewers: MAX_VIEWERS },
      relay: { ...relay, segmentFormat: 'mpegts (default)' },
      gatewayEnv: { ...gatewayEnv({}), ...BENCH_SETTINGS },
      viewers: 'one keep-alive connection each from its own address 127.77.x.y, own device id; see scripts/bench/viewers/load.ts',
      cpu: 'utime+stime from /proc over the measured window, % of one core (all threads of the process)',
      percentiles: 'nearest rank',
    },
    goalsFromPhase: shown.viewers,
    phases,
    profile,
  });
}

main()
  .then(() => { clearTimeout(deadline); process.exit(0); })
  .catch(async (err: unknown) => {
    if (interrupted) return; // the signal handler is stopping everything and exits
    console.error(JSON.stringify({ error: String((err as Error)?.stack ?? err) }));
    await cleanup();
    process.exit(1);
  });
