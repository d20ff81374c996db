// The reference side of the relay bench: one `ffmpeg -c copy -f hls` per stream, writing segment files to a temp
// directory each, measured from /proc over the same steady-state interval as ours.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile } from '../lib/percentile';
import { cpuSeconds, memoryKb } from '../lib/proc';
import { killPid, SEGMENT_SEC, type Source, sleep, WINDOW } from './common';

export const FFMPEG = '/usr/bin/ffmpeg';

export async function measureFfmpeg(sources: Source[], seconds: number) {
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
      const m = procs.map((p) => memoryKb(p.pid!));
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
