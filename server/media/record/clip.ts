// Clip export: stored segments of a range remuxed into one MP4 by mediabunny, without transcoding (same codec,
// same frames). The byte ranges are first copied into one temporary MPEG-TS file (streamed, never the whole
// clip in memory: 30 min at 2 Mb/s is ~450 MB), then converted file to file.
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Conversion, FilePathSource, FilePathTarget, Input, MPEG_TS, Mp4OutputFormat, Output } from 'mediabunny';
import { GAP_MS, type PlayableSegment } from './playlist';

/** Segments of one continuous run from the first: a clip stops at the first discontinuity (reconnect, codec change,
 * gap), since one MP4 track has one timeline. Returns the run and whether it was cut short. */
export function continuousRun(segs: PlayableSegment[]): { run: PlayableSegment[]; cut: boolean } {
  const run: PlayableSegment[] = [];
  for (const s of segs) {
    const prev = run[run.length - 1];
    if (prev && (s.discontinuity || s.epoch !== prev.epoch || s.startMs - (prev.startMs + prev.durationMs) > GAP_MS)) return { run, cut: true };
    run.push(s);
  }
  return { run, cut: false };
}

export async function exportClip(storeDir: string, pathOf: (fileId: number) => string, segs: PlayableSegment[], outPath: string): Promise<void> {
  if (segs.some((s) => s.format !== 'mpegts')) throw new Error('clip export reads MPEG-TS recordings');
  const tsPath = `${outPath}.ts`;
  try {
    const out = await open(tsPath, 'w');
    try {
      let pos = 0;
      const buf = Buffer.allocUnsafe(1 << 20);
      for (const s of segs) {
        const src = await open(join(storeDir, pathOf(s.fileId)), 'r');
        try {
          let done = 0;
          while (done < s.size) {
            const { bytesRead } = await src.read(buf, 0, Math.min(buf.length, s.size - done), s.offset + done);
            if (bytesRead === 0) throw new Error('stored file shorter than its index');
            await out.write(buf, 0, bytesRead, pos);
            pos += bytesRead;
            done += bytesRead;
          }
        } finally { await src.close(); }
      }
    } finally { await out.close(); }
    const input = new Input({ source: new FilePathSource(tsPath), formats: [MPEG_TS] });
    const output = new Output({ format: new Mp4OutputFormat(), target: new FilePathTarget(outPath) });
    const conversion = await Conversion.init({ input, output, showWarnings: false });
    if (!conversion.isValid) throw new Error(`clip cannot be remuxed: ${conversion.discardedTracks.map((t) => t.reason).join(', ')}`);
    await conversion.execute();
    input.dispose?.();
  } finally {
    await rm(tsPath, { force: true });
  }
}
