// Pushing devices (移动视频: body cameras, drones, 4G cameras): ffmpeg publishes a fixture over RTMP, looping, in
// real time, like a device with a SIM card pushing to the gateway. ffmpeg is the device here (it is also what many
// real encoders are built on); the simulator only starts and stops it. Loopback only: the URL must be 127.x.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_DIR } from './fixtures';

export interface PusherOptions {
  /** rtmp://127.0.0.1:<port>/live/<stream key> */
  rtmpUrl: string;
  /** A fixture with H.264 video and, if it has an .aac file, AAC audio. Default h264-aac. */
  fixture?: string;
  /** Frame rate of the raw fixture (all fixtures are 25 fps). */
  fps?: number;
  ffmpeg?: string;
}

export interface Pusher {
  readonly rtmpUrl: string;
  readonly fixture: string;
  readonly pid: number | undefined;
  /** Resolves with ffmpeg's exit code when it ends (refused key: non-zero soon after the publish). */
  readonly exited: Promise<number | null>;
  /** The last lines ffmpeg wrote to stderr (for a test's failure message). */
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * The fixture muxed once into MP4 (no re-encoding): ffmpeg cannot `-stream_loop` a raw H.264 or ADTS file (it
 * cannot seek back in them), an MP4 it can. Cached in the temp directory per fixture, written under a temporary
 * name and renamed, so pushers started together never read a half-written file.
 */
export function loopableFixture(fixture: string, fps: number, ffmpeg = 'ffmpeg'): string {
  const dir = join(tmpdir(), 'county-console-pushers');
  const out = join(dir, `${fixture}-${fps}.mp4`);
  if (existsSync(out)) return out;
  mkdirSync(dir, { recursive: true });
  const video = join(FIXTURE_DIR, `${fixture}.h264`);
  const audio = join(FIXTURE_DIR, `${fixture}.aac`);
  const tmp = `${out}.${process.pid}.tmp.mp4`;
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-framerate', String(fps), '-f', 'h264', '-i', video];
  if (existsSync(audio)) args.push('-f', 'aac', '-i', audio);
  args.push('-c', 'copy', tmp);
  const r = spawnSync(ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
  if (r.status !== 0) throw new Error(`could not prepare fixture ${fixture}: ${r.stderr?.toString().trim()}`);
  renameSync(tmp, out);
  return out;
}

export function pusherArgs(o: Required<Pick<PusherOptions, 'rtmpUrl'>> & { input: string }): string[] {
  return ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', o.input,
    '-c', 'copy', '-f', 'flv', o.rtmpUrl];
}

export function startPusher(opts: PusherOptions): Pusher {
  const url = new URL(opts.rtmpUrl);
  if (url.protocol !== 'rtmp:' || !url.hostname.startsWith('127.')) throw new Error('pushers publish to rtmp://127.x.x.x only');
  const fixture = opts.fixture ?? 'h264-aac';
  if (!existsSync(join(FIXTURE_DIR, `${fixture}.h264`))) throw new Error(`no H.264 fixture ${fixture}`);
  const input = loopableFixture(fixture, opts.fps ?? 25, opts.ffmpeg);
  const child: ChildProcess = spawn(opts.ffmpeg ?? 'ffmpeg', pusherArgs({ rtmpUrl: opts.rtmpUrl, input }), {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-2000); });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(-1));
  });
  return {
    rtmpUrl: opts.rtmpUrl,
    fixture,
    pid: child.pid,
    exited,
    stderr: () => err,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(t);
    },
  };
}
