// npm run bench:events — delivery latency of dispatch events over socket.io, and zero loss across reconnects.
//
// The gateway runs as a child process (its own event loop, as in production) on a temp data dir seeded with the
// demo county plus one officer per township; this process holds N socket.io clients spread evenly over the
// township rooms, all on 127.0.0.1. Phase 1 dispatches dangers one at a time, each to one township, and measures
// from the moment the API call starts to the moment each client of that township receives 'task:received'.
// Phase 2 drops the transport of 10% of the clients, dispatches while they are away, and checks that after their
// automatic reconnect + events:since every client holds every event it should: lost must be 0.
// Phase 3 (视频巡查): 33 township operators run their patrols at once — 500 camera marks in all, each with its frame,
// one mark per operator per --patrol-dwell-ms (1 s: 20× the default dwell) — and each mark's patrol:status is timed
// to every client of that township.
// Everything is bounded: client count, rounds, and a hard deadline for the whole run. Prints one JSON object;
// goals at 500 clients: delivery p99 ≤ 100 ms (dispatch and patrol), nothing lost across reconnects. The client is
// client.ts.
//
//   npm run bench:events -- [--clients 500] [--rounds 60] [--outage-events 12] [--deadline-sec 180]
// Quick look: `--clients 12 --rounds 6 --outage-events 2`.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gatewayEnv } from '../../gateway-env.mjs';
import Fastify from 'fastify';
import fp from 'fastify-plugin';
import app from '../../../server/app';
import { loadConfig } from '../../../server/config';
import { percentile } from '../lib/percentile';
import { atMost, equals, printReport, statedAt } from '../lib/report';
import { type Client, openClient, sockets } from './client';

const ROOT = resolve(import.meta.dirname, '../../..');
const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '500' },
    rounds: { type: 'string', default: '60' },
    'outage-events': { type: 'string', default: '12' },
    'deadline-sec': { type: 'string', default: '240' },
    'patrol-operators': { type: 'string', default: '33' },
    'patrol-marks': { type: 'string', default: '500' },
    'patrol-dwell-ms': { type: 'string', default: '1000' },
  },
});
const bounded = (name: string, value: string, max: number) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} must be an integer from 1 to ${max}`);
  return n;
};
const CLIENTS = bounded('clients', args.clients!, 2000);
const ROUNDS = bounded('rounds', args.rounds!, 1000);
const OUTAGE_EVENTS = bounded('outage-events', args['outage-events']!, 200);
const DEADLINE_MS = bounded('deadline-sec', args['deadline-sec']!, 900) * 1000;
const PATROL_OPERATORS = bounded('patrol-operators', args['patrol-operators']!, 200);
const PATROL_MARKS = bounded('patrol-marks', args['patrol-marks']!, 5000);
/** Time between one operator's marks: 1 s is twenty times the default dwell (20 s), so the load is far above a real shift's. */
const PATROL_DWELL_MS = bounded('patrol-dwell-ms', args['patrol-dwell-ms']!, 60_000);
const RECONNECT_SHARE = 0.1;
/** The size the goals are stated for. */
const GOAL_CLIENTS = 500;
const PASSWORD = 'bench-pass-1';
const FRAME = readFileSync(join(ROOT, 'test/dispatch/fixtures/frame.jpg')).toString('base64');

const dataDir = mkdtempSync(join(tmpdir(), 'cvc-bench-events-'));
let server: ChildProcess | undefined;

function cleanup() {
  for (const s of sockets) s.close();
  if (server && server.exitCode === null) server.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
const deadline = setTimeout(() => {
  console.error(JSON.stringify({ error: `bench:events exceeded its ${DEADLINE_MS / 1000}s deadline` }));
  cleanup();
  process.exit(1);
}, DEADLINE_MS);
deadline.unref();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, sleep(ms).then(() => Promise.reject(new Error(`timed out after ${ms} ms: ${what}`)))]);
}

interface PatrolOperator {
  username: string;
  unitId: number;
  runId: number;
  cameraIds: number[];
}

/**
 * Seeds the demo county in-process and adds one officer per township, and the patrol round's operators: each with a
 * plan of its township's cameras (PATROL_MARKS cameras in all, spread over the operators) whose run is already due.
 * Then closes: the server child reuses the data directory.
 */
async function seed(): Promise<{ officers: Array<{ username: string; unitId: number; name: string }>; patrol: PatrolOperator[] }> {
  const config = loadConfig({ env: {}, overrides: { host: '127.0.0.1', port: 0, dataDir, demo: { enabled: true, simulateCameras: false }, health: { enabled: false } } });
  const f = Fastify({ logger: false });
  await f.register(fp(app), { config });
  await f.ready();
  const county = (await f.repos.orgUnits.findByCode('339901'))!;
  const townships = await f.repos.orgUnits.children(county.id);
  const officers = [];
  for (const [i, t] of townships.entries()) {
    const username = `bench-town-${i + 1}`;
    await f.repos.users.create({ username, displayName: `${t.name}值班员`, role: 'township_officer', orgUnitId: t.id, password: PASSWORD });
    officers.push({ username, unitId: t.id, name: t.name });
  }
  const patrol: PatrolOperator[] = [];
  for (let i = 0; i < PATROL_OPERATORS; i++) {
    const t = townships[i % townships.length];
    const username = `bench-patrol-${i + 1}`;
    const id = await f.repos.users.create({ username, displayName: `${t.name}巡查员${i + 1}`, role: 'township_officer', orgUnitId: t.id, password: PASSWORD });
    const user = (await f.repos.users.byId(id))!;
    const own = (await f.repos.cameras.list((await f.repos.orgUnits.byId(t.id))!.path, { limit: 500 })).items.map((c) => c.id);
    const count = Math.floor(PATROL_MARKS / PATROL_OPERATORS) + (i < PATROL_MARKS % PATROL_OPERATORS ? 1 : 0);
    const cameraIds = Array.from({ length: Math.min(count, own.length) }, (_, k) => own[(i + k) % own.length]);
    const plan = await f.patrol.savePlan(user, undefined, { name: `bench patrol ${i + 1}`, orgUnitId: t.id, cameraIds, shifts: ['09:00'], dwellSec: 5 }, '127.0.0.1');
    await f.patrol.scheduleDue(new Date(Date.parse(plan.createdAt) + 86_400_000));
    const runs = await f.patrol.listRuns(user, { state: 'due' });
    patrol.push({ username, unitId: t.id, runId: runs.items.find((r) => r.planId === plan.id)!.id, cameraIds });
  }
  await f.close();
  return { officers, patrol };
}

async function startServer(): Promise<string> {
  server = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/server.ts')], {
    cwd: ROOT,
    env: {
      ...gatewayEnv(), CONSOLE_DATA_DIR: dataDir, CONSOLE_HOST: '127.0.0.1', CONSOLE_PORT: '0', CONSOLE_DEMO: 'true',
      CONSOLE_SIMULATE_CAMERAS: 'false', CONSOLE_HEALTH: 'false', CONSOLE_LOGIN_MAX_PER_MINUTE: '1000', CONSOLE_OVERDUE_SCAN_SEC: '0', LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return withTimeout(new Promise<string>((resolvePort, reject) => {
    let out = '';
    server!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /console: (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) resolvePort(m[1]);
    });
    server!.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  }), 60_000, 'server start');
}

interface Session {
  cookie: string;
  csrf: string;
}

async function login(base: string, username: string, password: string): Promise<Session> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0];
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

async function call<T>(base: string, s: Session, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

async function main() {
  const { officers, patrol } = await seed();
  const base = await startServer();
  const county = await login(base, 'county', 'county123');
  const sessions = new Map<number, Session>();
  for (const o of officers) sessions.set(o.unitId, await login(base, o.username, PASSWORD));

  // Clients, spread evenly over the township rooms, connected in batches so the handshake storm stays bounded.
  const clients: Client[] = [];
  for (let i = 0; i < CLIENTS; i += 50) {
    const batch = [];
    for (let j = i; j < Math.min(CLIENTS, i + 50); j++) {
      const o = officers[j % officers.length];
      batch.push(openClient(base, sessions.get(o.unitId)!.cookie, o.unitId));
    }
    clients.push(...(await withTimeout(Promise.all(batch), 30_000, 'client connect')));
  }
  const byUnit = new Map(officers.map((o) => [o.unitId, clients.filter((c) => c.unitId === o.unitId)]));

  // One camera per township, and a pool of reported dangers to dispatch.
  const cameraOf = new Map<number, number>();
  for (const o of officers) {
    const page = await call<{ items: Array<{ id: number }> }>(base, county, 'GET', `/api/cameras?orgUnitId=${o.unitId}&limit=1`);
    cameraOf.set(o.unitId, page.items[0].id);
  }
  const newDanger = (unitId: number) =>
    call<{ id: number }>(base, county, 'POST', '/api/dangers', {
      cameraId: cameraOf.get(unitId)!, capturedAt: new Date().toISOString(), category: 'public-order', severity: 'general', evidenceJpeg: FRAME,
    }).then((d) => d.id);

  /** Dispatches and resolves once every client of the township has the event (or after 10 s). */
  async function dispatchAndWait(unitId: number, dangerId: number) {
    const room = byUnit.get(unitId)!;
    const t0 = performance.now();
    const { id: taskId } = await call<{ id: number }>(base, county, 'POST', `/api/dangers/${dangerId}/dispatch`, { toUnitId: unitId, note: 'bench' });
    await withTimeout(Promise.all(room.map((c) => new Promise<void>((r) => {
      if ([...c.received.values()].some((e) => e.taskId === taskId)) return r();
      c.waiters.set(taskId, () => { c.waiters.delete(taskId); r(); });
    }))), 10_000, `delivery of task ${taskId}`);
    const times = room.map((c) => [...c.received.values()].find((e) => e.taskId === taskId)!.at - t0);
    return times;
  }

  // Phase 1: latency, one dispatch at a time, townships in turn.
  const dangers: Array<{ unitId: number; id: number }> = [];
  for (let r = 0; r < ROUNDS; r++) {
    const unitId = officers[r % officers.length].unitId;
    dangers.push({ unitId, id: await newDanger(unitId) });
  }
  const latencies: number[] = [];
  const lastClient: number[] = [];
  for (const d of dangers) {
    const times = await dispatchAndWait(d.unitId, d.id);
    latencies.push(...times);
    lastClient.push(Math.max(...times));
  }

  // Phase 2: drop 10% of the clients' transports, dispatch while they are away, let them reconnect and replay.
  const outagePool: Array<{ unitId: number; id: number }> = [];
  for (let i = 0; i < OUTAGE_EVENTS; i++) {
    const unitId = officers[i % officers.length].unitId;
    outagePool.push({ unitId, id: await newDanger(unitId) });
  }
  const dropped = clients.filter((_, i) => i % Math.round(1 / RECONNECT_SHARE) === 0);
  const before = new Map(clients.map((c) => [c, c.received.size]));
  for (const c of dropped) c.socket.io.engine.close();
  const outageTasks = await Promise.all(outagePool.map((d) => call<{ id: number }>(base, county, 'POST', `/api/dangers/${d.id}/dispatch`, { toUnitId: d.unitId }).then((t) => ({ unitId: d.unitId, taskId: t.id }))));
  // Wait (bounded) until every client holds every outage event of its township.
  const expectedFor = (c: Client) => outageTasks.filter((t) => t.unitId === c.unitId).map((t) => t.taskId);
  const complete = (c: Client) => {
    const have = new Set([...c.received.values()].map((e) => e.taskId));
    return expectedFor(c).every((id) => have.has(id));
  };
  const waitUntil = performance.now() + 20_000;
  while (performance.now() < waitUntil && !clients.every(complete)) await sleep(50);

  let expected = 0;
  let lost = 0;
  for (const c of clients) {
    const have = new Set([...c.received.values()].map((e) => e.taskId));
    for (const id of expectedFor(c)) {
      expected++;
      if (!have.has(id)) lost++;
    }
  }
  const replayed = dropped.reduce((n, c) => n + [...c.received.values()].filter((e) => e.replayed).length, 0);
  const gained = clients.reduce((n, c) => n + c.received.size - before.get(c)!, 0);

  // Phase 3: every patrol operator starts its run and marks its cameras one after another, all operators at once.
  const patrolLatencies: number[] = [];
  const patrolStart = performance.now();
  await Promise.all(patrol.map(async (op) => {
    const s = await login(base, op.username, PASSWORD);
    await call(base, s, 'POST', `/api/patrol/runs/${op.runId}/start`, {});
    // Operators do not start in lock-step: spread their first marks over one dwell.
    await sleep(Math.random() * PATROL_DWELL_MS);
    const room = byUnit.get(op.unitId)!;
    for (const [k, cameraId] of op.cameraIds.entries()) {
      const key = `${op.runId}:${k + 1}`;
      const t0 = performance.now();
      const arrived = Promise.all(room.map((c) => new Promise<void>((r) => {
        if (c.patrol.has(key)) return r();
        c.patrolWaiters.set(key, () => { c.patrolWaiters.delete(key); r(); });
      })));
      await call(base, s, 'POST', `/api/patrol/runs/${op.runId}/marks`, { cameraId, result: 'normal', playedSec: 5, frameJpeg: FRAME });
      await withTimeout(arrived, 10_000, `patrol mark ${key}`);
      for (const c of room) patrolLatencies.push(c.patrol.get(key)! - t0);
      await sleep(Math.max(0, t0 + PATROL_DWELL_MS - performance.now()));
    }
    await call(base, s, 'POST', `/api/patrol/runs/${op.runId}/complete`, {});
  }));
  const patrolSeconds = (performance.now() - patrolStart) / 1000;
  const marks = patrol.reduce((n, op) => n + op.cameraIds.length, 0);

  const goals = statedAt({
    latencyP99Ms: atMost(round2(percentile(latencies, 99)), 100),
    lostOnReconnect: equals(lost, 0),
    patrolLatencyP99Ms: atMost(round2(percentile(patrolLatencies, 99)), 100),
  }, `${GOAL_CLIENTS} clients`, CLIENTS >= GOAL_CLIENTS);
  printReport('events', goals, {
    transport: 'socket.io websocket on 127.0.0.1; gateway in a child process, clients in this process',
    clients: CLIENTS,
    townshipRooms: officers.length,
    clientsPerRoom: [...byUnit.values()].map((r) => r.length),
    latency: {
      what: 'ms from the start of POST /api/dangers/:id/dispatch to task:received at each client of the township',
      dispatches: dangers.length,
      deliveries: latencies.length,
      p50: round2(percentile(latencies, 50)),
      p90: round2(percentile(latencies, 90)),
      p99: round2(percentile(latencies, 99)),
      max: round2(latencies.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY)),
      lastClientP50: round2(percentile(lastClient, 50)),
      lastClientP99: round2(percentile(lastClient, 99)),
      percentiles: 'nearest rank',
    },
    reconnect: {
      droppedClients: dropped.length,
      reconnected: dropped.filter((c) => c.reconnects > 0).length,
      eventsDuringOutage: outageTasks.length,
      expectedDeliveries: expected,
      deliveredTotal: gained,
      replayedToDropped: replayed,
      lost,
    },
    patrol: {
      what: 'ms from the start of POST /api/patrol/runs/:id/marks (with a frame) to patrol:status at each client of the township, all operators marking at once',
      operators: patrol.length,
      dwellMs: PATROL_DWELL_MS,
      marks,
      deliveries: patrolLatencies.length,
      seconds: round2(patrolSeconds),
      marksPerSecond: round2(marks / patrolSeconds),
      p50: round2(percentile(patrolLatencies, 50)),
      p99: round2(percentile(patrolLatencies, 99)),
      max: round2(patrolLatencies.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY)),
    },
    node: process.version,
  });
  return lost === 0 ? 0 : 1;
}

main()
  .then((code) => {
    clearTimeout(deadline);
    cleanup();
    process.exit(code);
  })
  .catch((err) => {
    console.error(JSON.stringify({ error: String(err?.stack ?? err) }));
    cleanup();
    process.exit(1);
  });
