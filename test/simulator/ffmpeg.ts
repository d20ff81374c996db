// Debian's ffmpeg/ffprobe as independent RTSP clients.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

export const FFMPEG = '/usr/bin/ffmpeg';
export const FFPROBE = '/usr/bin/ffprobe';
export const HAVE_FFMPEG = existsSync(FFMPEG) && existsSync(FFPROBE);
if (!HAVE_FFMPEG) console.warn('[simulator tests] /usr/bin/ffmpeg or ffprobe missing: RTSP interoperability tests are skipped');

export interface Run { code: number; stdout: string; stderr: string }

/** Runs a tool with a hard time limit (the child is killed by PID if it overruns). */
export function run(cmd: string, args: string[], timeoutMs = 20_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

export function withCreds(url: string, user: string, pass: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = pass;
  return u.toString();
}

export interface ProbedStream { codec_type: string; codec_name: string; width?: number; height?: number; r_frame_rate?: string; sample_rate?: string; channels?: number }

export async function probe(url: string): Promise<{ code: number; streams: ProbedStream[]; stderr: string }> {
  const r = await run(FFPROBE, ['-v', 'error', '-rtsp_transport', 'tcp', '-show_streams', '-of', 'json', url]);
  let streams: ProbedStream[] = [];
  try {
    streams = (JSON.parse(r.stdout || '{}') as { streams?: ProbedStream[] }).streams ?? [];
  } catch { /* left empty: the test's assertions report it */ }
  return { code: r.code, streams, stderr: r.stderr };
}
