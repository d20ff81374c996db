// npm run bench:cluster — several gateway nodes on one PostgreSQL (issue #22), with one SQLite node in the same run
// for comparison. On a 2-core machine scaling shows as load per node, not as speed-up. Four rounds:
//   events      socket.io clients spread over 2 nodes, dangers dispatched through node A: produce → receive p99 (events.ts)
//   residents   resident viewers of one share link spread over 2 nodes: segment fetch p99 (residents.ts)
//   relays      every camera asked on both nodes: RTSP sessions per camera at the simulator (relays.ts)
//   catalogue   bench:catalog's import and queries, in-process, on PostgreSQL and on SQLite (catalog/run.ts)
// The PostgreSQL cluster is this bench's own: initdb in a temp dir as the `postgres` user when root, listening on
// 127.0.0.1 only, stopped and removed at the end (scripts/postgres/cluster.ts, shared with the tests). Every node
// is server/server.ts in a child process (nodes.ts). Loopback only; every child is stopped by its own PID, on
// errors, on SIGINT/SIGTERM and at the deadline (children also stop themselves if this process disappears).
// Prints one JSON object; goals at full size: events p99 ≤ 100 ms at 500 sockets, segment p99 ≤ 200 ms at 2,000
// viewers, one pull per camera at 100 cameras, 100k-row import ≤ 15 s and worst query p50 ≤ 50 ms.
//
//   npm run bench:cluster -- [--only events,residents,relays,catalogue] [--no-sqlite] [--clients 500] [--rounds 40]
//                             [--viewers 2000] [--seconds 20] [--warmup 5] [--cameras 100] [--rows 100000] [--runs 15]
//                             [--deadline-sec N]
// Quick look: `npm run bench:cluster -- --quick` (small counts everywhere, goals shown unjudged).
import { mkdtempSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDatabase, postgresPids, postgresUnavailable, startPostgres, stopPostgres } from '../../postgres/cluster';
import { runCatalogue } from '../catalog/run';
import { startBenchApp } from '../lib/app';
import { atMost, equals, type Goals, printReport, statedAt } from '../lib/report';
import { children, stopChild } from '../viewers/children';
import { eventsRound } from './events';
import { type Backend, running, stopNode } from './nodes';
import { relaysRound } from './relays';
import { residentsRound } from './residents';

const ROUNDS = ['events', 'residents', 'relays', 'catalogue'] as const;
type Round = (typeof ROUNDS)[number];
const GOAL = { clients: 500, viewers: 2000, cameras: 100, rows: 100_000 };

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'no-sqlite': { type: 'boolean', default: false },
    clients: { type: 'string' },
    rounds: { type: 'string' },
    viewers: { type: 'string' },
    seconds: { type: 'string' },
    warmup: { type: 'string' },
    cameras: { type: 'string' },
    rows: { type: 'string' },
    runs: { type: 'string' },
    'deadline-sec': { type: 'string' },
  },
});
function bounded(name: string, given: string | undefined, full: number, quick: number, min: number, max: number): number {
  const n = Number(given ?? (args.quick ? quick : full));
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}
const only = new Set<Round>((args.only ?? ROUNDS.join(',')).split(',').map((s) => s.trim() as Round));
for (const r of only) if (!ROUNDS.includes(r)) throw new Error(`--only: one or more of ${ROUNDS.join(', ')}`);
const CLIENTS = bounded('clients', args.clients, GOAL.clients, 40, 1, 2000);
const EVENT_ROUNDS = bounded('rounds', args.rounds, 40, 6, 1, 500);
const VIEWERS = bounded('viewers', args.viewers, GOAL.viewers, 40, 2, 2000);
const SECONDS = bounded('seconds', args.seconds, 20, 5, 3, 300);
const WARMUP = bounded('warmup', args.warmup, 5, 1, 0, 60);
const CAMERAS = bounded('cameras', args.cameras, GOAL.cameras, 4, 1, 150);
const ROWS = bounded('rows', args.rows, GOAL.rows, 2000, 100, 200_000);
const RUNS = bounded('runs', args.runs, 15, 3, 1, 100);
const WITH_SQLITE = !args['no-sqlite'];
const DEADLINE_SEC = bounded('deadline-sec', args['deadline-sec'], 1800, 600, 60, 7200);

const pgSkip = postgresUnavailable();
const pgDir = mkdtempSync(join(tmpdir(), 'cvc-bench-cluster-pg-'));
let pgPort: number | undefined;

let cleaning: Promise<void> | null = null;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const c of [...children]) if (![...running].some((n) => n.child === c)) await stopChild(c, 'SIGTERM', 3000);
    for (const n of [...running]) await stopNode(n);
    stopPostgres(pgDir);
  })();
  return cleaning;
}
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    interrupted = true;
    console.error(JSON.stringify({ error: `bench:cluster: ${signal}, stopping every child` }));
    void cleanup().finally(() => process.exit(130));
  });
}
const deadline = setTimeout(() => {
  console.error(JSON.stringify({ error: `bench:cluster exceeded its ${DEADLINE_SEC} s deadline` }));
  void cleanup().finally(() => process.exit(1));
}, DEADLINE_SEC * 1000);
deadline.unref();

const progress = (what: string) => console.error(`bench:cluster: ${what}`);

/** A fresh database on the bench's cluster for one round. */
async function postgres(round: string): Promise<Backend> {
  if (pgPort === undefined) throw new Error(`PostgreSQL unavailable: ${pgSkip}`);
  return { engine: 'postgres', database: await createDatabase(pgPort, `bench_${round}`) };
}
const SQLITE: Backend = { engine: 'sqlite', database: '' };

async function main() {
  const startedAt = new Date().toISOString();
  const loadavgAtStart = loadavg().map((x) => +x.toFixed(2));
  if (pgSkip) throw new Error(`bench:cluster needs PostgreSQL: ${pgSkip}`);
  // Like for like with the SQLite node (WAL, synchronous = NORMAL: a commit is not fsynced, the last ones may roll
  // back after a power cut, the database is never corrupted): fsync and full-page writes on, synchronous_commit
  // off, which promises the same. (The tests' cluster turns fsync off altogether; a bench must not flatter.) With
  // synchronous_commit on, every commit waits for a WAL fsync: a first full run here gave event p99 333 ms on two
  // nodes against 98 ms on SQLite, most of it commit waits on this shared machine's disk.
  pgPort = await startPostgres(pgDir, { maxConnections: 300, settings: { fsync: 'on', synchronous_commit: 'off', full_page_writes: 'on' } });
  const goals: Goals = {};
  const figures: Record<string, unknown> = {};

  if (only.has('events')) {
    progress(`events: ${CLIENTS} sockets over 2 nodes on PostgreSQL`);
    const pg = await eventsRound(await postgres('events'), { clients: CLIENTS, rounds: EVENT_ROUNDS, nodes: 2 }, () => postgresPids(pgDir));
    let sqlite = null;
    if (WITH_SQLITE) {
      progress(`events: ${CLIENTS} sockets on one SQLite node`);
      sqlite = await eventsRound(SQLITE, { clients: CLIENTS, rounds: EVENT_ROUNDS, nodes: 1 });
    }
    Object.assign(goals, statedAt({
      eventsPostgres2NodesP99Ms: atMost(pg.latencyMs?.p99, 100),
      ...(sqlite ? { eventsSqlite1NodeP99Ms: atMost(sqlite.latencyMs?.p99, 100) } : {}),
    }, `${GOAL.clients} sockets`, CLIENTS >= GOAL.clients));
    figures.events = {
      what: 'ms from the start of POST /api/dangers/:id/dispatch on node A to task:received at each client of the township (clients on every node)',
      postgres: pg, sqlite,
    };
  }

  if (only.has('residents')) {
    progress(`residents: ${VIEWERS} viewers over 2 nodes on PostgreSQL`);
    const pg = await residentsRound(await postgres('residents'), { viewers: VIEWERS, nodes: 2, seconds: SECONDS, warmupSec: WARMUP });
    let sqlite = null;
    if (WITH_SQLITE) {
      progress(`residents: ${VIEWERS} viewers on one SQLite node`);
      sqlite = await residentsRound(SQLITE, { viewers: VIEWERS, nodes: 1, seconds: SECONDS, warmupSec: WARMUP });
    }
    Object.assign(goals, statedAt({
      residentsPostgres2NodesSegmentP99Ms: atMost(pg.segmentP99Ms, 200),
      residentsPostgres2NodesFailedRequests: equals(pg.failedRequests, 0),
      ...(sqlite ? { residentsSqlite1NodeSegmentP99Ms: atMost(sqlite.segmentP99Ms, 200), residentsSqlite1NodeFailedRequests: equals(sqlite.failedRequests, 0) } : {}),
    }, `${GOAL.viewers} viewers`, VIEWERS >= GOAL.viewers));
    figures.residents = {
      what: 'one share link, one camera (sub-stream); one hls.js-like load generator per node for its share of the viewers; segment fetch latency',
      postgres: pg, sqlite,
    };
  }

  if (only.has('relays')) {
    progress(`relays: ${CAMERAS} cameras asked on both nodes`);
    const pg = await relaysRound(await postgres('relays'), { cameras: CAMERAS, nodes: 2, concurrency: 8 });
    Object.assign(goals, statedAt({
      relaysMaxPullsPerCamera: equals(pg.pullsPerCamera.max, 1),
      relaysPlaylistFailures: equals(pg.failed, 0),
    }, `${GOAL.cameras} cameras`, CAMERAS >= GOAL.cameras));
    figures.relays = {
      what: 'each camera\'s live playlist asked through node A and node B; RTSP sessions each camera streams at the simulator afterwards',
      note: 'one pull per camera needs relay leases (a camera relayed on one node, served to the others from it); without them each node pulls its own',
      postgres: pg,
    };
  }

  if (only.has('catalogue')) {
    progress(`catalogue: ${ROWS} rows into PostgreSQL`);
    const pgApp = await startBenchApp('cluster-catalogue', { overrides: { database: (await postgres('catalogue')).database } });
    let pg;
    try {
      pg = await runCatalogue(pgApp, { cameras: ROWS, runs: RUNS });
    } finally {
      await pgApp.close();
    }
    let sqlite = null;
    if (WITH_SQLITE) {
      progress(`catalogue: ${ROWS} rows into SQLite`);
      const sqliteApp = await startBenchApp('cluster-catalogue-sqlite');
      try {
        sqlite = await runCatalogue(sqliteApp, { cameras: ROWS, runs: RUNS });
      } finally {
        await sqliteApp.close();
      }
    }
    Object.assign(goals, statedAt({
      cataloguePostgresImportSec: atMost(pg.import.firstSec, 15),
      cataloguePostgresWorstQueryP50Ms: atMost(pg.worstQueryMs, 50),
      ...(sqlite ? { catalogueSqliteImportSec: atMost(sqlite.import.firstSec, 15), catalogueSqliteWorstQueryP50Ms: atMost(sqlite.worstQueryMs, 50) } : {}),
    }, `${GOAL.rows} rows`, ROWS >= GOAL.rows));
    figures.catalogue = { what: 'bench:catalog in-process (the app and its database driver in this process; PostgreSQL in its own processes)', postgres: pg, sqlite };
  }

  printReport('cluster', goals, {
    startedAt,
    machine: {
      cores: cpus().length, availableParallelism: availableParallelism(), cpu: cpus()[0]?.model ?? null, memoryGb: +(totalmem() / 2 ** 30).toFixed(1),
      node: process.version, loadavgAtStart, loadavgAtEnd: loadavg().map((x) => +x.toFixed(2)),
    },
    settings: {
      quick: args.quick, rounds: [...only], sqliteComparison: WITH_SQLITE,
      events: { clients: CLIENTS, dispatches: EVENT_ROUNDS }, residents: { viewers: VIEWERS, seconds: SECONDS, warmupSec: WARMUP },
      relays: { cameras: CAMERAS }, catalogue: { rows: ROWS, runs: RUNS },
      postgres: 'this bench\'s own cluster: PostgreSQL in a temp dir on 127.0.0.1, fsync on, synchronous_commit off (as SQLite\'s WAL + synchronous NORMAL), max_connections 300',
      cpu: 'utime+stime from /proc over the measured window, % of one core (all threads of the process)',
      percentiles: 'nearest rank',
    },
    ...figures,
  });
}

main()
  .then(async () => { clearTimeout(deadline); await cleanup(); process.exit(0); })
  .catch(async (err: unknown) => {
    if (interrupted) return;
    console.error(JSON.stringify({ error: String((err as Error)?.stack ?? err) }));
    await cleanup();
    process.exit(1);
  });
