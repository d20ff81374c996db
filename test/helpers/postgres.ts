// A throwaway PostgreSQL cluster for the tests: initdb in a temp directory, listening on 127.0.0.1 only at a free
// port (and a socket in that directory), started by the first test file that asks for it and shared by every
// worker of the same vitest run; each test file gets its own database. test/helpers/postgres-teardown.ts (vitest
// globalSetup) stops it and removes the directory when the run ends. As root (CI), the server runs as the
// `postgres` user, which PostgreSQL requires. Where initdb is absent, `postgresUnavailable()` (postgres-bin.mjs) says why and the
// PostgreSQL half of a test skips.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findBin, postgresUnavailable } from './postgres-bin.mjs';

/** The run's shared cluster directory: keyed by the vitest main process (the parent of every forked worker). */
export function clusterDir(runPid = process.env.VITEST_POOL_ID ? process.ppid : process.pid): string {
  return join(tmpdir(), `cvc-pg-${runPid}`);
}

export { postgresUnavailable };

const asRoot = () => process.getuid?.() === 0;

function runAsOwner(bin: string, args: string[]): void {
  const cmd = asRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] as const : [bin, args] as const;
  const res = spawnSync(cmd[0], [...cmd[1]], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (res.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed: ${res.stderr || res.stdout}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let started: Promise<number> | undefined;

/** Starts the run's cluster once (whichever worker comes first; the others wait for its port file). */
function ensureCluster(): Promise<number> {
  started ??= (async () => {
    const dir = clusterDir();
    const portFile = join(dir, 'port');
    let mine = false;
    try {
      mkdirSync(dir, { mode: 0o755 }); // atomic: exactly one worker wins the right to start the cluster
      mine = true;
    } catch {
      // another worker is starting (or has started) it
    }
    if (!mine) return waitFor('the shared PostgreSQL cluster', () => (existsSync(portFile) ? Number(readFileSync(portFile, 'utf8')) : undefined));
    try {
      const data = join(dir, 'data');
      mkdirSync(data, { mode: 0o700 });
      if (asRoot()) {
        const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
        const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
        chownSync(dir, uid, gid);
        chownSync(data, uid, gid);
      }
      // C locale: byte order for text, as SQLite's BINARY collation sorts; UTF-8 for the Chinese names.
      runAsOwner(findBin('initdb')!, ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
      const port = await freePort();
      // Loopback only, socket in our directory; fsync off: a test cluster need not survive a power cut.
      const opts = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
      runAsOwner(findBin('pg_ctl')!, ['-D', data, '-l', join(dir, 'server.log'), '-o', opts, '-w', '-t', '60', 'start']);
      writeFileSync(join(dir, 'port.tmp'), String(port));
      execFileSync('mv', [join(dir, 'port.tmp'), portFile]);
      return port;
    } catch (err) {
      writeFileSync(join(dir, 'failed'), String(err));
      throw err;
    }
  })();
  return started;
}

/** A fresh, empty database on the run's cluster; returns its URL. Each test file should create its own. */
export async function createTestDatabase(label: string): Promise<string> {
  const port = await ensureCluster();
  const name = `t_${label.replace(/\W+/g, '_').toLowerCase().slice(0, 40)}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return `postgres://postgres@127.0.0.1:${port}/${name}`;
}

/** Stops the cluster of a finished run and removes its directory (globalSetup teardown; also safe when none ran). */
export function stopCluster(dir: string): void {
  if (!existsSync(dir)) return;
  const data = join(dir, 'data');
  if (existsSync(join(data, 'postmaster.pid'))) {
    try {
      runAsOwner(findBin('pg_ctl')!, ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already gone; the directory is removed all the same
    }
  }
  rmSync(dir, { recursive: true, force: true });
}
