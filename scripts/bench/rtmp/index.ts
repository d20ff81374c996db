// RTMP bench (移动视频): N devices pushing RTMP into the relay (ingest → feed → worker relay → live HLS) versus N
// cameras pulled over RTSP by the same relay, same 720p fixture (~1.8 Mb/s, 1 s GOP).
//   npm run bench:rtmp -- [--streams 50] [--seconds 15] [--stagger-ms 100] [--fixture h264]
// Goals (issue #19), at 50 streams: CPU per pushed stream ≤ 1.2 × a pulled one's; first playlist p50 ≤ 1.2 s after
// the publish starts. Processes: this one (orchestrates, reads /proc), the server (server.ts: what is measured),
// ffmpeg pushers (the devices) or the simulated cameras (never counted). Loopback only; every child is killed by
// its PID; bounded: each phase has a deadline, the whole run stops after --deadline-sec (default 300).
import { type ChildProcess, spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { nodeArgsFor } from '../../../server/bundle.mjs';
import { gatewayEnv } from '../../gateway-env.mjs';
import { startPusher, type Pusher } from '../../simulator/pusher';
import { percentile } from '../lib/percentile';
import { atMost, printReport, statedAt } from '../lib/report';
import { jsonLines, killPid, type Source, sleep } from '../relay/common';
import { sampleProcess } from '../relay/ours';
import { keyOf } from './common';

const GOAL_STREAMS = 50;
const { values: args } = parseArgs({
  options: {
    streams: { type: 'string', default: String(GOAL_STREAMS) },
    seconds: { type: 'string', default: '15' },
    'stagger-ms': { type: 'string', default: '100' },
    fixture: { type: 'string', default: 'h264' },
    'deadline-sec': { type: 'string', default: '300' },
  },
});
const n = Number(args.streams);
const seconds = Number(args.seconds);
const deadline = setTimeout(() => { console.error('[bench:rtmp] deadline reached'); process.exit(2); }, Number(args['deadline-sec']) * 1000);
deadline.unref();

const children: ChildProcess[] = [];
const pushers: Pusher[] = [];
async function cleanup() {
  await Promise.all(pushers.splice(0).map((p) => p.stop()));
  // End of stdin asks each child to stop (the server writes its profile then); killed by PID after 3 s at most.
  await Promise.all(children.splice(0).map(async (c) => {
    c.stdin?.end();
    if (c.exitCode === null) await Promise.race([new Promise((r) => c.once('exit', r)), sleep(3000)]);
    killPid(c);
  }));
}
process.on('SIGINT', () => { void cleanup().then(() => process.exit(130)); });

async function startServer(setup: { mode: 'push' | 'pull'; n: number; sources?: Source[] }) {
  const node = await nodeArgsFor(join(import.meta.dirname, 'server.ts'), 'bench-rtmp');
  // BENCH_RTMP_PROF=<dir>: CPU profiles of the server's main thread (and, through CONSOLE_RELAY_CPU_PROF, its workers).
  const prof = process.env.BENCH_RTMP_PROF ? ['--cpu-prof', '--cpu-prof-dir', `${process.env.BENCH_RTMP_PROF}/${setup.mode}`] : [];
  const env = process.env.BENCH_RTMP_PROF ? { ...gatewayEnv(), CONSOLE_RELAY_CPU_PROF: `${process.env.BENCH_RTMP_PROF}/${setup.mode}-workers` } : gatewayEnv();
  const child = spawn(process.execPath, [...prof, ...node], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  const messages: Record<string, unknown>[] = [];
  jsonLines(child, (o) => messages.push(o));
  const wait = async (pred: (m: Record<string, unknown>) => boolean, what: string, ms: number) => {
    const until = Date.now() + ms;
    for (;;) {
      const m = [...messages].reverse().find(pred);
      if (m) return m;
      if (Date.now() > until || child.exitCode !== null) throw new Error(`server: no ${what}`);
      await sleep(100);
    }
  };
  child.stdin!.write(JSON.stringify(setup) + '\n');
  const { rtmpPort } = await wait((m) => m.phase === 'listening', 'listening', 60_000) as { rtmpPort: number };
  return { child, rtmpPort, wait };
}

async function measure(mode: 'push' | 'pull', sources?: Source[]) {
  const server = await startServer({ mode, n, sources });
  if (mode === 'push') {
    // Staggered like devices coming on air, and so 50 ffmpeg start-ups at once do not load the measured server.
    for (let i = 1; i <= n; i++) {
      pushers.push(startPusher({ rtmpUrl: `rtmp://127.0.0.1:${server.rtmpPort}/live/${keyOf(i)}`, fixture: args.fixture }));
      await sleep(Number(args['stagger-ms']));
    }
  }
  await server.wait((m) => m.phase === 'status' && (m.online as number) >= n && (m.firsts as number) >= n, `${n} streams online`, 90_000);
  await sleep(2000);
  const sample = await sampleProcess(server.child.pid!, seconds);
  server.child.stdin!.write('report\n');
  const done = await server.wait((m) => m.phase === 'done', 'report', 30_000) as { online: number; firstPlaylistMs: number[] };
  await cleanup();
  const f = done.firstPlaylistMs;
  return {
    online: done.online,
    cpuPctPerStream: +((100 * sample.cpuSec / sample.wallSec) / n).toFixed(3),
    pssMbPerStream: +(sample.pssKb / 1024 / n).toFixed(2),
    firstPlaylistMs: { p50: Math.round(percentile(f, 50)), p95: Math.round(percentile(f, 95)), max: Math.round(Math.max(...f)) },
  };
}

async function pullSources(): Promise<{ cams: ChildProcess; sources: Source[] }> {
  // The relay bench's camera process, on this bench's own simulator indexes (3900+).
  const cams = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../relay/cameras.ts'), String(n), '3900'], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(cams);
  const ready = await new Promise<{ urls: Source[] }>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('simulator did not start')), 60_000);
    jsonLines(cams, (o) => { if (o.ready) { clearTimeout(t); resolve(o as never); } });
  });
  return { cams, sources: ready.urls };
}

try {
  const load0 = loadavg()[0]!;
  console.error(`[bench:rtmp] ${n} pushed streams…`);
  const pushed = await measure('push');
  console.error(`[bench:rtmp] ${n} pulled streams…`);
  const { sources } = await pullSources();
  const pulled = await measure('pull', sources);
  const cpuRatio = +(pushed.cpuPctPerStream / pulled.cpuPctPerStream).toFixed(3);
  printReport('rtmp', statedAt({
    cpuPushedOverPulled: atMost(cpuRatio, 1.2),
    firstPlaylistP50Ms: atMost(pushed.firstPlaylistMs.p50, 1200),
  }, `${GOAL_STREAMS} streams`, n >= GOAL_STREAMS), {
    streams: n, seconds, fixture: args.fixture, pushed, pulled,
    machine: { cores: cpus().length, loadavgBefore: +load0.toFixed(2), loadavgAfter: +loadavg()[0]!.toFixed(2) },
  });
} finally {
  await cleanup();
}
process.exit(0);
