// Start-up recovery of the segment store. Files the writer did not seal (a kill -9, a power cut, a crash) are at
// most one per stream. For each: journal lines that never became index rows are indexed, and whatever the data
// file holds past the last journalled segment (the segment being written when the process died) is cut off, as is
// a torn journal line. A row whose data file is gone is dropped. Then the file is sealed.
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { journalPath, parseJournal } from './journal';
import type { RecordingIndex } from './types';

export interface RecoveryReport {
  files: number;
  /** Segments indexed from journals (their rows were lost). */
  indexed: number;
  /** Bytes cut from data files (the unjournalled tail). */
  truncatedBytes: number;
  removed: number;
}

export async function recoverStore(dir: string, index: RecordingIndex): Promise<RecoveryReport> {
  const report: RecoveryReport = { files: 0, indexed: 0, truncatedBytes: 0, removed: 0 };
  for (const f of await index.unsealed()) {
    report.files++;
    const abs = join(dir, f.path);
    const size = await stat(abs).then((s) => s.size, () => -1);
    if (size < 0) {
      await index.deleteFile(f.id);
      report.removed++;
      continue;
    }
    const text = await readFile(journalPath(abs), 'latin1').catch(() => '');
    const { entries, validBytes } = parseJournal(text);
    // Only entries whose bytes are all there (a journal line is written after its bytes, so this holds unless the
    // disk itself lost data).
    const whole = entries.filter((e) => e.offset + e.size <= size);
    const indexedEnd = await index.indexedEnd(f.id);
    const missing = whole.filter((e) => e.offset >= indexedEnd);
    const dataEnd = whole.reduce((end, e) => Math.max(end, e.offset + e.size), indexedEnd);
    const endMs = whole.reduce((end, e) => Math.max(end, e.startMs + e.durationMs), f.endMs);
    if (size > dataEnd) {
      const fh = await open(abs, 'r+');
      try { await fh.truncate(dataEnd); } finally { await fh.close(); }
      report.truncatedBytes += size - dataEnd;
    }
    if (validBytes < text.length) {
      const fh = await open(journalPath(abs), 'r+');
      try { await fh.truncate(validBytes); } finally { await fh.close(); }
    }
    await index.insertSegments(missing.map((e) => ({ fileId: f.id, ...e })), [{ id: f.id, endMs, bytes: dataEnd, sealed: true }]);
    report.indexed += missing.length;
  }
  return report;
}
