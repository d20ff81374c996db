// Two gateway nodes on one fresh PostgreSQL database, on loopback, for the cluster tests: node B in this process
// (built with buildTestApp, which migrates and seeds the demo county, listening at a free port) and node A in a child
// process (node-child.ts) sharing B's database and data directory (the keys and the cluster secret must be the same
// on every node), so a test can kill it with SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase } from '../helpers/postgres';

export interface TwoNodes {
  /** Node B, in this process. */
  b: TestApp;
  baseB: string;
  /** Node A, a child process. */
  child: ChildProcess;
  baseA: string;
  /** Kills A (if still running) and closes B. */
  close(): Promise<void>;
}

export async function startTwoNodes(label: string): Promise<TwoNodes> {
  const database = await createTestDatabase(label);
  const b = await buildTestApp({ database, dispatch: { overdueScanSec: 0 }, cluster: { nodeId: 'node-b', advertiseUrl: '', secret: '' } });
  await b.app.listen({ host: '127.0.0.1', port: 0 });
  const baseB = `http://127.0.0.1:${(b.app.server.address() as { port: number }).port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'node-child.ts'), database, b.dataDir, 'node-a'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = await new Promise<{ port: number }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`node A exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
  });
  return {
    b, baseB, child, baseA: `http://127.0.0.1:${ready.port}`,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await b.close();
    },
  };
}

/** Polls a condition until it gives a value (no fixed sleeps). */
export async function until<T>(what: string, probeOnce: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probeOnce();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
