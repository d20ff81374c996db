// The real gateway as a child process (the bundle `npm start` runs, see server/bundle.mjs), for tests and
// benchmarks that kill it (-9 included) and start it again on the same port and data directory.
//
// Configuration goes through a CONSOLE_CONFIG file in the data directory (CONSOLE_* variables of this process are
// not passed on, so a developer's shell cannot change what a test runs). Loopback only: it listens on 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { nodeArgsFor } from '../../server/bundle.mjs';
import { TEST_SIMULATOR_NET } from './app';
import { freePort } from '../../scripts/lib/free-port';

/** A port free on 127.0.0.1 right now (bound and released; the gateway takes it a moment later). */
export { freePort };

const ROOT = resolve(import.meta.dirname, '../..');
const STARTED = /County video dispatch console: (http:\/\/[^\s/]+)\//;

export interface GatewayProcess {
  pid: number;
  port: number;
  dataDir: string;
  baseURL: string;
  child: ChildProcess;
  /** What the gateway printed on stdout so far (the last 64 KiB): start-up lines such as the setup URL. */
  output(): string;
  /** Milliseconds from spawn to the "listening" line. */
  startMs: number;
  /** Resolves when the process has exited (by any means). */
  exited: Promise<void>;
  /** SIGKILL by PID: no shutdown hook runs, exactly as a crash or an OOM kill. */
  kill9(): Promise<void>;
  /** SIGTERM (graceful close), then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

export interface GatewayOptions {
  /** Reuse a data directory (a restart); default: a new temp directory. */
  dataDir?: string;
  /** Reuse a port (a restart); default: a free ephemeral port. */
  port?: number;
  /** Merged over the test defaults (demo seeded, simulator off, health off). */
  config?: Record<string, unknown>;
  env?: Record<string, string>;
  startTimeoutMs?: number;
}


export function newDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'cvc-gw-'));
}

export async function spawnGateway(options: GatewayOptions = {}): Promise<GatewayProcess> {
  const dataDir = options.dataDir ?? newDataDir();
  const port = options.port ?? (await freePort());
  const config = {
    host: '127.0.0.1',
    port,
    dataDir,
    demo: { enabled: true, simulateCameras: false, simulatorNet: TEST_SIMULATOR_NET },
    health: { enabled: false },
    dispatch: { overdueScanSec: 0 },
    ...options.config,
  };
  const configFile = join(dataDir, 'gateway-test-config.json');
  writeFileSync(configFile, JSON.stringify(config));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('CONSOLE_')) env[k] = v;
  Object.assign(env, { CONSOLE_CONFIG: configFile, LOG_LEVEL: 'warn', ...options.env });

  const t0 = Date.now();
  // As `npm start` runs it: one bundle on plain node (server/bundle.mjs), tsx only if bundling fails.
  const child = spawn(process.execPath, await nodeArgsFor(join(ROOT, 'server/server.ts'), 'gateway'), {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((res) => {
    if (child.exitCode !== null || child.signalCode !== null) res();
    else child.once('exit', () => res());
  });
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => {
    stdout = (stdout + d.toString()).slice(-65_536);
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });

  const baseURL = await new Promise<string>((res, rej) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`gateway did not start within ${options.startTimeoutMs ?? 90_000} ms`)), options.startTimeoutMs ?? 90_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rej(new Error(`${err.message}\n${stderr}`));
    };
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = STARTED.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.resume(); // keep draining so a full pipe never blocks the gateway
        res(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code, signal) => fail(new Error(`gateway exited (${code ?? signal}) before listening`)));
  });
  const startMs = Date.now() - t0;

  const pid = child.pid!;
  return {
    pid,
    port,
    dataDir,
    baseURL,
    child,
    output: () => stdout,
    startMs,
    exited,
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(force);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// A small HTTP client for a gateway process (fetch on loopback)

export interface Session {
  cookie: string;
  csrfToken: string;
}

export async function loginHttp(baseURL: string, username: string, password: string): Promise<Session> {
  const res = await fetch(`${baseURL}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, csrfToken };
}

export async function postJson(baseURL: string, session: Session, path: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseURL}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed };
}
