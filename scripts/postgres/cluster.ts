// A throwaway PostgreSQL cluster in a directory of its own: initdb, listening on 127.0.0.1 only at a free port
// (and a Unix socket in that directory), fsync off, then stopped and removed. Shared by the tests
// (test/helpers/postgres.ts, which adds one cluster per vitest run) and the benches (bench:cluster starts its own).
// As root (CI), the server runs as the `postgres` user, which PostgreSQL requires. server/ never imports this.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../lib/free-port';
import { findBin, postgresUnavailable } from './bin.mjs';

export { freePort, postgresUnavailable };

const asRoot = () => process.getuid?.() === 0;

function runAsOwner(bin: string, args: string[]): void {
  const cmd = asRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] as const : [bin, args] as const;
  const res = spawnSync(cmd[0], [...cmd[1]], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (res.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed: ${res.stderr || res.stdout}`);
}


export interface ClusterOptions {
  maxConnections?: number;
  /** Extra `-c name=value` settings (e.g. shared_buffers for a bench). */
  settings?: Record<string, string | number>;
}

/**
 * initdb in `<dir>/data` and start the server; `dir` must exist (the caller owns it: the tests create it atomically
 * as their lock). Returns the port. The server's log is `<dir>/server.log`.
 */
export async function startPostgres(dir: string, opts: ClusterOptions = {}): Promise<number> {
  const data = join(dir, 'data');
  mkdirSync(data, { mode: 0o700 });
  if (asRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    chownSync(data, uid, gid);
  }
  // C locale: byte order for text, as SQLite's BINARY collation sorts; UTF-8 for the Chinese names.
  runAsOwner(findBin('initdb')!, ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--lc-ctype=C.UTF-8', '--no-sync']);
  const port = await freePort();
  // Loopback only, socket in our directory; fsync off: a throwaway cluster need not survive a power cut.
  const settings = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: opts.maxConnections ?? 200, ...opts.settings };
  const extra = Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`).join(' ');
  const o = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} ${extra}`;
  runAsOwner(findBin('pg_ctl')!, ['-D', data, '-l', join(dir, 'server.log'), '-o', o, '-w', '-t', '60', 'start']);
  return port;
}

/** A fresh, empty database on the cluster at `port`; returns its URL. */
export async function createDatabase(port: number, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name ${name}: lower-case letters, digits and _ only`);
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return `postgres://postgres@127.0.0.1:${port}/${name}`;
}

/** Stops the cluster in `dir` (immediate: nothing in it is kept) and removes the directory; safe when none ran. */
export function stopPostgres(dir: string): void {
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

/** The postmaster's PID (for /proc CPU figures), or undefined when it is not running. */
export function postmasterPid(dir: string): number | undefined {
  try {
    return Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]) || undefined;
  } catch {
    return undefined;
  }
}

/** The postmaster and every process it forked (backends, walwriter, …): what PostgreSQL costs, read from /proc. */
export function postgresPids(dir: string): number[] {
  const root = postmasterPid(dir);
  if (!root) return [];
  const out = [root];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === root) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
