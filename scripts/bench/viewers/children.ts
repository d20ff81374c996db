// The viewers bench's child processes (camera, gateway, load generators): started through tsx with the orphan
// guard preloaded, their output read as lines and JSON messages, and stopped by their own PID.
import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '../../..');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Every child still running, for the bench's clean-up. */
export const children = new Set<ChildProcess>();
const GUARD = pathToFileURL(join(import.meta.dirname, 'orphan-guard.ts')).href;

export function spawnNode(args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', GUARD, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** The last lines a child wrote to stderr (and non-JSON stdout), for the error report if it misbehaves. */
export const tails = new Map<ChildProcess, string[]>();
export function keepTail(child: ChildProcess, line: string) {
  const t = tails.get(child) ?? [];
  t.push(line.slice(0, 500));
  if (t.length > 20) t.shift();
  tails.set(child, t);
}

export function lines(child: ChildProcess, onLine: (line: string) => void, onErrLine?: (line: string) => void) {
  for (const stream of [child.stdout!, child.stderr!]) {
    let buf = '';
    stream.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (stream === child.stdout) onLine(line);
        else if (!onErrLine?.(line)) keepTail(child, line);
      }
    });
  }
}

/** JSON messages of a child, awaited one kind at a time with a timeout. */
export function messages(child: ChildProcess, name: string) {
  const queue: Array<Record<string, unknown>> = [];
  let wake = () => {};
  lines(child, (line) => {
    try {
      queue.push(JSON.parse(line) as Record<string, unknown>);
      wake();
    } catch {
      keepTail(child, line);
    }
  });
  return async (pick: (m: Record<string, unknown>) => boolean, timeoutMs: number, what: string) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const i = queue.findIndex(pick);
      if (i >= 0) return queue.splice(i, 1)[0]!;
      const err = queue.find((m) => m.phase === 'error');
      if (err) throw new Error(`${name}: ${String(err.error)}`);
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before ${what}: ${(tails.get(child) ?? []).join(' | ')}`);
      if (Date.now() > until) throw new Error(`${name}: no ${what} within ${timeoutMs / 1000} s`);
      await Promise.race([new Promise<void>((r) => { wake = r; }), sleep(200)]);
    }
  };
}

/** Asks a child to stop (stdin end + signal), waits, then SIGKILLs it: always by its own PID. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.stdin?.end();
  try { process.kill(child.pid, signal); } catch { /* already gone */ }
  await Promise.race([exited, sleep(graceMs)]);
  if (child.exitCode === null && child.signalCode === null) {
    try { process.kill(child.pid, 'SIGKILL'); } catch { /* already gone */ }
    await Promise.race([exited, sleep(2000)]);
  }
}
