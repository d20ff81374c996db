// Gateway nodes for bench:cluster: the demo county seeded once in-process on the database under test, then each
// node is the real server (server/server.ts) in a child process of its own — so each node's CPU is read apart
// from /proc — on 127.0.0.1 at a port chosen here, with its own copy of the seed's data directory (keys and the
// session secret must be the same on every node: a cookie signed by node A is then valid on node B).
import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { gatewayEnv } from '../../gateway-env.mjs';
import { freePort } from '../../postgres/cluster';
import { keepTail, lines, spawnNode, stopChild, tails } from '../viewers/children';

const ROOT = resolve(import.meta.dirname, '../../..');

/** Where the nodes keep their data: `database` empty → SQLite in the data dir (one node only). */
export interface Backend {
  engine: 'sqlite' | 'postgres';
  database: string;
}

/** Settings every bench node runs with (as bench:events and bench:viewers do). */
const NODE_SETTINGS = {
  CONSOLE_HOST: '127.0.0.1', CONSOLE_DEMO: 'true', CONSOLE_SIMULATE_CAMERAS: 'false',
  // No health probes: they would go to the demo fleet's addresses, which a running demo console's simulator holds.
  CONSOLE_HEALTH: 'false', CONSOLE_OVERDUE_SCAN_SEC: '0', CONSOLE_LOGIN_MAX_PER_MINUTE: '1000',
  CONSOLE_RELAY_IDLE_SEC: '120', CONSOLE_MAX_RELAYS: '200', LOG_LEVEL: 'warn',
};

/** Seeds the demo county on `backend` in a fresh data dir, then lets `extra` add what the round needs; closes. */
export async function seed<T>(name: string, backend: Backend, extra: (f: FastifyInstance) => Promise<T>): Promise<{ dataDir: string; value: T }> {
  const [{ default: Fastify }, { default: fp }, { default: app }, { loadConfig }] = await Promise.all([
    import('fastify'), import('fastify-plugin'), import('../../../server/app'), import('../../../server/config'),
  ]);
  const dataDir = mkdtempSync(join(tmpdir(), `cvc-bench-cluster-${name}-`));
  const config = loadConfig({
    env: {},
    overrides: { host: '127.0.0.1', port: 0, dataDir, database: backend.database, demo: { enabled: true, simulateCameras: false }, health: { enabled: false } },
  });
  const f = Fastify({ logger: false });
  try {
    await f.register(fp(app), { config });
    await f.ready();
    return { dataDir, value: await extra(f) };
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  } finally {
    await f.close();
  }
}

export interface Node {
  id: string;
  child: ChildProcess;
  pid: number;
  base: string;
  port: number;
  dataDir: string;
}

/** Every node started and not yet stopped, for the bench's clean-up. */
export const running = new Set<Node>();

/** Starts one node on `backend` with a copy of `seedDir` (SQLite: the seed dir itself, the file is in it). */
export async function startNode(id: string, backend: Backend, seedDir: string, env: Record<string, string> = {}): Promise<Node> {
  let dataDir = seedDir;
  if (backend.engine === 'postgres') {
    dataDir = mkdtempSync(join(tmpdir(), `cvc-bench-cluster-${id}-`));
    cpSync(seedDir, dataDir, { recursive: true });
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawnNode([join(ROOT, 'server/server.ts')], {
    ...gatewayEnv(), ...NODE_SETTINGS, ...env, CONSOLE_PORT: String(port), CONSOLE_DATA_DIR: dataDir, CONSOLE_DATABASE: backend.database,
    CONSOLE_NODE_ID: id, CONSOLE_ADVERTISE_URL: base, CONSOLE_CLUSTER_SECRET: 'bench-cluster-secret-0123456789abcdef',
  });
  const node = { id, child, pid: child.pid!, base, port, dataDir };
  running.add(node);
  await new Promise<void>((resolveUp, reject) => {
    const timer = setTimeout(() => reject(new Error(`node ${id} did not listen within 60 s: ${(tails.get(child) ?? []).join(' | ')}`)), 60_000);
    lines(child, (line) => {
      if (/console: http:\/\/127\.0\.0\.1:\d+\//.test(line)) { clearTimeout(timer); resolveUp(); } else if (line.trim()) keepTail(child, line);
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`node ${id} exited (${code}): ${(tails.get(child) ?? []).join(' | ')}`)); });
  });
  return node;
}

/** Stops a node gracefully (SIGINT: it closes its relays and sockets), by its PID; removes its data dir. */
export async function stopNode(node: Node): Promise<void> {
  running.delete(node);
  await stopChild(node.child, 'SIGINT', 15_000);
  rmSync(node.dataDir, { recursive: true, force: true });
}

export interface Session { cookie: string; csrf: string }

export async function login(base: string, username: string, password: string): Promise<Session> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }), signal: AbortSignal.timeout(30_000),
  });
  if (!res.ok) throw new Error(`login ${username} at ${base}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

export async function call<T>(base: string, s: Session | null, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(s ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${(await res.text()).slice(0, 300)}`);
  return (await res.json()) as T;
}
