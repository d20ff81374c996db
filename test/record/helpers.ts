// Shared pieces of the recording tests: a real index database in a temp dir (SQLite, or PostgreSQL in the postgres
// run), and reading back what a playlist names.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../server/db/database';
import { migrate } from '../../server/db/migrate';
import { RecordingRepository } from '../../server/db/repositories/recordings';
import { dedupe, type PlayableSegment } from '../../server/media/record/index';
import { createTestDatabase } from '../helpers/postgres';

export async function tempIndex(dir = mkdtempSync(join(tmpdir(), 'cvc-rec-'))) {
  const db = await Database.connect(await indexTarget(dir));
  await migrate(db);
  return { dir, db, repo: new RecordingRepository(db), store: join(dir, 'store') };
}

/**
 * The index database of a directory: its SQLite file, or with CVC_TEST_DB=postgres a fresh PostgreSQL database whose
 * URL is kept in the directory, so that a second tempIndex(dir) (a restart, or writer-child.ts, which must then be
 * spawned after the parent has made it: a child cannot start the run's cluster) opens the same one.
 */
async function indexTarget(dir: string): Promise<string> {
  // Not TEST_DB from helpers/app.ts: writer-child.ts should not load the whole app to learn it.
  if (process.env.CVC_TEST_DB !== 'postgres') return join(dir, 'index.db');
  const file = join(dir, 'index.url');
  if (existsSync(file)) return readFileSync(file, 'utf8');
  const url = await createTestDatabase('recordings');
  writeFileSync(file, url);
  return url;
}

/** Every indexed segment of a camera stream, as the playback route sees them. */
export async function allSegments(repo: RecordingRepository, cameraId: number): Promise<PlayableSegment[]> {
  const files = await repo.filesOverlapping(cameraId, 0, Number.MAX_SAFE_INTEGER);
  const byId = new Map(files.map((f) => [f.id, f]));
  const segs = await repo.segmentsOf(files.map((f) => f.id), 0, Number.MAX_SAFE_INTEGER);
  return dedupe(segs.map((s) => ({ ...s, format: byId.get(s.fileId)!.format })));
}

/** The bytes of the segments in order, read by byte range from their files, concatenated (one MPEG-TS stream). */
export async function concat(storeDir: string, repo: RecordingRepository, segs: PlayableSegment[]): Promise<Buffer> {
  const parts: Buffer[] = [];
  const cache = new Map<number, Buffer>();
  for (const s of segs) {
    let data = cache.get(s.fileId);
    if (!data) {
      const f = (await repo.fileById(s.fileId))!;
      data = await readFile(join(storeDir, f.path));
      cache.set(s.fileId, data);
    }
    parts.push(data.subarray(s.offset, s.offset + s.size));
  }
  return Buffer.concat(parts);
}
