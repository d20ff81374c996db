// Benchmark: what a fleet costs, idle and with some streams playing. Runs the fleet CLI as a child process
// (as the demo does) and reads its CPU time and RSS from /proc, so the clients' own cost is not counted.
//   npm run bench:simulator -- [--cameras 200] [--playing 10] [--seconds 10] [--from-index 3000]
// Prints one JSON object.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { RtspTestClient } from '../../simulator/rtsp/client';

const { values } = parseArgs({
  options: {
    cameras: { type: 'string', default: '200' },
    playing: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '10' },
    'from-index': { type: 'string', default: '3000' },
  },
});
const cameras = Number(values.cameras);
const playing = Math.min(Number(values.playing), cameras);
const seconds = Number(values.seconds);

const CLK_TCK = 100; // Linux USER_HZ
function sample(pid: number): { cpuSec: number; rssMB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSec = (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime + stime
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuSec, rssMB: rss ? Number(rss[1]) / 1024 : NaN };
}

async function measure(pid: number, sec: number) {
  const a = sample(pid);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, sec * 1000));
  const b = sample(pid);
  const wall = (performance.now() - t0) / 1000;
  return { cpuPercentOfOneCore: +((100 * (b.cpuSec - a.cpuSec)) / wall).toFixed(1), rssMB: +b.rssMB.toFixed(1) };
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
console.log(JSON.stringify({
  cameras, startupSec, idle, playing: { streams: playing, ...busy, receivedMbps: +(((bytes1 - bytes0) * 8) / seconds / 1e6).toFixed(2) },
  node: process.version,
}));
