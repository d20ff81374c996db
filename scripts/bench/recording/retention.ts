// Retention part of bench:recording (issue #17): a sweep over 1M indexed segments ≤ 1 s without blocking live
// serving.
//   npm run bench:recording -- --only retention [--segments 1000000]
// The real app (SQLite file, demo county) gets an index of `segments` 1 s segments of 100 demo cameras in 10-min
// files (600 segments each) from 8–20 days ago, past the 7-day retention, plus one recent file per camera (kept)
// and one locked old file (evidence: kept). Rows go in bulk (one transaction, prepared multi-row statements); each
// file exists on disk (tiny), so the sweep unlinks real files. Then the janitor's sweep, timed, while the serving
// thread's event-loop delay is sampled (perf_hooks monitorEventLoopDelay) and an API request that reads the
// database (GET /api/cameras) is sent every 20 ms: its latency is what an operator feels while the sweep runs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Janitor } from '../../../server/media/record';
import { journalPath } from '../../../server/media/record/journal';
import { startBenchApp } from '../lib/app';
import { percentile } from '../lib/percentile';
import { atMost, type Goals } from '../lib/report';

const SEGMENTS_PER_FILE = 600;
const CAMERAS = 100;
const RETENTION_DAYS = 7;
const DAY_MS = 86_400_000;
const SEG_BYTES = 250_000;
const ROWS_PER_STATEMENT = 100;

export interface RetentionFigures {
  segmentsIndexed: number;
  filesIndexed: number;
  expiredSegments: number;
  expiredFiles: number;
  indexMs: number;
  sweepMs: number;
  /** CPU of the whole process (SQLite's threads included) during the sweep: on a shared machine, the better
   * estimate of the wall time on an idle one. */
  sweepCpuMs: number;
  deletedFiles: number;
  segmentsLeft: number;
  lockedFileKept: boolean;
  recentFilesKept: number;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  apiDuringSweepMs: { requests: number; p50: number; p99: number; max: number };
  /** The same probes over one idle second just before the sweep. */
  eventLoopDelayIdleMs: { p50: number; p99: number; max: number };
  apiIdleMs: { requests: number; p50: number; p99: number; max: number };
}

export async function retentionBench(segments: number): Promise<{ figures: RetentionFigures; goals: Goals }> {
  const app = await startBenchApp('retention', {
    overrides: { recording: { quotaGb: 0, minFreeGb: 0, ringSec: 0, defaultRetentionDays: RETENTION_DAYS } },
  });
  try {
    // The app's own recorder would sweep on its first tick, mid-way through the indexing: stop its timer; the
    // sweep measured below is the same Janitor on the same repository and directory.
    app.fastify.recordings.recorder.close();
    const db = app.fastify.db;
    const dir = app.fastify.recordings.dir;
    const admin = await app.signIn('admin', 'admin123');
    const cameraIds = (await db.all<{ id: number }>('SELECT id FROM cameras ORDER BY id LIMIT ?', [CAMERAS])).map((r) => r.id);
    const now = Date.now();
    const oldStart = now - 20 * DAY_MS;
    const expiredFiles = Math.ceil(segments / SEGMENTS_PER_FILE);
    const perCamera = Math.ceil(expiredFiles / cameraIds.length);
    if (oldStart + perCamera * SEGMENTS_PER_FILE * 1000 > now - (RETENTION_DAYS + 1) * DAY_MS) throw new Error('too many segments per camera for 12 days');

    // Files: [cameraId, startMs, segments] — the expired ones, then one recent file per camera.
    const plan: { cameraId: number; startMs: number; n: number }[] = [];
    let left = segments;
    for (let f = 0; f < expiredFiles; f++) {
      const n = Math.min(SEGMENTS_PER_FILE, left);
      left -= n;
      plan.push({ cameraId: cameraIds[f % cameraIds.length]!, startMs: oldStart + Math.floor(f / cameraIds.length) * SEGMENTS_PER_FILE * 1000, n });
    }
    for (const cameraId of cameraIds) plan.push({ cameraId, startMs: now - DAY_MS, n: SEGMENTS_PER_FILE });

    const t0 = performance.now();
    const fileIds: number[] = [];
    await db.transaction(async (tx) => {
      const fileStmt = await tx.prepare(
        `INSERT INTO recording_files (camera_id, stream, kind, path, format, start_ms, end_ms, bytes, sealed) VALUES (?, 'main', 'record', ?, 'mpegts', ?, ?, ?, 1)`);
      const segStmt = await tx.prepare(
        `INSERT INTO recording_segments (file_id, start_ms, duration_ms, "offset", size, epoch, discontinuity, dependent, init_offset, init_size) VALUES ${
          Array.from({ length: ROWS_PER_STATEMENT }, () => '(?, ?, 1000, ?, ?, 1, ?, 0, NULL, NULL)').join(', ')}`);
      let params: unknown[] = [];
      let rows = 0;
      for (const f of plan) {
        const day = new Date(f.startMs).toISOString().slice(0, 10);
        const path = join(String(f.cameraId), 'main', 'record', day, `${f.startMs}.ts`);
        mkdirSync(join(dir, path, '..'), { recursive: true });
        writeFileSync(join(dir, path), Buffer.alloc(188, 0x47));
        writeFileSync(journalPath(join(dir, path)), '\n');
        const { lastID } = await fileStmt.run([f.cameraId, path, f.startMs, f.startMs + f.n * 1000, f.n * SEG_BYTES]);
        fileIds.push(lastID);
        for (let i = 0; i < f.n; i++) {
          params.push(lastID, f.startMs + i * 1000, i * SEG_BYTES, SEG_BYTES, i === 0 ? 1 : 0);
          if (++rows === ROWS_PER_STATEMENT) {
            await segStmt.run(params as never);
            params = [];
            rows = 0;
          }
        }
      }
      await fileStmt.finalize();
      await segStmt.finalize();
      // The last partial statement's rows one by one.
      for (let i = 0; i < params.length; i += 5) {
        await tx.run(`INSERT INTO recording_segments (file_id, start_ms, duration_ms, "offset", size, epoch, discontinuity, dependent) VALUES (?, ?, 1000, ?, ?, 1, ?, 0)`, params.slice(i, i + 5) as never);
      }
    });
    const indexMs = performance.now() - t0;
    // Evidence on the first camera's oldest file: retention must keep it.
    const lockedId = fileIds[0]!;
    const locked = plan[0]!;
    await app.fastify.repos.recordings.addLock({ cameraId: locked.cameraId, startMs: locked.startMs + 5_000, endMs: locked.startMs + 65_000, reason: 'evidence', createdBy: null });
    const count = async () => (await db.get<{ n: number }>('SELECT count(*) AS n FROM recording_segments'))!.n;
    const indexed = await count();
    process.stderr.write(`retention: ${indexed} segments in ${plan.length} files indexed in ${Math.round(indexMs)} ms\n`);

    const janitor = new Janitor({ dir, index: app.fastify.repos.recordings, defaultRetentionDays: RETENTION_DAYS, quotaBytes: 0, minFreeBytes: 0 });
    // The same probes over an idle second first: on a shared machine the delay the sweep adds is the difference.
    const watch = async <T>(work: () => Promise<T>) => {
      const h = monitorEventLoopDelay({ resolution: 5 });
      const api: number[] = [];
      let running = true;
      const probe = (async () => {
        while (running) {
          const s = performance.now();
          const res = await app.fastify.inject({ url: '/api/cameras?limit=20', headers: { cookie: admin.cookie } });
          if (res.statusCode !== 200) throw new Error(`GET /api/cameras: ${res.statusCode}`);
          api.push(performance.now() - s);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      h.enable();
      const s0 = performance.now();
      const c0 = process.cpuUsage();
      const value = await work();
      const ms = performance.now() - s0;
      const c = process.cpuUsage(c0);
      const cpuMs = Math.round((c.user + c.system) / 1000);
      h.disable();
      running = false;
      await probe;
      const d = (ns: number) => +(ns / 1e6).toFixed(1);
      const r1 = (x: number) => +x.toFixed(1);
      return {
        value, ms, cpuMs,
        loop: { p50: d(h.percentile(50)), p99: d(h.percentile(99)), max: d(h.max) },
        api: { requests: api.length, p50: r1(percentile(api, 50)), p99: r1(percentile(api, 99)), max: r1(Math.max(...api)) },
      };
    };
    const idle = await watch(() => new Promise((r) => setTimeout(r, 1000)));
    const swept = await watch(() => janitor.sweep());
    const result = swept.value;
    const sweepMs = swept.ms;
    const sweepCpuMs = swept.cpuMs;

    const segmentsLeft = await count();
    const lockedFileKept = !!(await app.fastify.repos.recordings.fileById(lockedId));
    const recentFilesKept = (await db.get<{ n: number }>('SELECT count(*) AS n FROM recording_files WHERE start_ms >= ?', [now - 2 * DAY_MS]))!.n;
    const figures: RetentionFigures = {
      segmentsIndexed: indexed, filesIndexed: plan.length, expiredSegments: segments, expiredFiles,
      indexMs: Math.round(indexMs), sweepMs: Math.round(sweepMs), sweepCpuMs, deletedFiles: result.deleted, segmentsLeft, lockedFileKept, recentFilesKept,
      eventLoopDelayMs: swept.loop, apiDuringSweepMs: swept.api,
      eventLoopDelayIdleMs: idle.loop, apiIdleMs: idle.api,
    };
    const expectedLeft = SEGMENTS_PER_FILE * cameraIds.length + locked.n;
    return {
      figures,
      goals: {
        retentionSweepMs: atMost(figures.sweepMs, 1000),
        retentionSweepEventLoopP99Ms: atMost(figures.eventLoopDelayMs.p99, 50),
        // What the sweep must leave: the recent files and the locked one, nothing else.
        retentionWrongRowsLeft: atMost(Math.abs(segmentsLeft - expectedLeft) + (lockedFileKept ? 0 : 1) + (recentFilesKept === cameraIds.length ? 0 : 1), 0),
      },
    };
  } finally {
    await app.close();
  }
}
