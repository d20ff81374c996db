// kill -9 while a child process records, then a start-up recovers: rows lost with the process are rebuilt from the
// journals, the half-written tail of the data file is cut, and what is indexed decodes.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { recoverStore } from '../../server/media/record/index';
import { journalPath } from '../../server/media/record/journal';
import { HAVE_FFPROBE, probe } from '../media/helpers/ffprobe';
import { camera } from '../media/helpers/sim';
import { allSegments, concat, tempIndex } from './helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

it.skipIf(!HAVE_FFPROBE)('kill -9 mid-recording loses at most the segment being written, and a restart recovers the index', { timeout: 60_000 }, async () => {
  const cam = await camera(2153);
  cleanups.push(() => cam.close());
  const dir = mkdtempSync(join(tmpdir(), 'cvc-rec-kill-'));
  const storeDir = join(dir, 'store');
  // The index exists before the child opens it (on PostgreSQL the child finds its URL in dir).
  await (await tempIndex(dir)).db.close();
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'writer-child.ts'), storeDir, dir, cam.rtspUrl, cam.spec.username, cam.spec.password], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  // Until the child has written ≥ 6 segments (two files of 3 s at least).
  const written = await new Promise<number>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = [...buf.matchAll(/written (\d+)/g)].pop();
      if (m && Number(m[1]) >= 6) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));

  const idx = await tempIndex(dir);
  cleanups.push(() => idx.db.close());
  // Nothing was flushed by the child: the rows exist only in the journals.
  expect(await allSegments(idx.repo, 1)).toHaveLength(0);
  const open = await idx.repo.unsealed();
  expect(open.length).toBeGreaterThanOrEqual(2);
  // The segment being written at the kill: bytes on disk past the last journal line, and a torn journal line.
  const last = open[open.length - 1]!;
  const lastPath = join(storeDir, last.path);
  const sizeBefore = statSync(lastPath).size;
  appendFileSync(lastPath, Buffer.alloc(70_000, 0x47));
  appendFileSync(journalPath(lastPath), '[1796670231624,1000,');

  const report = await recoverStore(storeDir, idx.repo);
  expect(report.files).toBe(open.length);
  expect(report.indexed).toBeGreaterThanOrEqual(written);
  expect(report.truncatedBytes).toBeGreaterThanOrEqual(70_000);
  expect(statSync(lastPath).size).toBe(sizeBefore);
  expect(await idx.repo.unsealed()).toHaveLength(0);

  const segs = await allSegments(idx.repo, 1);
  expect(segs.length).toBe(report.indexed);
  const result = await probe(await concat(storeDir, idx.repo, segs));
  expect(result.errors).toBe('');
  expect(result.packets.filter((p) => p.codec_type === 'video').length).toBeGreaterThan(100);
  // A second start-up finds nothing to do.
  expect((await recoverStore(storeDir, idx.repo)).files).toBe(0);
});
