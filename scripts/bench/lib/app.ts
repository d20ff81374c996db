// The console as the in-process benches run it (catalog, org-move, users): the real app on a fresh SQLite file in a
// temp dir, seeded with the demo county, no simulator and no health checks, an administrator signed in; and a timer
// that also counts CPU. The benches that measure a separate gateway process (relay, viewers, events, wall) do not
// use this.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import app from '../../../server/app';
import { loadConfig } from '../../../server/config';

export interface SignedIn {
  cookie: string;
  headers: { cookie: string; 'x-csrf-token': string };
}

export interface BenchApp {
  fastify: FastifyInstance;
  dataDir: string;
  signIn(username: string, password: string): Promise<SignedIn>;
  /** Closes the app and removes its data directory (unless `keep`). */
  close(keep?: boolean): Promise<void>;
}

/** `listen`: also serve on loopback (for real socket.io clients); otherwise requests go through inject(). */
export async function startBenchApp(name: string, opts: { listen?: boolean; overrides?: Record<string, unknown> } = {}): Promise<BenchApp> {
  const dataDir = mkdtempSync(join(tmpdir(), `cvc-bench-${name}-`));
  const config = loadConfig({
    env: {},
    overrides: { host: '127.0.0.1', dataDir, port: 0, demo: { enabled: true, simulateCameras: false }, health: { enabled: false }, ...opts.overrides },
  });
  const fastify = Fastify({ logger: false });
  await fastify.register(fp(app), { config });
  if (opts.listen) await fastify.listen({ host: '127.0.0.1', port: 0 });
  else await fastify.ready();
  return {
    fastify,
    dataDir,
    async signIn(username, password) {
      const res = await fastify.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
      const cookie = String(res.headers['set-cookie']).split(';')[0];
      return { cookie, headers: { cookie, 'x-csrf-token': res.json<{ csrfToken: string }>().csrfToken } };
    },
    async close(keep = false) {
      await fastify.close();
      if (!keep) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Wall time, and CPU time of the whole process (SQLite runs on libuv threads, so it is counted): on a machine
 *  shared with other work the CPU figure is the better estimate of the wall time on an idle one. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return { ms: +(performance.now() - start).toFixed(1), cpuMs: +((used.user + used.system) / 1000).toFixed(1), value };
}
