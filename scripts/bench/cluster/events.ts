// bench:cluster, round 1: socket.io event delivery with the clients spread over the nodes. Every client is a real
// socket.io-client (bench:events' client.ts) of a township officer, client j on node j mod N; dangers are reported
// and dispatched one at a time through node A's API, each to one township, and the time from the start of the
// dispatch call to 'task:received' at each client of that township is the latency. On PostgreSQL the events of
// node A reach node B's sockets through @socket.io/postgres-adapter (LISTEN/NOTIFY).
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Client, openClient, sockets } from '../events/client';
import { summary } from '../lib/percentile';
import { cpuBetween, mark, rssMb } from '../lib/proc';
import { type Backend, call, login, type Node, seed, startNode, stopNode } from './nodes';

const ROOT = resolve(import.meta.dirname, '../../..');
const PASSWORD = 'bench-pass-1';
const FRAME = readFileSync(join(ROOT, 'test/dispatch/fixtures/frame.jpg')).toString('base64');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms); })])
    .finally(() => clearTimeout(timer));
}

export interface EventsOptions { clients: number; rounds: number; nodes: number }

export async function eventsRound(backend: Backend, o: EventsOptions, extraPids: () => number[] = () => []) {
  const { dataDir, value: officers } = await seed('events', backend, async (f) => {
    const county = (await f.repos.orgUnits.findByCode('339901'))!;
    const townships = await f.repos.orgUnits.children(county.id);
    const out = [];
    for (const [i, t] of townships.entries()) {
      const username = `bench-town-${i + 1}`;
      await f.repos.users.create({ username, displayName: `${t.name}值班员`, role: 'township_officer', orgUnitId: t.id, password: PASSWORD });
      out.push({ username, unitId: t.id });
    }
    return out;
  });
  const nodes: Node[] = [];
  const opened: Client[] = [];
  try {
    for (let n = 0; n < o.nodes; n++) nodes.push(await startNode(`${backend.engine}-events-${String.fromCharCode(97 + n)}`, backend, dataDir));
    const a = nodes[0]!;
    const county = await login(a.base, 'county', 'county123');
    // One session per (officer, node): each node is asked to sign in its own clients, as a browser behind a
    // load balancer would be sent to one node.
    const sessions = new Map<string, string>();
    for (const node of nodes) for (const off of officers) sessions.set(`${node.id}:${off.unitId}`, (await login(node.base, off.username, PASSWORD)).cookie);

    const clientNode = new Map<Client, Node>();
    for (let i = 0; i < o.clients; i += 50) {
      const batch = [];
      for (let j = i; j < Math.min(o.clients, i + 50); j++) {
        const node = nodes[j % nodes.length]!;
        const off = officers[Math.floor(j / nodes.length) % officers.length]!;
        batch.push(openClient(node.base, sessions.get(`${node.id}:${off.unitId}`)!, off.unitId).then((c) => { clientNode.set(c, node); return c; }));
      }
      opened.push(...(await withTimeout(Promise.all(batch), 30_000, 'client connect')));
    }
    const byUnit = new Map(officers.map((off) => [off.unitId, opened.filter((c) => c.unitId === off.unitId)]));

    const cameraOf = new Map<number, number>();
    for (const off of officers) {
      const page = await call<{ items: Array<{ id: number }> }>(a.base, county, 'GET', `/api/cameras?orgUnitId=${off.unitId}&limit=1`);
      cameraOf.set(off.unitId, page.items[0]!.id);
    }
    const dangers: Array<{ unitId: number; id: number }> = [];
    for (let r = 0; r < o.rounds; r++) {
      const unitId = officers[r % officers.length]!.unitId;
      const d = await call<{ id: number }>(a.base, county, 'POST', '/api/dangers', {
        cameraId: cameraOf.get(unitId)!, capturedAt: new Date().toISOString(), category: 'public-order', severity: 'general', evidenceJpeg: FRAME,
      });
      dangers.push({ unitId, id: d.id });
    }

    const pids = [...nodes.map((n) => n.pid), ...extraPids()];
    const m0 = mark(pids);
    const byNode = new Map<string, number[]>(nodes.map((n) => [n.id, []]));
    const all: number[] = [];
    /** The dispatch call alone (commit included): what of the latency is the write, not the delivery. */
    const apiMs: number[] = [];
    for (const d of dangers) {
      const room = byUnit.get(d.unitId)!;
      const t0 = performance.now();
      const { id: taskId } = await call<{ id: number }>(a.base, county, 'POST', `/api/dangers/${d.id}/dispatch`, { toUnitId: d.unitId, note: 'bench' });
      apiMs.push(performance.now() - t0);
      await withTimeout(Promise.all(room.map((c) => new Promise<void>((r) => {
        if ([...c.received.values()].some((e) => e.taskId === taskId)) return r();
        c.waiters.set(taskId, () => { c.waiters.delete(taskId); r(); });
      }))), 10_000, `delivery of task ${taskId}`);
      for (const c of room) {
        const ms = [...c.received.values()].find((e) => e.taskId === taskId)!.at - t0;
        all.push(ms);
        byNode.get(clientNode.get(c)!.id)!.push(ms);
      }
    }
    const cpu = cpuBetween(m0, mark(pids));
    return {
      engine: backend.engine,
      nodes: nodes.length,
      clients: opened.length,
      clientsPerNode: Object.fromEntries(nodes.map((n) => [n.id, opened.filter((c) => clientNode.get(c) === n).length])),
      townshipRooms: officers.length,
      dispatches: dangers.length,
      latencyMs: summary(all, [50, 90, 99], 2),
      dispatchCallMs: summary(apiMs, [50, 99], 2),
      latencyMsByReceivingNode: Object.fromEntries([...byNode].map(([id, xs]) => [id, summary(xs, [50, 99], 2)])),
      cpuPctOfOneCore: Object.fromEntries(nodes.map((n) => [n.id, cpu.pct.get(n.pid)])),
      /** Every PostgreSQL process (postmaster and backends) together; absent on SQLite (it runs inside the node). */
      ...(backend.engine === 'postgres' ? { postgresCpuPctOfOneCore: +extraPids().reduce((t, pid) => t + (cpu.pct.get(pid) ?? 0), 0).toFixed(1) } : {}),
      rssMb: Object.fromEntries(nodes.map((n) => [n.id, rssMb(n.pid).rss])),
      windowSec: +cpu.wallSec.toFixed(1),
      machineBusyPct: cpu.machineBusyPct,
    };
  } finally {
    for (const c of opened) c.socket.close();
    sockets.length = 0;
    await sleep(100);
    for (const n of nodes) await stopNode(n);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
