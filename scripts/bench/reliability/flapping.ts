// Runs scripts/bench/reliability/flap-child.ts in a child process of its own (with --expose-gc, so heap figures are
// after a full GC and nothing of the caller's is counted) and returns its report.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../..');

export interface FlapOptions {
  cycles: number;
  offlineMs?: number;
  onlineMs?: number;
  /** Simulator index (this suite's range is 3700–3799). */
  index?: number;
  deadlineSec?: number;
  /** Unmeasured cycles before the baseline (default 5). */
  warmupCycles?: number;
}

export interface FlapCount {
  sockets: number;
  servers: number;
  timers: number;
  activeHandles: number;
}

export interface FlapReport {
  cycles: number;
  warmupCycles: number;
  offlineMs: number;
  onlineMs: number;
  firstSegmentMs: number;
  resumeMs: { p50: number; p95: number; max: number; within2s: number; all: number[] };
  memory: { heapStartMB: number; heapEndMB: number; heapRatio: number; rssStartMB: number; rssEndMB: number };
  handles: { baseline: FlapCount; whileViewedStart: FlapCount; whileViewedEnd: FlapCount; afterIdleStop: FlapCount };
  relaysAfterIdle: number;
  reconnects: number;
  statusEvents: { online: number; offline: number };
  viewer: { polls: number; errors: number; segments: number };
}

export function runFlapping(opts: FlapOptions): Promise<FlapReport> {
  const args = [
    '--expose-gc', '--import', 'tsx', join(ROOT, 'scripts/bench/reliability/flap-child.ts'),
    '--cycles', String(opts.cycles),
    '--offline-ms', String(opts.offlineMs ?? 1000),
    '--online-ms', String(opts.onlineMs ?? 1000),
    '--index', String(opts.index ?? 3700),
    '--deadline-sec', String(opts.deadlineSec ?? 540),
    '--warmup-cycles', String(opts.warmupCycles ?? 5),
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-4000); });
  return new Promise((res, rej) => {
    child.once('exit', (code) => {
      // The RTSP client logs refused connections on stdout: the report is the line that is one JSON object.
      const line = out.split('\n').reverse().find((l) => l.startsWith('{'));
      if (code !== 0 || !line) return rej(new Error(`flap-child exited ${code}: ${err}`));
      res(JSON.parse(line) as FlapReport);
    });
  });
}
