// Where PostgreSQL's server programs are, and whether a throwaway cluster (tests, benches) can run here. Plain
// JavaScript so that vitest.config.ts can ask before any TypeScript is loaded (it decides whether there is a
// postgres project); scripts/postgres/cluster.ts (tests and benches) uses the same two functions.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BIN_DIRS = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin'];

export function findBin(name) {
  for (const dir of BIN_DIRS) if (existsSync(join(dir, name))) return join(dir, name);
  const which = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : undefined;
}

export function postgresUnavailable() {
  // A developer's quick run without the PostgreSQL half (CI never sets it).
  if (process.env.CVC_TEST_POSTGRES === 'off') return 'CVC_TEST_POSTGRES=off';
  if (!findBin('initdb') || !findBin('pg_ctl')) return 'PostgreSQL is not installed (initdb/pg_ctl not found; apt-get install postgresql)';
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0) return 'running as root without a postgres user';
  return undefined;
}
