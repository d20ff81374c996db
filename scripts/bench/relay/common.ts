// Shared by the relay bench's processes: the like-for-like settings, the source type, and small process helpers.
import type { ChildProcess } from 'node:child_process';
import { Agent, get } from 'node:http';

/** 1 s segments and a window of 4 on both sides (the gateway's default window; ffmpeg keeps one more file for its
 * delete threshold, our LiveWindow one more body). */
export const SEGMENT_SEC = 1;
export const WINDOW = 4;

/** An RTSP source with its credentials, which travel between our processes on stdin/stdout, never on a command line. */
export interface Source { url: string; username: string; password: string }

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Calls `onLine` with every JSON line the child writes on stdout; other output (from a library) is skipped. */
export function jsonLines(child: ChildProcess, onLine: (o: Record<string, unknown>) => void): void {
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try { onLine(JSON.parse(line) as Record<string, unknown>); } catch { /* non-JSON output from a library */ }
    }
  });
}

export function killPid(p: ChildProcess): void {
  if (p.pid && p.exitCode === null) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* already gone */ } }
}

export function httpGet(port: number, path: string, via: Agent, timeoutMs = 20_000): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, agent: via, timeout: timeoutMs }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}
