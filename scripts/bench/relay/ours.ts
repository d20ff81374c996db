// Our side of the relay bench: the relay process (relay-server.ts) pulling every source, measured from /proc while
// relaying only (what ffmpeg does: it serves nothing), then again with one HTTP player per stream.
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { nodeArgsFor } from '../../../server/bundle.mjs';
import { gatewayEnv } from '../../gateway-env.mjs';
import { percentile } from '../lib/percentile';
import { cpuSeconds, memoryKb } from '../lib/proc';
import { httpGet, jsonLines, killPid, SEGMENT_SEC, type Source, sleep, WINDOW } from './common';

const RELAY_SERVER = join(import.meta.dirname, 'relay-server.ts');
let relayArgs: Promise<string[]> | null = null;

async function spawnRelay(workers: string | undefined, extra: string[]): Promise<ChildProcess> {
  const node = await (relayArgs ??= nodeArgsFor(RELAY_SERVER, 'bench-relay'));
  return spawn(process.execPath, [...node, ...(workers ? ['--workers', workers] : []), ...extra], { env: gatewayEnv(), stdio: ['pipe', 'pipe', 'inherit'] });
}

/** utime+stime of the whole process (all threads) over `seconds`, with the peak PSS/RSS seen meanwhile. */
export async function sampleProcess(pid: number, seconds: number) {
  const cpu0 = cpuSeconds(pid);
  const t0 = Date.now();
  let mem = { rss: 0, pss: 0 };
  for (let s = 0; s < seconds; s++) {
    await sleep(1000);
    const m = memoryKb(pid);
    if (m.pss > mem.pss) mem = m;
  }
  return { cpuSec: cpuSeconds(pid) - cpu0, wallSec: (Date.now() - t0) / 1000, rssKb: mem.rss, pssKb: mem.pss };
}

/** One player per stream, like hls.js on a live playlist: poll every target duration, fetch each new segment. */
function startPlayers(port: number, n: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let stopped = false;
  const stats = { playlists: 0, segments: 0, bytes: 0, errors: {} as Record<string, number> };
  const fail = (what: string) => { stats.errors[what] = (stats.errors[what] ?? 0) + 1; };
  const loops = Array.from({ length: n }, async (_, id) => {
    const seen = new Set<string>();
    await sleep(Math.random() * SEGMENT_SEC * 1000); // players do not poll in lockstep
    while (!stopped) {
      const t0 = Date.now();
      try {
        const pl = await httpGet(port, `/live/${id}/index.m3u8`, agent);
        stats.playlists++;
        if (pl.status !== 200) fail(`playlist ${pl.status}`); else {
          const names = pl.body.toString().split('\n').filter((l) => l && !l.startsWith('#'));
          const fresh = seen.size === 0 ? names.slice(-1) : names.filter((x) => !seen.has(x));
          for (const name of fresh) {
            seen.add(name);
            const seg = await httpGet(port, `/live/${id}/${name}`, agent);
            if (seg.status === 200) { stats.segments++; stats.bytes += seg.body.length; } else fail(`segment ${seg.status}`);
          }
          if (seen.size > 4 * WINDOW) for (const x of [...seen].slice(0, seen.size - 2 * WINDOW)) seen.delete(x);
        }
      } catch (err) { fail((err as Error).message); }
      await sleep(Math.max(0, SEGMENT_SEC * 1000 - (Date.now() - t0)));
    }
  });
  return { stats, stop: async () => { stopped = true; await Promise.all(loops); agent.destroy(); } };
}

export async function measureOurs(sources: Source[], seconds: number, workers: string | undefined, extra: string[] = []) {
  const child = await spawnRelay(workers, extra);
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
      const r = await httpGet(port, `/live/${id}/index.m3u8`, opening).catch(() => ({ status: 0 }));
      if (r.status === 200) firsts.push(performance.now() - t0); else failed++;
    }));
    opening.destroy();
    const n = sources.length;
    // Phase 1, relaying only (what the ffmpeg side does: it serves nothing): CPU and memory for the ratios.
    await sleep(1000);
    const relay = await sampleProcess(child.pid!, seconds);
    // Phase 2, one player per stream over HTTP: event-loop delay of the serving thread, and what serving adds.
    const players = startPlayers(port, n);
    await sleep(1000); // let the players' first fetches settle
    child.stdin!.write('measure\n');
    const served = await sampleProcess(child.pid!, seconds);
    child.stdin!.write('report\n');
    const done = await next('done', 30_000) as { online: number; windowBytes: number; eventLoopDelayMs: { p50: number; p99: number; max: number } };
    await players.stop();
    return {
      workers: hostCount,
      online: done.online,
      firstPlaylistMs: { p50: Math.round(percentile(firsts, 50)), p95: Math.round(percentile(firsts, 95)), failed },
      cpuPctPerStream: +((100 * relay.cpuSec / relay.wallSec) / n).toFixed(3),
      rssMbPerStream: +(relay.rssKb / 1024 / n).toFixed(2),
      pssMbPerStream: +(relay.pssKb / 1024 / n).toFixed(2),
      // The live window's segment bodies, in that PSS: ffmpeg keeps the same bytes in files (page cache, not PSS).
      windowMbPerStream: +(done.windowBytes / 1048576 / n).toFixed(2),
      withViewers: {
        eventLoopDelayMs: done.eventLoopDelayMs,
        cpuPctPerStream: +((100 * served.cpuSec / served.wallSec) / n).toFixed(3),
        pssMbPerStream: +(served.pssKb / 1024 / n).toFixed(2),
        http: { ...players.stats, mbps: +((players.stats.bytes * 8) / 1e6 / (served.wallSec + 1)).toFixed(1) },
      },
    };
  } finally {
    child.stdin!.end();
    await Promise.race([new Promise((r) => child.once('exit', r)), sleep(3000)]);
    killPid(child);
  }
}
