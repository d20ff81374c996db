// The relay bench's H.265 → H.264 round (`--transcode 720,1080`): what one transcode costs, through the gateway's
// own Transcoder (same ffmpeg arguments: libx264 ultrafast/zerolatency, output at most 720 lines, one thread).
// Per source height, an H.265 stream like a camera's (testsrc2 with grain, 25 fps, GOP 1 s, ~2–4 Mb/s) is made
// once with libx265 into 1 s MPEG-TS segments, then fed at real time, one segment a second, as the relay publishes
// them. Measured: the ffmpeg process's utime+stime over the steady state (% of one core), and the time from the
// first segment fed to the first transcoded segment listed (the server's share of the first frame; a player adds
// its own start, see bench:wall). Files stay in a temp directory that is removed; nothing leaves the machine.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transcoder } from '../../../server/media/transcode/transcoder';
import { cpuSeconds } from '../lib/proc';
import { sleep } from './common';
import { FFMPEG } from './ffmpeg';

const WIDTH: Record<number, number> = { 720: 1280, 1080: 1920 };

function makeSource(dir: string, height: number, seconds: number): Buffer[] {
  const size = `${WIDTH[height] ?? Math.round((height * 16) / 9)}x${height}`;
  execFileSync(FFMPEG, [
    '-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25,noise=alls=8:allf=t`, '-t', String(seconds),
    '-pix_fmt', 'yuv420p', '-c:v', 'libx265', '-preset', 'ultrafast', '-b:v', height >= 1080 ? '4000k' : '2000k',
    '-x265-params', 'keyint=25:min-keyint=25:scenecut=0:bframes=0:log-level=error',
    '-f', 'segment', '-segment_time', '1', '-segment_format', 'mpegts', join(dir, 'src%03d.ts'),
  ]);
  return readdirSync(dir).filter((f) => f.startsWith('src')).sort().map((f) => readFileSync(join(dir, f)));
}

export async function measureTranscode(height: number, seconds: number) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-transcode-'));
  try {
    const segments = makeSource(dir, height, seconds + 4);
    const exits: (number | null)[] = [];
    const t = new Transcoder({ ffmpeg: FFMPEG, dir: join(dir, 'out'), run: 1, maxHeight: 720, threads: 1, onExit: (c) => exits.push(c) });
    const t0 = performance.now();
    let firstSegmentMs: number | null = null;
    let fed = 0;
    const feeder = setInterval(() => { if (fed < segments.length) t.feed(segments[fed++]!); }, 1000);
    t.feed(segments[fed++]!);
    try {
      while (firstSegmentMs === null && performance.now() - t0 < 15_000 && exits.length === 0) {
        const pl = await t.playlist();
        if (pl && pl.split('\n').some((l) => l && !l.startsWith('#'))) firstSegmentMs = Math.round(performance.now() - t0);
        else await sleep(50);
      }
      await sleep(1000);
      const pid = t.pid;
      const steady = Math.max(3, seconds - 2);
      const c0 = pid ? cpuSeconds(pid) : 0;
      const w0 = performance.now();
      await sleep(steady * 1000);
      const cpuSec = pid ? cpuSeconds(pid) - c0 : 0;
      const wallSec = (performance.now() - w0) / 1000;
      const pl = (await t.playlist()) ?? '';
      return {
        sourceHeight: height, outputHeight: Math.min(height, 720), sourceMbps: +((segments.reduce((a, b) => a + b.length, 0) * 8) / 1e6 / segments.length).toFixed(2),
        cpuPctOfOneCore: +((100 * cpuSec) / wallSec).toFixed(1),
        firstSegmentMs,
        segmentsListed: pl.split('\n').filter((l) => l && !l.startsWith('#')).length,
        ffmpegExited: exits.length > 0,
      };
    } finally {
      clearInterval(feeder);
      await t.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
