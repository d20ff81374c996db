// Relay benchmark: our relay (RelayManager behind a minimal HTTP server) versus one `ffmpeg -c copy -f hls` per
// stream, against simulated cameras.
//   npm run bench:relay -- [--streams 1,10,50,100] [--seconds 20] [--workers N] [--no-ffmpeg] [--url rtsp://…]…
// Prints one JSON object; goals (server/media/README.md), at 100 streams: CPU ≤ 0.8 and PSS ≤ 0.2 of ffmpeg's,
// first playlist p50 ≤ 1.2 s, event-loop delay p99 ≤ 50 ms. Quick look: `--streams 1 --seconds 5 --no-ffmpeg`.
// Opt-in codec rounds (issue 19): `--transcode 720,1080` measures one H.265 → H.264 transcode per source height
// (CPU of one core, first transcoded segment; transcode.ts); `--g711 N` relays N G.711 cameras with their audio
// carried as FLAC and again with it dropped: the CPU added per stream, goal ≤ 10 % of relaying. `--streams 0` skips
// the H.264 rounds.
// `--url` (repeatable) pulls those RTSP addresses instead of simulated cameras, round-robin over the streams of
// each round (a camera may refuse more sessions than it allows); credentials come from BENCH_RTSP_USER and
// BENCH_RTSP_PASSWORD, never from the URL or the command line (both are readable in /proc). Without `--url`,
// nothing leaves loopback. Three kinds of process, so /proc accounting stays separate:
//   this one             orchestrates; plays one viewer per stream over HTTP; reads CPU/RSS/PSS from /proc
//   cameras.ts           the simulated fleet (its CPU is never counted on either side)
//   relay-server.ts      RelayManager (its worker threads included) + HTTP server (ours.ts); reports event-loop
//                        delay of its main thread, the one that serves playlists and segments
// Like for like: both sides pull RTSP over TCP (`-rtsp_transport tcp`; the simulator also offers UDP), 1 s
// segments, a window of 4, and CPU is utime+stime of the whole process (all threads) over the same steady-state
// interval after every stream has a playlist. Network: loopback only; every child and ffmpeg is killed by its PID.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { atMost, printReport, statedAt } from '../lib/report';
import { jsonLines, killPid, SEGMENT_SEC, type Source, sleep, WINDOW } from './common';
import { FFMPEG, measureFfmpeg } from './ffmpeg';
import { measureOurs } from './ours';
import { measureTranscode } from './transcode';

/** The size the goals are stated for. */
const GOAL_STREAMS = 100;

const { values: args } = parseArgs({
  options: {
    streams: { type: 'string', default: '1,10,50,100' },
    seconds: { type: 'string', default: '20' },
    workers: { type: 'string' },
    'no-ffmpeg': { type: 'boolean', default: false },
    url: { type: 'string', multiple: true, default: [] },
    transcode: { type: 'string' },
    g711: { type: 'string' },
  },
});
const urls = args.url!;

function spawnCameras(count: number, kind = ''): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'cameras.ts'), String(count), '2000', kind], { stdio: ['pipe', 'pipe', 'inherit'] });
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

const ratio = (a: number, b: number | undefined) => (b ? +(a / b).toFixed(3) : null);

async function round(n: number, seconds: number, withFfmpeg: boolean) {
  const cams = urls.length ? null : spawnCameras(n);
  try {
    const ready = cams ? await new Promise<{ urls: Source[] }>((resolve, reject) => {
      // Cleared once the cameras are up: a pending timer would keep this process alive after the report.
      const timer = setTimeout(() => reject(new Error('simulator did not start')), 60_000);
      jsonLines(cams, (o) => { if (o.ready) { clearTimeout(timer); resolve(o as never); } });
    }) : { urls: givenSources(n) };
    const ours = await measureOurs(ready.urls, seconds, args.workers);
    const ffmpeg = withFfmpeg ? await measureFfmpeg(ready.urls, seconds) : null;
    return {
      streams: n, seconds, ours, ffmpeg: ffmpeg ?? 'skipped' as const,
      ratios: ffmpeg ? {
        cpu: ratio(ours.cpuPctPerStream, ffmpeg.cpuPctPerStream),
        pss: ratio(ours.pssMbPerStream, ffmpeg.pssMbPerStream),
        rss: ratio(ours.rssMbPerStream, ffmpeg.rssMbPerStream),
        // Same bytes on both sides: ours holds its window in PSS, ffmpeg's is in its segment files.
        pssWithWindow: ratio(ours.pssMbPerStream, ffmpeg.pssMbPerStream + ffmpeg.segmentFilesMbPerStream),
        pssWithoutWindow: ratio(ours.pssMbPerStream - ours.windowMbPerStream, ffmpeg.pssMbPerStream),
      } : null,
    };
  } finally {
    if (cams) {
      cams.stdin!.end();
      await Promise.race([new Promise((r) => cams.once('exit', r)), sleep(5000)]);
      killPid(cams);
    }
  }
}

/** The G.711 round: the same G.711 cameras relayed with their audio carried (FLAC) and with it dropped. */
async function g711Round(n: number, seconds: number) {
  const cams = spawnCameras(n, 'pcma');
  try {
    const ready = await new Promise<{ urls: Source[] }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('simulator did not start')), 60_000);
      jsonLines(cams, (o) => { if (o.ready) { clearTimeout(timer); resolve(o as never); } });
    });
    // Three runs of the same cameras: audio dropped in MPEG-TS (before issue 19), audio dropped in CMAF (what the
    // format switch alone costs), audio carried as FLAC (CMAF, as now).
    const dropped = await measureOurs(ready.urls, seconds, args.workers, ['--no-g711']);
    const droppedCmaf = await measureOurs(ready.urls, seconds, args.workers, ['--no-g711', '--cmaf']);
    const carried = await measureOurs(ready.urls, seconds, args.workers);
    return {
      streams: n, seconds, fixture: 'h264-pcma (640x360 ~0.8 Mb/s, G.711 A-law 8 kHz mono)',
      cpuPctPerStream: { droppedTs: dropped.cpuPctPerStream, droppedCmaf: droppedCmaf.cpuPctPerStream, carriedFlacCmaf: carried.cpuPctPerStream },
      addedRatio: ratio(carried.cpuPctPerStream - dropped.cpuPctPerStream, dropped.cpuPctPerStream),
      addedByAudioAloneRatio: ratio(carried.cpuPctPerStream - droppedCmaf.cpuPctPerStream, droppedCmaf.cpuPctPerStream),
      addedByCmafRatio: ratio(droppedCmaf.cpuPctPerStream - dropped.cpuPctPerStream, dropped.cpuPctPerStream),
      firstPlaylistMs: { droppedTs: dropped.firstPlaylistMs, droppedCmaf: droppedCmaf.firstPlaylistMs, carriedFlacCmaf: carried.firstPlaylistMs },
      online: { droppedTs: dropped.online, droppedCmaf: droppedCmaf.online, carriedFlacCmaf: carried.online },
    };
  } finally {
    cams.stdin!.end();
    await Promise.race([new Promise((r) => cams.once('exit', r)), sleep(5000)]);
    killPid(cams);
  }
}

const counts = args.streams!.split(',').map(Number).filter((n) => n > 0 && n <= 180);
const seconds = Math.max(5, Math.min(300, Number(args.seconds)));
const haveFfmpeg = existsSync(FFMPEG) && !args['no-ffmpeg'];
const loadBefore = loadavg().map((x) => +x.toFixed(2));
const rounds = [];
for (const n of counts) rounds.push(await round(n, seconds, haveFfmpeg));
const transcodes = [];
for (const h of (args.transcode ?? '').split(',').map(Number).filter((x) => x === 720 || x === 1080)) {
  transcodes.push(await measureTranscode(h, seconds));
}
const g711 = args.g711 ? await g711Round(Math.max(1, Math.min(100, Number(args.g711))), seconds) : null;

// Judged on the last (largest) round, as the media README states them: at 100 streams.
const last = rounds.at(-1);
const goals = statedAt({
  cpuRatio: atMost(last?.ratios?.cpu, 0.8),
  pssRatio: atMost(last?.ratios?.pss, 0.2),
  firstPlaylistP50Ms: atMost(last?.ours.firstPlaylistMs.p50, 1200),
  eventLoopP99Ms: atMost(last?.ours.withViewers.eventLoopDelayMs.p99, 50),
}, `${GOAL_STREAMS} streams`, (last?.streams ?? 0) >= GOAL_STREAMS);
if (g711) {
  // The goal (CPU added per stream ≤ 10 % of relaying) over the whole change, and the audio path alone.
  goals.g711AddedCpuRatio = atMost(g711.addedRatio, 0.1);
  goals.g711AudioAloneAddedCpuRatio = atMost(g711.addedByAudioAloneRatio, 0.1);
}

printReport('relay', goals, {
  host: {
    cores: cpus().length, availableParallelism: availableParallelism(), cpu: cpus()[0]?.model ?? null, node: process.version,
    loadavgBefore: loadBefore, loadavgAfter: loadavg().map((x) => +x.toFixed(2)),
  },
  settings: {
    segmentSec: SEGMENT_SEC, window: WINDOW, transport: 'rtsp over tcp (both)',
    cpuAndMemory: 'utime+stime and peak PSS of all processes/threads, steady state, relaying only (ffmpeg serves nothing)',
    withViewers: 'ours again with one HTTP player per stream: event-loop delay of the serving thread, CPU incl. serving',
    percentiles: 'nearest rank',
    sources: urls.length ? `${urls.length} given RTSP URL(s), round-robin` : 'simulated cameras on loopback',
  },
  rounds,
  ...(transcodes.length ? { transcodes } : {}),
  ...(g711 ? { g711 } : {}),
});
