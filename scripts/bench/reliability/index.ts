// npm run bench:reliability — issue 9's fault and durability figures at full size, as one JSON document:
//   flapping     a camera flapping 100 cycles while viewed: resume time after each return (p50/p95/max), heap after
//                GC at start/end, sockets/timers/handles at baseline, while viewed and after the idle stop
//   durability   kill -9 of the gateway process during 1,000 tag/dispatch writes (8 at a time): acknowledged,
//                present, missing (must be 0), half-written (must be 0), restart time
//   database     a write lock held past the busy timeout, SQLITE_FULL (max_page_count), and a real full disk (a
//                16 MiB tmpfs, mounted and unmounted here, root only): the answers and what was left behind
//   restart      the gateway killed and restarted under a playing tile in Chromium: socket and playback recovery
//                (skipped without /usr/bin/chromium)
// The tests in test/reliability and test/e2e/restart.test.ts run the same code at smaller sizes and assert.
// Loopback only; every part bounded in count and time, and the whole run by --deadline-sec.
// Goals (the README's Reliability table): every flap resumed within 2 s, heap level (≤ ×1.1), handles and relays
// back to the baseline, at 100 cycles; nothing missing or half-written after kill -9, at 1,000 writes; busy → 503,
// full → 507, nothing written, the app writing again afterwards; no page reload across a gateway restart.
//
//   npm run bench:reliability -- [--cycles 100] [--warmup-cycles 5] [--writes 1000] [--concurrency 8] [--no-browser]
//                                 [--parts flapping,durability,database,restart] [--deadline-sec 720]
// Quick look (well under a minute): `--cycles 1 --warmup-cycles 1 --writes 10 --no-browser`.
import { parseArgs } from 'node:util';
import { busyFault, diskFullFault, tmpfsDiskFull } from './database-faults';
import { runDurability } from './durability';
import { runFlapping } from './flapping';
import { runRestart } from './restart';
import { buildTestApp, DEMO, login } from '../../../test/helpers/app';
import { hasChromium } from '../../../test/helpers/browser';
import { printReport } from '../lib/report';
import { reliabilityGoals } from './goals';

const { values: args } = parseArgs({
  options: {
    cycles: { type: 'string', default: '100' },
    'warmup-cycles': { type: 'string', default: '5' },
    writes: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '8' },
    'no-browser': { type: 'boolean', default: false },
    parts: { type: 'string', default: 'flapping,durability,database,restart' },
    'deadline-sec': { type: 'string', default: '720' },
  },
});
const bounded = (name: string, value: string, min: number, max: number) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer from ${min} to ${max}`);
  return n;
};
const CYCLES = bounded('cycles', args.cycles!, 1, 500);
const WARMUP_CYCLES = bounded('warmup-cycles', args['warmup-cycles']!, 1, 50);
const WRITES = bounded('writes', args.writes!, 10, 10_000);
const CONCURRENCY = bounded('concurrency', args.concurrency!, 1, 64);
const DEADLINE_SEC = bounded('deadline-sec', args['deadline-sec']!, 60, 3600);
const PART_NAMES = ['flapping', 'durability', 'database', 'restart'] as const;
const PARTS = new Set(args.parts!.split(',').map((p) => p.trim()));
for (const p of PARTS) if (!(PART_NAMES as readonly string[]).includes(p)) throw new Error(`--parts: no part "${p}" (${PART_NAMES.join(', ')})`);
const NOT_RUN = { skipped: 'not in --parts' } as const;
/** Demo camera for the browser part (test/e2e/restart.test.ts has 71 of the same reserved range 70–79). */
const RESTART_CAMERA = 72;

const deadline = setTimeout(() => {
  console.error(JSON.stringify({ error: `bench:reliability exceeded its ${DEADLINE_SEC} s deadline` }));
  process.exit(1);
}, DEADLINE_SEC * 1000);
deadline.unref();

const started = Date.now();
const log = (msg: string) => console.error(`[bench:reliability ${((Date.now() - started) / 1000).toFixed(0)}s] ${msg}`);

async function databaseFaults() {
  const t = await buildTestApp({ dispatch: { overdueScanSec: 0 } });
  try {
    const county = await login(t.app, ...DEMO.county);
    const busy = await busyFault(t.app, t.dataDir, county);
    const full = await diskFullFault(t.app, t.dataDir, county);
    const real = await tmpfsDiskFull((dataDir) => buildTestApp({ dataDir, dispatch: { overdueScanSec: 0 } }), (app) => login(app, ...DEMO.county));
    return {
      busy: {
        busyTimeoutMs: busy.busyTimeoutMs, lockHeldMs: busy.heldMs, status: busy.during.status, message: busy.during.message,
        answeredAfterMs: busy.during.ms, retryAfter: busy.during.retryAfter, statusAfterRelease: busy.afterStatus,
        written: busy.dangersAfterFailure - busy.dangersBefore, halfWritten: busy.halfWritten,
      },
      diskFull: {
        writesBeforeFull: full.writesBeforeFull, status: full.during.status, message: full.during.message, readStatus: full.readStatus,
        statusAfterSpaceFreed: full.afterStatus, written: full.dangersAfterFailure - full.dangersBeforeFailure, halfWritten: full.halfWritten,
      },
      tmpfsDiskFull: real
        ? {
          tmpfsBytes: real.tmpfsBytes, status: real.during.status, message: real.during.message, readStatus: real.readStatus,
          statusAfterSpaceFreed: real.afterStatus, written: real.dangersAfterFailure - real.dangersBeforeFailure, halfWritten: real.halfWritten,
          leftoverTempFiles: real.leftoverTempFiles,
        }
        : { skipped: 'tmpfs cannot be mounted (needs root)' },
    };
  } finally {
    await t.close();
  }
}

async function main() {
  let durability: Awaited<ReturnType<typeof durabilityPart>> | typeof NOT_RUN = NOT_RUN;
  if (PARTS.has('durability')) {
    log(`durability: ${WRITES} writes, ${CONCURRENCY} at a time, kill -9 at a random point`);
    durability = await durabilityPart();
  }

  let database: Awaited<ReturnType<typeof databaseFaults>> | typeof NOT_RUN = NOT_RUN;
  if (PARTS.has('database')) {
    log('database faults: busy lock, SQLITE_FULL');
    database = await databaseFaults();
  }

  let flapping: Awaited<ReturnType<typeof flappingPart>> | typeof NOT_RUN = NOT_RUN;
  if (PARTS.has('flapping')) {
    log(`flapping: ${CYCLES} cycles (+${WARMUP_CYCLES} warm-up)`);
    flapping = await flappingPart();
  }

  let restart: Awaited<ReturnType<typeof runRestart>> | { skipped: string } = NOT_RUN;
  if (!PARTS.has('restart')) restart = NOT_RUN;
  else if (args['no-browser']) restart = { skipped: '--no-browser' };
  else if (!hasChromium) restart = { skipped: 'no /usr/bin/chromium' };
  else {
    log('gateway restart under a playing tile (Chromium)');
    restart = await runRestart(RESTART_CAMERA);
  }

  const goals = reliabilityGoals({ flapping, durability, database, restart }, { cycles: CYCLES, writes: WRITES });
  printReport('reliability', goals, {
    at: new Date().toISOString(),
    durationSec: Math.round((Date.now() - started) / 1000),
    flapping,
    durability,
    database,
    restart,
  });
}

async function durabilityPart() {
  const d = await runDurability({ writes: WRITES, concurrency: CONCURRENCY, deadlineMs: 300_000 });
  return {
    writes: d.writes, concurrency: d.concurrency, killedAtWrite: d.killedAtWrite, acknowledged: d.acknowledged,
    acknowledgedBeforeKill: d.acknowledgedBeforeKill, inFlightAtKill: d.inFlightAtKill, inFlightPresent: d.inFlightPresent,
    present: d.present, missing: d.missing, halfWritten: d.halfWritten, failed: d.failed,
    dangers: d.atEnd.dangers, tasks: d.atEnd.tasks, problems: [...d.afterRestart.problems, ...d.atEnd.problems],
    firstStartMs: d.firstStartMs, restartMs: d.restartMs, durationMs: d.durationMs,
  };
}

async function flappingPart() {
  const f = await runFlapping({ cycles: CYCLES, warmupCycles: WARMUP_CYCLES, offlineMs: 1000, onlineMs: 500, deadlineSec: 540 });
  return {
    cycles: f.cycles, offlineMs: f.offlineMs, onlineMs: f.onlineMs,
    resumeMs: { p50: f.resumeMs.p50, p95: f.resumeMs.p95, max: f.resumeMs.max, within2s: f.resumeMs.within2s },
    memory: f.memory, handles: f.handles, relaysAfterIdle: f.relaysAfterIdle, reconnects: f.reconnects,
    statusEvents: f.statusEvents, viewer: f.viewer,
  };
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);
