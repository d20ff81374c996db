// The sidecar journal of a recording file: one JSON line per segment, appended after the segment's bytes and
// before its index row is queued. It is what a start-up trusts when a kill -9 took rows still waiting for their
// batched insert: a line exists only for bytes that were fully written, and a torn last line is ignored.
import type { JournalEntry } from './types';

export const journalPath = (dataPath: string): string => `${dataPath}.idx`;

export function journalLine(e: JournalEntry): string {
  return JSON.stringify([e.startMs, e.durationMs, e.offset, e.size, e.epoch, e.discontinuity ? 1 : 0, e.dependent ? 1 : 0, e.initOffset, e.initSize]) + '\n';
}

/** Complete entries of a journal, and how many bytes of it they take (anything after is a torn write). */
export function parseJournal(text: string): { entries: JournalEntry[]; validBytes: number } {
  const entries: JournalEntry[] = [];
  let pos = 0;
  for (;;) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) break;
    let a: unknown;
    try { a = JSON.parse(text.slice(pos, nl)); } catch { break; }
    if (!Array.isArray(a) || a.length !== 9 || !a.slice(0, 5).every((n) => Number.isFinite(n))) break;
    const [startMs, durationMs, offset, size, epoch, disc, dep, initOffset, initSize] = a as number[];
    entries.push({ startMs: startMs!, durationMs: durationMs!, offset: offset!, size: size!, epoch: epoch!, discontinuity: disc === 1, dependent: dep === 1, initOffset: initOffset ?? null, initSize: initSize ?? null });
    pos = nl + 1;
  }
  // Byte length, not string length: the journal is ASCII (JSON of numbers), so they agree.
  return { entries, validBytes: pos };
}
