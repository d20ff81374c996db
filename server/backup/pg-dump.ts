// The database half of a backup on PostgreSQL: Debian's `pg_dump` in its custom format (compressed, restorable
// table by table with `pg_restore`, which can also list it). pg_dump takes one consistent snapshot while the
// gateways keep writing, as the SQLite online copy does. The password travels in PGPASSWORD, never in argv, where
// every user of the machine could read it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where Debian puts a PostgreSQL version's client programs (the newest first: pg_dump must be ≥ the server). */
const DEBIAN_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];

export class PgDumpMissingError extends Error {
  constructor() {
    super('backup on PostgreSQL needs pg_dump, which is not on PATH nor in /usr/lib/postgresql/<version>/bin: apt-get install postgresql-client-15 (the same major version as the server, or newer)');
  }
}

/** The pg_dump to use: PATH first (an operator's choice), then Debian's per-version directories. */
export function findPgDump(): string | undefined {
  const which = spawnSync('sh', ['-c', 'command -v pg_dump'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  return DEBIAN_DIRS.map((d) => join(d, 'pg_dump')).find((p) => existsSync(p));
}

/** Writes a custom-format dump of the database at `url` to `file`. */
export async function pgDump(url: string, file: string, bin = findPgDump()): Promise<void> {
  if (!bin) throw new PgDumpMissingError();
  const target = new URL(url);
  const password = decodeURIComponent(target.password);
  target.password = '';
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (password) env.PGPASSWORD = password;
  // --no-owner/--no-acl: restorable by whichever role owns the database it is restored into.
  const child = spawn(bin, ['--format=custom', '--no-owner', '--no-acl', `--file=${file}`, `--dbname=${target.toString()}`], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    if (stderr.length < 4000) stderr += d.toString();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`pg_dump failed (exit ${code}): ${stderr.trim()}`);
}
