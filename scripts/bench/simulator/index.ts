// Benchmark: what the simulated camera fleet costs, idle and with some streams playing. Runs the fleet CLI as a
// child process (as the demo does) and reads its CPU time and RSS from /proc, so the clients' own cost is not
// counted. Prints one JSON object; goals, for a fleet of 200 with 10 clients on the 720p fixture: idle ≤ 2 % of one
// core and ≤ 90 MB RSS, playing ≤ 6 % and ≤ 95 MB (scripts/simulator/README.md: measured 0.8–1.8 % / 73–80 MB and
// 3.5–5 % / 78–85 MB on the 2-core VM, 7 Dec 2026; the figures once written there, 1 % and 3.5 %, were a quiet
// day's and were missed by the unchanged simulator as often as met).
//   npm run bench:simulator -- [--cameras 200] [--playing 10] [--seconds 10] [--from-index 3000]
// Quick look: `--cameras 2 --playing 1 --seconds 2`.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { RtspTestClient } from '../../simulator/rtsp/client';
import { cpuSeconds, rssMb } from '../lib/proc';
import { atMost, printReport, statedAt } from '../lib/report';

/** The fleet and the load the README's figures (and so the goals) are for. */
const GOAL_CAMERAS = 200;
const GOAL_PLAYING = 10;

const { values } = parseArgs({
  options: {
    cameras: { type: 'string', default: String(GOAL_CAMERAS) },
    playing: { type: 'string', default: String(GOAL_PLAYING) },
    seconds: { type: 'string', default: '10' },
    'from-index': { type: 'string', default: '3000' },
  },
});
const cameras = Number(values.cameras);
const playing = Math.min(Number(values.playing), cameras);
const seconds = Number(values.seconds);

async function measure(pid: number, sec: number) {
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, sec * 1000));
  const cpu1 = cpuSeconds(pid);
  const wall = (performance.now() - t0) / 1000;
  return { cpuPercentOfOneCore: +((100 * (cpu1 - cpu0)) / wall).toFixed(1), rssMB: rssMb(pid).rss };
}

// tsx's CLI runs the script in a child node process; run node with the tsx loader directly so the PID we
// sample is the fleet itself.
const cli = fileURLToPath(new URL('../../simulator/cli.ts', import.meta.url));
const child = spawn(process.execPath, ['--import', 'tsx', cli, '--cameras', String(cameras), '--from-index', values['from-index']!],
  { stdio: ['ignore', 'pipe', 'inherit'] });
const lines: Array<{ rtspUrl: string; username: string; password: string; fixture: string }> = [];
let buf = '';
child.stdout.on('data', (d: Buffer) => {
  buf += d.toString('utf8');
  let nl: number;
  while ((nl = buf.indexOf('\n')) >= 0) {
    lines.push(JSON.parse(buf.slice(0, nl)));
    buf = buf.slice(nl + 1);
  }
});
const t0 = performance.now();
const deadline = Date.now() + 60_000;
while (lines.length < cameras && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
if (lines.length < cameras) {
  child.kill('SIGKILL');
  throw new Error(`fleet did not start (${lines.length}/${cameras} cameras)`);
}
const startupSec = +((performance.now() - t0) / 1000).toFixed(2);
await new Promise((r) => setTimeout(r, 1000)); // let start-up work settle
const idle = await measure(child.pid!, seconds);

// Prefer the default fixture (720p, ~1.8 Mb/s) for the playing streams: the heaviest common case.
const targets = [...lines.filter((l) => l.fixture === 'h264'), ...lines.filter((l) => l.fixture !== 'h264')].slice(0, playing);
const clients = await Promise.all(targets.map(async (t) => {
  const c = await RtspTestClient.open(t.rtspUrl, { username: t.username, password: t.password, keepPackets: false });
  await c.play();
  return c;
}));
await new Promise((r) => setTimeout(r, 1000));
const bytes0 = clients.reduce((s, c) => s + c.byteCount, 0);
const busy = await measure(child.pid!, seconds);
const bytes1 = clients.reduce((s, c) => s + c.byteCount, 0);
for (const c of clients) c.close();

child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));

const goals = statedAt({
  idleCpuPct: atMost(idle.cpuPercentOfOneCore, 2),
  idleRssMb: atMost(idle.rssMB, 90),
  playingCpuPct: atMost(busy.cpuPercentOfOneCore, 6),
  playingRssMb: atMost(busy.rssMB, 95),
}, `${GOAL_CAMERAS} cameras, ${GOAL_PLAYING} playing`, cameras === GOAL_CAMERAS && playing === GOAL_PLAYING);
printReport('simulator', goals, {
  cameras, startupSec, idle, playing: { streams: playing, ...busy, receivedMbps: +(((bytes1 - bytes0) * 8) / seconds / 1e6).toFixed(2) },
  node: process.version,
});
