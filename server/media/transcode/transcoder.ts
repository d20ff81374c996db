// One H.265 → H.264 transcode: an ffmpeg process fed the relay's own published segments on stdin (the camera sees
// no second pull), writing live HLS of ~1 s segments into its own directory, from which the live route serves it.
// `-preset ultrafast -tune zerolatency`: the CPU per stream is what caps how many a gateway can afford (measured in
// server/media/README.md "H.265 without a decoder"); quality is secondary for a wall tile.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface TranscoderOptions {
  ffmpeg: string;
  dir: string;
  /** Distinguishes this run's segment names from an earlier run's of the same relay. */
  run: number;
  /** Longest side of the output (a 1080p source is scaled to fit); the sub-stream is usually smaller already. */
  maxHeight: number;
  /** Threads for libx264: one keeps a transcode from taking a whole 2-core machine. */
  threads: number;
  onExit: (code: number | null) => void;
}

export const transcodeSegmentPrefix = (run: number): string => `t${run}-`;

export class Transcoder {
  private proc: ChildProcess | null = null;
  private stopped = false;
  /** Bytes written to ffmpeg's stdin waiting to drain: a stuck ffmpeg is not fed without bound. */
  private backlog = 0;
  private fedInit = false;
  private exited = false;
  bytesIn = 0;
  readonly startedAt = Date.now();

  constructor(private readonly opts: TranscoderOptions) {}

  /** Started by the first segment fed, whose container (MPEG-TS, or CMAF for a G.711 camera) tells the input format. */
  private start(inputFormat: 'mpegts' | 'mp4'): void {
    mkdirSync(this.opts.dir, { recursive: true });
    const { dir, run, maxHeight, threads } = this.opts;
    const args = [
      '-hide_banner', '-nostdin', '-loglevel', 'error',
      // Start on what the first segment says (the MPEG-TS PMT, the CMAF init) instead of reading 5 s of input first.
      '-probesize', '65536', '-analyzeduration', '500000',
      '-fflags', '+genpts+discardcorrupt', '-f', inputFormat, '-i', 'pipe:0',
      '-map', '0:v:0', '-map', '0:a:0?',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'main', '-pix_fmt', 'yuv420p',
      '-threads', String(threads),
      '-vf', `scale=-2:'min(${maxHeight},ih)'`,
      // A key frame every second whatever the source's GOP: ~1 s segments, a short wait for the first picture.
      '-force_key_frames', 'expr:gte(t,n_forced*1)', '-sc_threshold', '0', '-crf', '26', '-maxrate', '2500k', '-bufsize', '2500k',
      // The source's audio (AAC, or FLAC for G.711) in the form every HLS player takes.
      '-c:a', 'aac', '-b:a', '64k', '-ac', '1',
      '-f', 'hls', '-hls_time', '1', '-hls_list_size', '5',
      '-hls_flags', 'delete_segments+independent_segments+omit_endlist+temp_file',
      '-hls_segment_filename', join(dir, `${transcodeSegmentPrefix(run)}%d.ts`),
      join(dir, 'index.m3u8'),
    ];
    const proc = spawn(this.opts.ffmpeg, args, { stdio: ['pipe', 'ignore', process.env.CONSOLE_TRANSCODE_DEBUG === '1' ? 'inherit' : 'ignore'] });
    this.proc = proc;
    proc.stdin!.on('error', () => {}); // EPIPE after ffmpeg exits: reported by 'exit'
    proc.on('error', () => this.opts.onExit(null));
    proc.on('exit', (code) => { this.proc = null; this.exited = true; if (!this.stopped) this.opts.onExit(code); });
  }

  get pid(): number | undefined { return this.proc?.pid; }
  get started(): boolean { return this.proc !== null || this.exited; }

  /** One published segment of the relay, whole (MPEG-TS pieces concatenate; CMAF needs its init first). */
  feed(body: Uint8Array, init?: Uint8Array): void {
    if (this.stopped) return;
    if (!this.proc && !this.exited) this.start(init ? 'mp4' : 'mpegts');
    const stdin = this.proc?.stdin;
    if (!stdin || this.stopped || stdin.destroyed) return;
    // A transcode that cannot keep up drops whole segments (a gap in its output) rather than buffering.
    if (this.backlog > 8 << 20) return;
    if (init && !this.fedInit) { this.write(stdin, init); this.fedInit = true; }
    this.write(stdin, body);
  }

  private write(stdin: NodeJS.WritableStream, body: Uint8Array): void {
    this.backlog += body.byteLength;
    this.bytesIn += body.byteLength;
    const n = body.byteLength;
    stdin.write(Buffer.from(body.buffer, body.byteOffset, body.byteLength), () => { this.backlog -= n; });
  }

  playlist(): Promise<string | null> {
    return readFile(join(this.opts.dir, 'index.m3u8'), 'utf8').catch(() => null);
  }

  async segment(name: string): Promise<Buffer | undefined> {
    if (!name.startsWith(transcodeSegmentPrefix(this.opts.run))) return undefined;
    return readFile(join(this.opts.dir, name)).catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const proc = this.proc;
    this.proc = null;
    if (proc) {
      proc.stdin?.destroy();
      proc.kill('SIGKILL');
    }
    await rm(this.opts.dir, { recursive: true, force: true });
  }
}
