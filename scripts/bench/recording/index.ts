// Recording benchmark: 100 simulated cameras recorded continuously by our segment store versus one
// `ffmpeg -rtsp_transport tcp -i URL -c copy -f segment -segment_time 1` per stream.
//   npm run bench:recording -- [--streams 100] [--seconds 20] [--no-ffmpeg] [--only record|playback|clip|retention]
//                              [--points 20] [--clips 5] [--segments 1000000]
// Three measurements over the same steady-state interval (CPU = utime+stime of the whole process, all threads):
//   relay      our gateway side with every relay running (pinned, no viewer), nothing written;
//   record     the same plus the segment store writing every segment (files, journal, batched SQLite index);
//   ffmpeg     ffmpeg's recording.
// Goals (issue #17): CPU added by recording ≤ 15 % of relaying's and ≤ 0.5× ffmpeg's recording CPU; bytes written
// (segments + journal) / bytes received ≤ 1.02; event-loop p99 ≤ 50 ms while recording. Loopback only; every
// child and ffmpeg is killed by its PID. Then playback (playback.ts): a day of recording played in Chromium — click on
// the timeline → first frame ≤ 1.0 s p50, seek within the loaded range ≤ 0.5 s p50. Clip export (clip.ts): 60 s of
// stored MPEG-TS as MP4 through the HTTP route ≤ 1 s. Retention (retention.ts): a sweep over 1M indexed segments
// ≤ 1 s, event-loop p99 ≤ 50 ms while it runs.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cpuSeconds } from '../lib/proc';
import { atMost, printReport, statedAt } from '../lib/report';
import { jsonLines, killPid, type Source, sleep } from '../relay/common';
import { clipBench } from './clip';
import { playbackBench } from './playback';
import { retentionBench } from './retention';

const { values: args } = parseArgs({ options: {
  streams: { type: 'string', default: '100' }, seconds: { type: 'string', default: '20' }, 'no-ffmpeg': { type: 'boolean', default: false },
  only: { type: 'string' }, points: { type: 'string', default: '20' }, segments: { type: 'string', default: '1000000' },
  clips: { type: 'string', default: '5' },
} });
const n = Math.max(1, Math.min(180, Number(args.streams)));
const seconds = Math.max(5, Math.min(300, Number(args.seconds)));
const FFMPEG = '/usr/bin/ffmpeg';

function waitLine(child: ChildProcess, phase: string, timeoutMs = 120_000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${phase} within ${timeoutMs} ms`)), timeoutMs);
    jsonLines(child, (o) => { if (o.phase === phase || (phase === 'ready' && o.ready)) { clearTimeout(timer); resolve(o); } });
  });
}

async function ours(sources: Source[], record: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-rec-'));
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'recorder-server.ts'), dir, ...(record ? ['--record'] : [])], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const online = waitLine(child, 'online');
    child.stdin!.write(JSON.stringify(sources) + '\n');
    await online;
    await sleep(2000);
    const done = waitLine(child, 'done');
    child.stdin!.write('measure\n');
    const c0 = cpuSeconds(child.pid!);
    const t0 = Date.now();
    await sleep(seconds * 1000);
    const cpu = cpuSeconds(child.pid!) - c0;
    const wall = (Date.now() - t0) / 1000;
    child.stdin!.write('report\n');
    const r = await done as { bytesWritten: number; journalBytes: number; bytesReceived: number; bytesPublished: number; eventLoopDelayMs: { p99: number } };
    return { cpuPct: +((100 * cpu) / wall).toFixed(2), ...r };
  } finally {
    child.stdin!.end();
    await Promise.race([new Promise((r) => child.once('exit', r)), sleep(5000)]);
    killPid(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function ffmpeg(sources: Source[]) {
  const dirs: string[] = [];
  const procs: ChildProcess[] = [];
  try {
    sources.forEach((s, i) => {
      const dir = mkdtempSync(join(tmpdir(), `bench-rec-ffmpeg-${i}-`));
      dirs.push(dir);
      const u = new URL(s.url);
      u.username = s.username;
      u.password = s.password;
      procs.push(spawn(FFMPEG, ['-nostdin', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', u.toString(), '-c', 'copy', '-f', 'segment', '-segment_time', '1', join(dir, 'out%05d.ts')], { stdio: 'ignore' }));
    });
    for (let waited = 0; waited < 60_000 && dirs.some((d) => readdirSync(d).length === 0); waited += 200) await sleep(200);
    await sleep(2000);
    const size = () => dirs.reduce((a, d) => a + readdirSync(d).reduce((b, f) => b + statSync(join(d, f)).size, 0), 0);
    const c0 = procs.reduce((a, p) => a + cpuSeconds(p.pid!), 0);
    const b0 = size();
    const t0 = Date.now();
    await sleep(seconds * 1000);
    const cpu = procs.reduce((a, p) => a + cpuSeconds(p.pid!), 0) - c0;
    const wall = (Date.now() - t0) / 1000;
    return { cpuPct: +((100 * cpu) / wall).toFixed(2), bytesWritten: size() - b0, running: procs.filter((p) => p.exitCode === null).length };
  } finally {
    procs.forEach(killPid);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

async function recordingRounds() {
  const cams = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../relay/cameras.ts'), String(n), '4400'], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const ready = await Promise.race([
      waitLine(cams, 'ready'),
      new Promise<never>((_, reject) => cams.once('exit', (code) => reject(new Error(`simulated cameras exited (${code})`)))),
    ]) as unknown as { urls: Source[] };
    const relay = await ours(ready.urls, false);
    const record = await ours(ready.urls, true);
    const ff = existsSync(FFMPEG) && !args['no-ffmpeg'] ? await ffmpeg(ready.urls) : null;
    const added = record.cpuPct - relay.cpuPct;
    const ratio = (a: number, b: number | undefined | null) => (b ? +(a / b).toFixed(3) : null);
    const goals = statedAt({
      addedCpuOfRelaying: atMost(ratio(added, relay.cpuPct), 0.15),
      addedCpuOfFfmpeg: atMost(ff ? ratio(added, ff.cpuPct) : null, 0.5),
      // Segment bytes are MPEG-TS (their PES/TS headers are not in the RTP payload counted as received); the store's
      // own overhead is the journal (and nothing else: segments are written as published), shown as storeOverhead.
      bytesWrittenPerReceived: atMost(ratio(record.bytesWritten + record.journalBytes, record.bytesReceived), 1.02),
      storeOverhead: atMost(ratio(record.bytesWritten + record.journalBytes, record.bytesPublished), 1.02),
      eventLoopP99Ms: atMost(record.eventLoopDelayMs.p99, 50),
    }, '100 streams', n >= 100);
    return {
      goals,
      figures: {
        settings: { streams: n, seconds, segmentSec: 1, ffmpeg: '-rtsp_transport tcp -c copy -f segment -segment_time 1' },
        relay, record, ffmpeg: ff ?? 'skipped', addedCpuPct: +added.toFixed(2),
        ffmpegBytesWrittenPerReceived: ff ? ratio(ff.bytesWritten, relay.bytesReceived) : null,
      },
    };
  } finally {
    cams.stdin!.end();
    await Promise.race([new Promise((r) => cams.once('exit', r)), sleep(5000)]);
    killPid(cams);
  }
}

const loadBefore = loadavg().map((x) => +x.toFixed(2));
const runs = (round: string) => !args.only || args.only === round;
const recording = runs('record') ? await recordingRounds() : null;
const playback = runs('playback') ? await playbackBench(Math.max(1, Math.min(100, Number(args.points)))) : null;
const clip = runs('clip') ? await clipBench(Math.max(1, Math.min(50, Number(args.clips)))) : null;
const retention = runs('retention') ? await retentionBench(Math.max(1000, Math.min(5_000_000, Number(args.segments)))) : null;
printReport('recording', { ...recording?.goals, ...playback?.goals, ...clip?.goals, ...retention?.goals }, {
  host: { cores: cpus().length, loadavgBefore: loadBefore, loadavgAfter: loadavg().map((x) => +x.toFixed(2)) },
  ...recording?.figures,
  playback: playback?.figures ?? 'skipped',
  clip: clip?.figures ?? 'skipped',
  retention: retention?.figures ?? 'skipped',
});
