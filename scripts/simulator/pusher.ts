// Pushing devices (移动视频: body cameras, drones, 4G cameras): ffmpeg publishes a fixture over RTMP, looping, in
// real time, like a device with a SIM card pushing to the gateway. ffmpeg is the device here (it is also what many
// real encoders are built on); the simulator only starts and stops it. Loopback only: the URL must be 127.x.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
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

export function pusherArgs(o: Required<Pick<PusherOptions, 'rtmpUrl' | 'fixture' | 'fps'>>): string[] {
  const video = join(FIXTURE_DIR, `${o.fixture}.h264`);
  const audio = join(FIXTURE_DIR, `${o.fixture}.aac`);
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error',
    '-re', '-stream_loop', '-1', '-framerate', String(o.fps), '-f', 'h264', '-i', video];
  if (existsSync(audio)) args.push('-re', '-stream_loop', '-1', '-f', 'aac', '-i', audio);
  args.push('-c', 'copy', '-f', 'flv', o.rtmpUrl);
  return args;
}

export function startPusher(opts: PusherOptions): Pusher {
  const url = new URL(opts.rtmpUrl);
  if (url.protocol !== 'rtmp:' || !url.hostname.startsWith('127.')) throw new Error('pushers publish to rtmp://127.x.x.x only');
  const fixture = opts.fixture ?? 'h264-aac';
  if (!existsSync(join(FIXTURE_DIR, `${fixture}.h264`))) throw new Error(`no H.264 fixture ${fixture}`);
  const child: ChildProcess = spawn(opts.ffmpeg ?? 'ffmpeg', pusherArgs({ rtmpUrl: opts.rtmpUrl, fixture, fps: opts.fps ?? 25 }), {
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
