// Helpers for the go-live tests: the real app on a data directory of the test's choosing (a production one: demo
// off), and the admin CLI as a child process, as an operator runs it.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import app from '../../server/app';
import { loadConfig } from '../../server/config';
import { TEST_SIMULATOR_NET } from '../helpers/app';

const ROOT = resolve(import.meta.dirname, '../..');

/** A strong password by the shared policy; the tests look for it wherever it must not be. */
export const ADMIN_PASSWORD = '灯塔-Reservoir-47';
export const COUNTY = { name: '安澜县', code: '339901' };

export const PRODUCTION = { demo: { enabled: false, simulateCameras: false, simulatorNet: TEST_SIMULATOR_NET } };

/** The real app on `dataDir` (kept on close: the test owns the directory). Demo off unless overridden. */
export async function appOn(dataDir: string, overrides: Record<string, unknown> = {}): Promise<FastifyInstance> {
  const config = loadConfig({ env: {}, overrides: { host: '127.0.0.1', port: 0, dataDir, health: { enabled: false }, ...PRODUCTION, ...overrides } });
  const fastify = Fastify({ logger: false });
  await fastify.register(fp(app), { config });
  await fastify.ready();
  return fastify;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The argv the CLI process was started with. */
  argv: string[];
}

/** `npm run admin -- <args>` as a child process, with `stdin` piped in (or nothing), on `dataDir` (plus `extraEnv`). */
export function runAdmin(dataDir: string, args: string[], stdin?: string, extraEnv: Record<string, string> = {}): Promise<CliRun> {
  const env: Record<string, string> = {};
  // The developer's CONSOLE_* settings must not change what the test runs.
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('CONSOLE_')) env[k] = v;
  env.CONSOLE_DATA_DIR = dataDir;
  Object.assign(env, extraEnv);
  const argv = [process.execPath, '--import', 'tsx', join(ROOT, 'scripts/admin.ts'), ...args];
  const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(stdin ?? '');
  return new Promise((res, rej) => {
    child.once('error', rej);
    child.once('close', (code) => res({ code, stdout, stderr, argv: child.spawnargs }));
  });
}

export async function loginStatus(app: FastifyInstance, username: string, password: string): Promise<number> {
  return (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })).statusCode;
}
