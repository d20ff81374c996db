// A throwaway PostgreSQL cluster for the tests, started by the first test file that asks for it and shared by every
// worker of the same vitest run; each test file gets its own database. test/helpers/postgres-teardown.ts (vitest
// globalSetup) stops it and removes the directory when the run ends. Starting and stopping a cluster (initdb as the
// `postgres` user when root, loopback only) is scripts/postgres/cluster.ts, shared with the benches; this file adds
// the one-cluster-per-run rule. Where initdb is absent, `postgresUnavailable()` says why and the PostgreSQL half of
// a test skips.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, startPostgres, stopPostgres } from '../../scripts/postgres/cluster';

export { postgresUnavailable } from '../../scripts/postgres/cluster';

/** The run's shared cluster directory: keyed by the vitest main process (the parent of every forked worker). */
export function clusterDir(runPid = process.env.VITEST_POOL_ID ? process.ppid : process.pid): string {
  return join(tmpdir(), `cvc-pg-${runPid}`);
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
      const port = await startPostgres(dir);
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
  return createDatabase(port, name);
}

/** Stops the cluster of a finished run and removes its directory (globalSetup teardown; also safe when none ran). */
export function stopCluster(dir: string): void {
  stopPostgres(dir);
}
