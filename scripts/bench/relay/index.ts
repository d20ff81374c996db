// Relay benchmark: our relay (RelayManager behind a minimal HTTP server) versus one `ffmpeg -c copy -f hls` per
// stream, against simulated cameras.
//   npm run bench:relay -- [--streams 1,10,50,100] [--seconds 20] [--workers N] [--no-ffmpeg] [--url rtsp://…]…
// Prints JSON. `--url` (repeatable) pulls those RTSP addresses instead of simulated cameras, round-robin over the
// streams of each round (a camera may refuse more sessions than it allows); credentials come from BENCH_RTSP_USER
// and BENCH_RTSP_PASSWORD, never from the URL or the command line (both are readable in /proc). Without `--url`,
// nothing leaves loopback. Three roles of this same file, each its own process so /proc accounting stays separate:
//   parent (default)     orchestrates; plays one viewer per stream over HTTP; reads CPU/RSS/PSS from /proc
//   --role cameras       runs the simulated fleet (its CPU is never counted on either side)
//   --role relay         RelayManager (its worker threads included) + HTTP server; reports event-loop delay of
//                        its main thread, the one that serves playlists and segments
// Like for like: both sides pull RTSP over TCP (`-rtsp_transport tcp`; the simulator also offers UDP), 1 s
// segments, a window of 4, and CPU is utime+stime of the whole process (all threads) over the same steady-state
// interval after every stream has a playlist. Network: loopback only; every child and ffmpeg is killed by its PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { Agent, createServer, get } from 'node:http';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { nodeArgsFor } from '../../../server/bundle.mjs';
import { gatewayEnv } from '../../gateway-env.mjs';

const BASE_INDEX = 2000; // media tests' index range; the bench is not run alongside them
const FFMPEG = '/usr/bin/ffmpeg';
const SEGMENT_SEC = 1;
const WINDOW = 4; // the gateway's default; ffmpeg keeps one more file (delete threshold), our LiveWindow one more body
const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : def;
};
const flag = (name: string) => args.includes(`--${name}`);
const role = arg('role', 'parent');
/** Every `--url X` given (the parent only). */
const urls = args.flatMap((a, i) => (a === '--url' && args[i + 1] ? [args[i + 1]!] : []));

interface Source { url: string; username: string; password: string }

async function simSpecs(count: number) {
  const { planCamera } = await import('../../simulator/index');
  // Plain H.264 fixtures only (index % 25 in {5,10,20} and %50==15 are other fixtures): a like-for-like load.
  const specs = [];
  for (let i = BASE_INDEX; specs.length < count; i++) {
    if ([5, 10, 15, 20].includes(i % 25)) continue;
    specs.push(planCamera({ index: i, name: `bench-${i}`, network: 'bench', orgUnitCode: 'B' }));
  }
  return specs;
}

async function runCameras(): Promise<void> {
  const count = Number(arg('count', '1'));
  const { startFleet } = await import('../../simulator/index');
  const fleet = await startFleet(await simSpecs(count));
  process.stdout.write(JSON.stringify({ ready: true, urls: fleet.cameras.map((c) => ({ url: c.rtspUrl, username: c.spec.username, password: c.spec.password })) }) + '\n');
  process.stdin.resume();
  process.stdin.on('end', () => { void fleet.close().then(() => process.exit(0)); });
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/** The relay side: stdin carries commands (sources JSON, "measure", "report", then end of input), stdout JSON lines. */
async function runRelay(): Promise<void> {
  const { RelayManager, CameraUnavailableError } = await import('../../../server/media/index');
  const lines = createInterface({ input: process.stdin });
  const it = lines[Symbol.asyncIterator]();
  const sources = JSON.parse((await it.next()).value as string) as Source[];
  const workersArg = arg('workers', '');
  const manager = new RelayManager({
    resolveSource: async (id) => sources[id]!,
    maxRelays: sources.length + 1, idleTimeoutMs: 600_000, windowSize: WINDOW, minTargetDuration: SEGMENT_SEC,
    workers: workersArg === '' ? undefined : Number(workersArg),
  });
  // A running gateway has its workers up before the first viewer (the plugin warms them when it listens).
  await manager.warmUp();
  // The same two routes as server/routes/live, without auth or audit.
  const server = createServer((req, res) => {
    const m = /^\/live\/(\d+)\/([\w.-]+)$/.exec(req.url ?? '');
    if (!m) { res.writeHead(404).end(); return; }
    const id = Number(m[1]);
    if (m[2] === 'index.m3u8') {
      manager.playlist(id, `viewer-${id}`).then(
        (text) => res.writeHead(200, { 'content-type': 'application/vnd.apple.mpegurl' }).end(text),
        (err: unknown) => res.writeHead(err instanceof CameraUnavailableError ? 502 : 500).end());
      return;
    }
    const seg = manager.segment(id, m[2]!);
    if (!seg) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': seg.contentType, 'content-length': seg.body.byteLength })
      .end(Buffer.from(seg.body.buffer, seg.body.byteOffset, seg.body.byteLength));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  process.stdout.write(JSON.stringify({ phase: 'listening', port, workers: manager.hostInfo().length }) + '\n');
  await it.next(); // "measure"
  const eld = monitorEventLoopDelay({ resolution: 5 });
  eld.enable();
  await it.next(); // "report"
  eld.disable();
  const online = manager.list().filter((s) => s.state === 'online').length;
  const windowBytes = manager.list().reduce((a, s) => a + s.bytesHeld, 0);
  process.stdout.write(JSON.stringify({
    phase: 'done', online, windowBytes,
    eventLoopDelayMs: { p50: ms(eld.percentile(50)), p99: ms(eld.percentile(99)), max: ms(eld.max) },
  }) + '\n');
  // Keep serving until the parent has stopped its players (end of stdin), so none of them sees a refused socket.
  while (!(await it.next()).done) { /* ignore further lines */ }
  manager.close();
  server.close();
  setTimeout(() => process.exit(0), 200);
}
const ms = (ns: number) => Math.round(ns / 1e4) / 100;

// ---------- parent ----------

const CLK_TCK = 100;
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK; // utime + stime, all threads of the process
  } catch { return 0; }
}
function memKb(pid: number): { rss: number; pss: number } {
  try {
    const t = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return { rss: Number(/^Rss:\s+(\d+)/m.exec(t)?.[1] ?? 0), pss: Number(/^Pss:\s+(\d+)/m.exec(t)?.[1] ?? 0) };
  } catch { return { rss: 0, pss: 0 }; }
}

/** This file in another role: the cameras through tsx; the relay side as the gateway runs, one bundle on plain
 * node (server/bundle.mjs), so its memory has no tsx loader thread the gateway does not have either. */
let relayArgs: Promise<string[]> | null = null;
async function spawnRole(extra: string[]): Promise<ChildProcess> {
  const self = fileURLToPath(import.meta.url);
  const node = extra.includes('relay') ? await (relayArgs ??= nodeArgsFor(self, 'bench-relay')) : ['--import', 'tsx', self];
  return spawn(process.execPath, [...node, ...extra], { env: gatewayEnv(), stdio: ['pipe', 'pipe', 'inherit'] });
}

function jsonLines(child: ChildProcess, onLine: (o: Record<string, unknown>) => void): void {
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try { onLine(JSON.parse(line) as Record<string, unknown>); } catch { /* non-JSON output from a library */ }
    }
  });
}

function killPid(p: ChildProcess): void {
  if (p.pid && p.exitCode === null) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* already gone */ } }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function httpGet(port: number, path: string, timeoutMs = 20_000, via = agent): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, agent: via, timeout: timeoutMs }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** One player per stream, like hls.js on a live playlist: poll every target duration, fetch each new segment. */
function startViewers(port: number, n: number) {
  let stopped = false;
  const stats = { playlists: 0, segments: 0, bytes: 0, errors: {} as Record<string, number> };
  const fail = (what: string) => { stats.errors[what] = (stats.errors[what] ?? 0) + 1; };
  const loops = Array.from({ length: n }, async (_, id) => {
    const seen = new Set<string>();
    await sleep(Math.random() * SEGMENT_SEC * 1000); // players do not poll in lockstep
    while (!stopped) {
      const t0 = Date.now();
      try {
        const pl = await httpGet(port, `/live/${id}/index.m3u8`);
        stats.playlists++;
        if (pl.status !== 200) fail(`playlist ${pl.status}`); else {
          const names = pl.body.toString().split('\n').filter((l) => l && !l.startsWith('#'));
          const fresh = seen.size === 0 ? names.slice(-1) : names.filter((x) => !seen.has(x));
          for (const name of fresh) {
            seen.add(name);
            const seg = await httpGet(port, `/live/${id}/${name}`);
            if (seg.status === 200) { stats.segments++; stats.bytes += seg.body.length; } else fail(`segment ${seg.status}`);
          }
          if (seen.size > 4 * WINDOW) for (const x of [...seen].slice(0, seen.size - 2 * WINDOW)) seen.delete(x);
        }
      } catch (err) { fail((err as Error).message); }
      await sleep(Math.max(0, SEGMENT_SEC * 1000 - (Date.now() - t0)));
    }
  });
  return { stats, stop: async () => { stopped = true; await Promise.all(loops); } };
}

/** utime+stime of the whole process (all threads) over `seconds`, with the peak PSS/RSS seen meanwhile. */
async function sampleProcess(pid: number, seconds: number) {
  const cpu0 = cpuSeconds(pid);
  const t0 = Date.now();
  let mem = { rss: 0, pss: 0 };
  for (let s = 0; s < seconds; s++) {
    await sleep(1000);
    const m = memKb(pid);
    if (m.pss > mem.pss) mem = m;
  }
  return { cpuSec: cpuSeconds(pid) - cpu0, wallSec: (Date.now() - t0) / 1000, rssKb: mem.rss, pssKb: mem.pss };
}

async function measureOurs(sources: Source[], seconds: number) {
  const workers = arg('workers', '');
  const child = await spawnRole(['--role', 'relay', ...(workers ? ['--workers', workers] : [])]);
  const messages: Record<string, unknown>[] = [];
  let wake = () => {};
  jsonLines(child, (o) => { messages.push(o); wake(); });
  const next = async (phase: string, timeoutMs: number) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const m = messages.find((x) => x.phase === phase);
      if (m) return m;
      if (Date.now() > until || child.exitCode !== null) throw new Error(`relay process: no ${phase}`);
      await Promise.race([new Promise<void>((r) => { wake = r; }), sleep(200)]);
    }
  };
  try {
    child.stdin!.write(JSON.stringify(sources) + '\n');
    const { port, workers: hostCount } = await next('listening', 60_000) as { port: number; workers: number };
    // First playable playlist per stream, all requested at once (as the walls of a control room opening). One
    // socket per stream: with the players' shared pool (64 sockets) the rest would wait client-side for a free
    // socket, a whole first GOP, and that queueing would be counted as the relay's latency.
    const firsts: number[] = [];
    let failed = 0;
    const opening = new Agent({ keepAlive: false, maxSockets: sources.length });
    await Promise.all(sources.map(async (_, id) => {
      const t0 = performance.now();
      const r = await httpGet(port, `/live/${id}/index.m3u8`, 20_000, opening).catch(() => ({ status: 0 }));
      if (r.status === 200) firsts.push(performance.now() - t0); else failed++;
    }));
    opening.destroy();
    const n = sources.length;
    // Phase 1, relaying only (what the ffmpeg side does: it serves nothing): CPU and memory for the ratios.
    await sleep(1000);
    const relay = await sampleProcess(child.pid!, seconds);
    // Phase 2, one player per stream over HTTP: event-loop delay of the serving thread, and what serving adds.
    const viewers = startViewers(port, n);
    await sleep(1000); // let the players' first fetches settle
    child.stdin!.write('measure\n');
    const served = await sampleProcess(child.pid!, seconds);
    child.stdin!.write('report\n');
    const done = await next('done', 30_000);
    await viewers.stop();
    return {
      workers: hostCount,
      online: done.online,
      firstPlaylistMs: { p50: Math.round(percentile(firsts, 50)), p95: Math.round(percentile(firsts, 95)), failed },
      cpuPctPerStream: +((100 * relay.cpuSec / relay.wallSec) / n).toFixed(3),
      rssMbPerStream: +(relay.rssKb / 1024 / n).toFixed(2),
      pssMbPerStream: +(relay.pssKb / 1024 / n).toFixed(2),
      // The live window's segment bodies, in that PSS: ffmpeg keeps the same bytes in files (page cache, not PSS).
      windowMbPerStream: +(Number(done.windowBytes) / 1048576 / n).toFixed(2),
      withViewers: {
        eventLoopDelayMs: done.eventLoopDelayMs,
        cpuPctPerStream: +((100 * served.cpuSec / served.wallSec) / n).toFixed(3),
        pssMbPerStream: +(served.pssKb / 1024 / n).toFixed(2),
        http: { ...viewers.stats, mbps: +((viewers.stats.bytes * 8) / 1e6 / (served.wallSec + 1)).toFixed(1) },
      },
    };
  } finally {
    child.stdin!.end();
    await Promise.race([new Promise((r) => child.once('exit', r)), sleep(3000)]);
    killPid(child);
  }
}

async function measureFfmpeg(sources: Source[], seconds: number) {
  const dirs: string[] = [];
  const procs: ChildProcess[] = [];
  const firsts: number[] = [];
  try {
    const t0 = Date.now();
    sources.forEach((s, i) => {
      const dir = mkdtempSync(join(tmpdir(), `bench-ffmpeg-${i}-`));
      dirs.push(dir);
      const u = new URL(s.url);
      u.username = s.username;
      u.password = s.password; // ffmpeg only takes credentials in the URL; this never leaves the process table
      // -rtsp_transport tcp: interleaved TCP like ours (ffmpeg's default would be UDP, which the simulator serves).
      procs.push(spawn(FFMPEG, ['-nostdin', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', u.toString(), '-c', 'copy', '-f', 'hls',
        '-hls_time', String(SEGMENT_SEC), '-hls_list_size', String(WINDOW), '-hls_flags', 'delete_segments', join(dir, 'index.m3u8')], { stdio: 'ignore' }));
    });
    const pending = new Set(dirs.map((_, i) => i));
    for (let waited = 0; pending.size && waited < 60_000; waited += 50) {
      for (const i of [...pending]) if (existsSync(join(dirs[i]!, 'index.m3u8'))) { firsts.push(Date.now() - t0); pending.delete(i); }
      await sleep(50);
    }
    await sleep(1000);
    const cpu0 = procs.reduce((a, p) => a + cpuSeconds(p.pid!), 0);
    const steadyAt = Date.now();
    let rss = 0, pss = 0;
    for (let s = 0; s < seconds; s++) {
      await sleep(1000);
      const m = procs.map((p) => memKb(p.pid!));
      rss = Math.max(rss, m.reduce((a, x) => a + x.rss, 0));
      pss = Math.max(pss, m.reduce((a, x) => a + x.pss, 0));
    }
    const cpu = procs.reduce((a, p) => a + cpuSeconds(p.pid!), 0) - cpu0;
    const wall = (Date.now() - steadyAt) / 1000;
    const n = sources.length;
    let files = 0;
    for (const d of dirs) for (const f of readdirSync(d)) if (f.endsWith('.ts')) files += statSync(join(d, f)).size;
    return {
      online: n - pending.size - procs.filter((p) => p.exitCode !== null).length,
      firstPlaylistMs: { p50: Math.round(percentile(firsts, 50)), p95: Math.round(percentile(firsts, 95)) },
      cpuPctPerStream: +((100 * cpu / wall) / n).toFixed(3),
      rssMbPerStream: +(rss / 1024 / n).toFixed(2),
      pssMbPerStream: +(pss / 1024 / n).toFixed(2),
      segmentFilesMbPerStream: +(files / 1048576 / n).toFixed(2),
    };
  } finally {
    procs.forEach(killPid);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

/** `n` sources over the `--url` addresses, round-robin; a URL carrying credentials is refused (see the header). */
function givenSources(n: number): Source[] {
  return Array.from({ length: n }, (_, i) => {
    const url = urls[i % urls.length]!;
    const u = new URL(url);
    if (u.protocol !== 'rtsp:') throw new Error(`--url ${u.protocol}//${u.host}: not an rtsp:// address`);
    if (u.username || u.password) throw new Error('--url: put credentials in BENCH_RTSP_USER / BENCH_RTSP_PASSWORD, not in the URL');
    return { url, username: process.env.BENCH_RTSP_USER ?? '', password: process.env.BENCH_RTSP_PASSWORD ?? '' };
  });
}

const eld = (o: { withViewers: { eventLoopDelayMs: unknown } }) => o.withViewers.eventLoopDelayMs as { p99: number };

async function parent(): Promise<void> {
  const counts = arg('streams', '1,10,50,100').split(',').map(Number).filter((n) => n > 0 && n <= 180);
  const seconds = Math.max(5, Math.min(300, Number(arg('seconds', '20'))));
  const haveFfmpeg = existsSync(FFMPEG) && !flag('no-ffmpeg');
  const loadBefore = loadavg().map((x) => +x.toFixed(2));
  const rounds = [];
  for (const n of counts) {
    const cams = urls.length ? null : await spawnRole(['--role', 'cameras', '--count', String(n)]);
    try {
      const ready = cams ? await Promise.race([
        new Promise<{ urls: Source[] }>((resolve) => jsonLines(cams, (o) => { if (o.ready) resolve(o as never); })),
        sleep(60_000).then(() => { throw new Error('simulator did not start'); }),
      ]) : { urls: givenSources(n) };
      const ours = await measureOurs(ready.urls, seconds);
      const ffmpeg = haveFfmpeg ? await measureFfmpeg(ready.urls, seconds) : null;
      const ratio = (a: number, b: number | undefined) => (b ? +(a / b).toFixed(3) : null);
      rounds.push({
        streams: n, seconds, ours, ffmpeg: ffmpeg ?? 'skipped',
        ratios: ffmpeg ? {
          cpu: ratio(ours.cpuPctPerStream, ffmpeg.cpuPctPerStream),
          pss: ratio(ours.pssMbPerStream, ffmpeg.pssMbPerStream),
          rss: ratio(ours.rssMbPerStream, ffmpeg.rssMbPerStream),
          // Same bytes on both sides: ours holds its window in PSS, ffmpeg's is in its segment files.
          pssWithWindow: ratio(ours.pssMbPerStream, ffmpeg.pssMbPerStream + ffmpeg.segmentFilesMbPerStream),
          pssWithoutWindow: ratio(ours.pssMbPerStream - ours.windowMbPerStream, ffmpeg.pssMbPerStream),
        } : null,
      });
    } finally {
      if (cams) {
        cams.stdin!.end();
        await Promise.race([new Promise((r) => cams.once('exit', r)), sleep(5000)]);
        killPid(cams);
      }
    }
  }
  const last = rounds[rounds.length - 1];
  const goals = last ? {
    streams: last.streams,
    cpuRatio: { goal: '<= 0.8', value: last.ratios?.cpu ?? null, met: last.ratios ? last.ratios.cpu! <= 0.8 : null },
    pssRatio: { goal: '<= 0.2', value: last.ratios?.pss ?? null, met: last.ratios ? last.ratios.pss! <= 0.2 : null },
    firstPlaylistP50Ms: { goal: '<= 1200', value: last.ours.firstPlaylistMs.p50, met: last.ours.firstPlaylistMs.p50 <= 1200 },
    eventLoopP99Ms: { goal: '<= 50', value: eld(last.ours).p99, met: eld(last.ours).p99 <= 50 },
  } : null;
  process.stdout.write(JSON.stringify({
    host: {
      cores: cpus().length, availableParallelism: availableParallelism(), cpu: cpus()[0]?.model ?? null, node: process.version,
      loadavgBefore: loadBefore, loadavgAfter: loadavg().map((x) => +x.toFixed(2)),
    },
    settings: {
      segmentSec: SEGMENT_SEC, window: WINDOW, transport: 'rtsp over tcp (both)',
      cpuAndMemory: 'utime+stime and peak PSS of all processes/threads, steady state, relaying only (ffmpeg serves nothing)',
      withViewers: 'ours again with one HTTP player per stream: event-loop delay of the serving thread, CPU incl. serving',
      sources: urls.length ? `${urls.length} given RTSP URL(s), round-robin` : 'simulated cameras on loopback',
    },
    rounds,
    goals,
  }, null, 2) + '\n');
  agent.destroy();
}

if (role === 'cameras') void runCameras();
else if (role === 'relay') void runRelay();
else void parent();
