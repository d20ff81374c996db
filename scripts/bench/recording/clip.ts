// Clip export part of bench:recording (issue #17): 60 s of stored video as MP4 ≤ 1 s.
//   npm run bench:recording -- --only clip [--clips 5]
// ffmpeg encodes two minutes of 720p25 H.264 (~2 Mb/s, GOP 2 s) as 2 s MPEG-TS segments (playback.ts's encodeClip),
// stored as one recording file with its index rows, exactly as the recorder writes them. Each run asks the real
// route GET /api/recordings/:id/clip.mp4 for the 60 s in the middle (through inject: copy of the byte ranges,
// mediabunny remux, audit row, the MP4 streamed back) and is timed from request to the last byte. ffprobe then
// decodes the MP4: H.264 and exactly 60 s × 25 frames, or the run counts as failed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBenchApp } from '../lib/app';
import { percentile } from '../lib/percentile';
import { atMost, type Goals } from '../lib/report';
import { encodeClip } from './playback';

const SEGMENT_S = 2;
const CLIP_S = 60;
const FPS = 25;

export interface ClipFigures {
  runs: number;
  clipSec: number;
  exportMs: { p50: number; max: number; all: number[] };
  cpuMsP50: number;
  mp4Bytes: number;
  /** ffprobe of the last export: codec and decoded frames. */
  codec: string;
  frames: number;
  expectedFrames: number;
  failures: number;
}

function probeFrames(file: string): { codec: string; frames: number } {
  const out = execFileSync('/usr/bin/ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,nb_read_frames', '-of', 'json', file], { encoding: 'utf8' });
  const s = (JSON.parse(out) as { streams: { codec_name: string; nb_read_frames: string }[] }).streams[0];
  return { codec: s?.codec_name ?? 'none', frames: Number(s?.nb_read_frames ?? 0) };
}

export async function clipBench(runs: number): Promise<{ figures: ClipFigures; goals: Goals }> {
  const work = mkdtempSync(join(tmpdir(), 'bench-clip-'));
  const app = await startBenchApp('clip', { overrides: { recording: { quotaGb: 0, minFreeGb: 0, ringSec: 0 } } });
  try {
    const clip = encodeClip(work);
    const dir = app.fastify.recordings.dir;
    const cameraId = (await app.fastify.db.get<{ id: number }>('SELECT id FROM cameras ORDER BY id LIMIT 1'))!.id;
    const startMs = Date.now() - 3600_000;
    const path = join(String(cameraId), 'main', 'record', new Date(startMs).toISOString().slice(0, 10), `${startMs}.ts`);
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), clip.bytes);
    const repo = app.fastify.repos.recordings;
    const id = await repo.insertFile({ cameraId, stream: 'main', kind: 'record', path, format: 'mpegts', startMs });
    await repo.insertSegments(clip.segments.map((s, i) => ({
      fileId: id, startMs: startMs + i * SEGMENT_S * 1000, durationMs: SEGMENT_S * 1000, offset: s.offset, size: s.size, epoch: 1,
      discontinuity: i === 0, dependent: false, initOffset: null, initSize: null,
    })), [{ id, endMs: startMs + clip.segments.length * SEGMENT_S * 1000, bytes: clip.bytes.length, sealed: true }]);

    const { cookie } = await app.signIn('admin', 'admin123');
    // The middle minute, on segment boundaries: 30 whole segments.
    const from = new Date(startMs + 30_000).toISOString();
    const to = new Date(startMs + 30_000 + CLIP_S * 1000).toISOString();
    const url = `/api/recordings/${cameraId}/clip.mp4?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const times: number[] = [];
    const cpus: number[] = [];
    let failures = 0;
    let last = { codec: 'none', frames: 0, bytes: 0 };
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const res = await app.fastify.inject({ url, headers: { cookie } });
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      if (res.statusCode !== 200) { failures++; process.stderr.write(`clip: ${res.statusCode} ${res.body.slice(0, 200)}\n`); continue; }
      times.push(Math.round(ms));
      cpus.push(Math.round((cpu.user + cpu.system) / 1000));
      const out = join(work, `clip-${i}.mp4`);
      writeFileSync(out, res.rawPayload);
      const p = probeFrames(out);
      last = { ...p, bytes: res.rawPayload.length };
      if (p.codec !== 'h264' || p.frames !== CLIP_S * FPS) failures++;
      rmSync(out, { force: true });
    }
    const figures: ClipFigures = {
      runs, clipSec: CLIP_S,
      exportMs: { p50: times.length ? Math.round(percentile(times, 50)) : NaN, max: times.length ? Math.max(...times) : NaN, all: times },
      cpuMsP50: cpus.length ? Math.round(percentile(cpus, 50)) : NaN,
      mp4Bytes: last.bytes, codec: last.codec, frames: last.frames, expectedFrames: CLIP_S * FPS, failures,
    };
    return {
      figures,
      goals: {
        clipExport60sP50Ms: atMost(figures.exportMs.p50, 1000),
        clipExportFailures: atMost(failures, 0),
      },
    };
  } finally {
    await app.close();
    rmSync(work, { recursive: true, force: true });
  }
}
