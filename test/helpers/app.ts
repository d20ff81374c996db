// Builds the real app on a real SQLite file in a temp dir, seeded with the demo county (no simulator).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import app from '../../server/app';
import { loadConfig, type Config } from '../../server/config';
import { createTestDatabase } from './postgres';

/** Demo cameras of test apps live at 127.77.x.y, clear of a demo console's fleet at 127.0.x.y on the same machine. */
export const TEST_SIMULATOR_NET = 77;

/** The engine the app tests of this run use: CVC_TEST_DB=postgres builds each app on a fresh PostgreSQL database. */
export const TEST_DB: 'sqlite' | 'postgres' = process.env.CVC_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

/**
 * For `it.skipIf` / `describe.skipIf` of tests about the SQLite file itself (its backup, page cap, FTS tables): the
 * reason they are skipped in a PostgreSQL run (printed once, so the skip is explained in the log), else undefined.
 */
export function sqliteFileOnly(what: string): string | undefined {
  if (TEST_DB !== 'postgres') return undefined;
  const reason = `${what}: SQLite-file specific, skipped on PostgreSQL (CVC_TEST_DB=postgres)`;
  console.warn(reason);
  return reason;
}

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  dataDir: string;
  close(): Promise<void>;
}

export async function buildTestApp(overrides: Record<string, unknown> = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cvc-test-'));
  // CVC_TEST_DB=postgres runs the app tests on a fresh PostgreSQL database each (server/db/README.md).
  const database = TEST_DB === 'postgres' ? await createTestDatabase('app') : '';
  const config = loadConfig({
    env: {},
    // Health checks off unless a test asks: the demo county's cameras are not running here.
    overrides: { host: '127.0.0.1', port: 0, dataDir, database, demo: { enabled: true, simulateCameras: false, simulatorNet: TEST_SIMULATOR_NET }, health: { enabled: false }, webrtc: { bindAddress: '127.0.0.1' }, ...overrides },
  });
  // trustProxy is a Fastify constructor option (server/server.ts passes it the same way); false unless a test asks.
  const fastify = Fastify({ logger: false, trustProxy: config.trustProxy });
  // fp() so the tests see the app's decorators (repos, realtime, …) on the instance they hold.
  await fastify.register(fp(app), { config });
  await fastify.ready();
  return {
    app: fastify,
    config,
    dataDir,
    async close() {
      await fastify.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Login {
  cookie: string;
  csrfToken: string;
  headers: { cookie: string; 'x-csrf-token': string };
}

export async function login(app: FastifyInstance, username: string, password: string): Promise<Login> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const setCookie = res.headers['set-cookie'];
  const cookie = String(Array.isArray(setCookie) ? setCookie[0] : setCookie).split(';')[0];
  const { csrfToken } = res.json() as { csrfToken: string };
  return { cookie, csrfToken, headers: { cookie, 'x-csrf-token': csrfToken } };
}

export const DEMO = {
  admin: ['admin', 'admin123'],
  county: ['county', 'county123'],
  chengguan: ['chengguan', 'town123'],
  dongcheng: ['dongcheng', 'town123'],
  village: ['village', 'village123'],
} as const;
