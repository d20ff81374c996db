// Relay benchmark: our in-process relay versus one `ffmpeg -c copy -f hls` per stream, against simulated cameras.
// npm run bench:relay -- [--streams 1,10,50,100] [--seconds 20]
// Prints JSON. Three roles of this same file, each its own process so /proc accounting stays separate:
//   parent (default)     orchestrates and measures CPU/RSS/PSS from /proc
//   --role cameras       runs the simulated fleet (its CPU is never counted as ours)
//   --role relay         runs RelayManager with N streams and reports first-playlist times and event-loop delay
// Network: loopback only (127.0.x.y); every child and ffmpeg is killed by its PID at the end of each round.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const BASE_INDEX = 2000; // media tests' index range; the bench is not run alongside them
const FFMPEG = '/usr/bin/ffmpeg';
const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : def;
};
const role = arg('role', 'parent');

async function simSpecs(count: number) {
  const { planCamera } = await import('./simulator/index');
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
  const { startFleet } = await import('./simulator/index');
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

async function runRelay(): Promise<void> {
  const { RelayManager } = await import('../server/media/index');
  const sources = JSON.parse(readFileSync(0, 'utf8').split('\n')[0]!) as { url: string; username: string; password: string }[];
  const seconds = Number(arg('seconds', '20'));
  const manager = new RelayManager({ resolveSource: async (id) => sources[id]!, maxRelays: sources.length + 1, idleTimeoutMs: 60_000 });
  const firsts: number[] = [];
  const started = Date.now();
  await Promise.all(sources.map(async (_, id) => {
    const t0 = performance.now();
    await manager.playlist(id, 'bench');
    firsts.push(performance.now() - t0);
  }));
  process.stdout.write(JSON.stringify({ phase: 'steady', startupMs: Date.now() - started }) + '\n');
  // Steady state with one simulated viewer per stream: playlist poll each second plus the newest segment.
  const eld = monitorEventLoopDelay({ resolution: 10 });
  eld.enable();
  let bytes = 0;
  const viewer = setInterval(() => {
    for (let id = 0; id < sources.length; id++) {
      void manager.playlist(id, 'bench').then((text) => {
        const names = text.split('\n').filter((l) => l && !l.startsWith('#'));
        bytes += manager.segment(id, names[names.length - 1]!)?.body.byteLength ?? 0;
      }).catch(() => {});
    }
  }, 1000);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  clearInterval(viewer);
  eld.disable();
  const online = manager.list().filter((s) => s.state === 'online').length;
  process.stdout.write(JSON.stringify({
    phase: 'done', online, viewerBytes: bytes,
    firstPlaylistMs: { p50: Math.round(percentile(firsts, 50)), p95: Math.round(percentile(firsts, 95)) },
    eventLoopDelayMs: { p99: Math.round(eld.percentile(99) / 1e4) / 100, max: Math.round(eld.max / 1e4) / 100 },
  }) + '\n');
  manager.close();
  setTimeout(() => process.exit(0), 200);
}

// ---------- parent ----------

const CLK_TCK = 100;
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK; // utime + stime
  } catch { return 0; }
}
function memKb(pid: number): { rss: number; pss: number } {
  try {
    const t = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return { rss: Number(/^Rss:\s+(\d+)/m.exec(t)?.[1] ?? 0), pss: Number(/^Pss:\s+(\d+)/m.exec(t)?.[1] ?? 0) };
  } catch { return { rss: 0, pss: 0 }; }
}

function tsx(extra: string[]): ChildProcess {
  const self = fileURLToPath(import.meta.url);
  return spawn(process.execPath, ['--import', 'tsx', self, ...extra], { stdio: ['pipe', 'pipe', 'inherit'] });
}

function lines(child: ChildProcess, onLine: (o: Record<string, unknown>) => void): void {
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

async function measureOurs(sources: unknown[], seconds: number) {
  const child = tsx(['--role', 'relay', '--seconds', String(seconds)]);
  let steadyAt = 0, cpu0 = 0;
  const done = new Promise<Record<string, unknown>>((resolve) => lines(child, (o) => {
    if (o.phase === 'steady') { steadyAt = Date.now(); cpu0 = cpuSeconds(child.pid!); }
    if (o.phase === 'done') resolve(o);
  }));
  child.stdin!.end(JSON.stringify(sources) + '\n');
  let mem = { rss: 0, pss: 0 };
  const sampler = setInterval(() => { if (steadyAt) { const m = memKb(child.pid!); if (m.rss) mem = m; } }, 1000);
  const deadline = sleep((seconds + 60) * 1000).then(() => ({ phase: 'timeout' }) as Record<string, unknown>);
  const result = await Promise.race([done, deadline]);
  const cpu = cpuSeconds(child.pid!) - cpu0;
  const wall = (Date.now() - steadyAt) / 1000;
  clearInterval(sampler);
  killPid(child);
  const n = sources.length;
  return {
    ...result,
    cpuPctPerStream: +((100 * cpu / wall) / n).toFixed(2),
    rssMbPerStream: +(mem.rss / 1024 / n).toFixed(2),
    pssMbPerStream: +(mem.pss / 1024 / n).toFixed(2),
  };
}

async function measureFfmpeg(sources: { url: string; username: string; password: string }[], seconds: number) {
  const dirs: string[] = [];
  const procs: ChildProcess[] = [];
  const firsts: number[] = [];
  const t0 = Date.now();
  sources.forEach((s, i) => {
    const dir = mkdtempSync(join(tmpdir(), `bench-ffmpeg-${i}-`));
    dirs.push(dir);
    const u = new URL(s.url);
    u.username = s.username;
    u.password = s.password; // ffmpeg only takes credentials in the URL; this never leaves the process table
    procs.push(spawn(FFMPEG, ['-nostdin', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', u.toString(), '-c', 'copy', '-f', 'hls',
      '-hls_time', '1', '-hls_list_size', '6', '-hls_flags', 'delete_segments', join(dir, 'index.m3u8')], { stdio: 'ignore' }));
  });
  const pending = new Set(dirs.map((_, i) => i));
  for (let waited = 0; pending.size && waited < 60_000; waited += 50) {
    for (const i of [...pending]) if (existsSync(join(dirs[i]!, 'index.m3u8'))) { firsts.push(Date.now() - t0); pending.delete(i); }
    await sleep(50);
  }
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
  procs.forEach(killPid);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  const n = sources.length;
  return {
    online: n - pending.size,
    firstPlaylistMs: { p50: Math.round(percentile(firsts, 50)), p95: Math.round(percentile(firsts, 95)) },
    cpuPctPerStream: +((100 * cpu / wall) / n).toFixed(2),
    rssMbPerStream: +(rss / 1024 / n).toFixed(2),
    pssMbPerStream: +(pss / 1024 / n).toFixed(2),
  };
}

async function parent(): Promise<void> {
  const counts = arg('streams', '1,10,50,100').split(',').map(Number).filter((n) => n > 0 && n <= 180);
  const seconds = Math.max(5, Math.min(300, Number(arg('seconds', '20'))));
  const haveFfmpeg = existsSync(FFMPEG);
  const rounds = [];
  for (const n of counts) {
    const cams = tsx(['--role', 'cameras', '--count', String(n)]);
    try {
      const ready = await Promise.race([
        new Promise<{ urls: { url: string; username: string; password: string }[] }>((resolve) => lines(cams, (o) => { if (o.ready) resolve(o as never); })),
        sleep(60_000).then(() => { throw new Error('simulator did not start'); }),
      ]);
      const ours = await measureOurs(ready.urls, seconds);
      const ffmpeg = haveFfmpeg ? await measureFfmpeg(ready.urls, seconds) : null;
      const ratio = (a: number, b: number | undefined) => (b ? +(a / b).toFixed(3) : null);
      rounds.push({
        streams: n, seconds, ours, ffmpeg: ffmpeg ?? 'skipped: /usr/bin/ffmpeg missing',
        ratios: ffmpeg ? {
          cpu: ratio(ours.cpuPctPerStream, ffmpeg.cpuPctPerStream),
          pss: ratio(ours.pssMbPerStream, ffmpeg.pssMbPerStream),
          rss: ratio(ours.rssMbPerStream, ffmpeg.rssMbPerStream),
        } : null,
      });
    } finally {
      cams.stdin!.end();
      await Promise.race([new Promise((r) => cams.once('exit', r)), sleep(5000)]);
      killPid(cams);
    }
  }
  const last = rounds[rounds.length - 1];
  process.stdout.write(JSON.stringify({
    goals: { cpuRatio: '<= 0.8', pssRatio: '<= 0.2', firstPlaylistP50Ms: '<= 1200', eventLoopP99Ms: '<= 50 at 100 streams' },
    host: { cpus: (await import('node:os')).cpus().length, node: process.version },
    rounds,
    summaryAtMaxStreams: last ?? null,
  }, null, 2) + '\n');
}

if (role === 'cameras') void runCameras();
else if (role === 'relay') void runRelay();
else void parent();
