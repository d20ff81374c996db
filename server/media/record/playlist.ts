// VOD playlists and timelines over indexed segments (pure: rows in, text or spans out).
// A playlist names byte ranges of the stored files (EXT-X-BYTERANGE, version 4; CMAF's init by EXT-X-MAP with
// BYTERANGE, version 6), dates every segment (EXT-X-PROGRAM-DATE-TIME, what the timeline and the wall seek by) and
// marks a discontinuity wherever the timeline breaks: a new epoch (reconnect, codec change) or a gap in time.
import type { SegmentRow } from './types';

export interface PlayableSegment extends SegmentRow {
  format: 'mpegts' | 'cmaf';
}

/** Two segments further apart than this are separated by a gap (shown on the timeline, a discontinuity here). */
export const GAP_MS = 1_500;

/** Ring and recording may both hold a moment: keep the first of overlapping segments, in time order. */
export function dedupe(segments: PlayableSegment[]): PlayableSegment[] {
  const sorted = [...segments].sort((a, b) => a.startMs - b.startMs || a.fileId - b.fileId);
  const out: PlayableSegment[] = [];
  let end = -Infinity;
  for (const s of sorted) {
    if (s.startMs < end - 500) continue;
    out.push(s);
    end = s.startMs + s.durationMs;
  }
  return out;
}

export const fileUri = (fileId: number, format: 'mpegts' | 'cmaf'): string => `f${fileId}${format === 'cmaf' ? '.m4s' : '.ts'}`;

export function vodPlaylist(segments: PlayableSegment[], suffix = ''): string {
  const segs = dedupe(segments);
  const cmaf = segs.some((s) => s.format === 'cmaf');
  const target = Math.max(1, ...segs.map((s) => Math.ceil(s.durationMs / 1000)));
  let out = `#EXTM3U\n#EXT-X-VERSION:${cmaf ? 6 : 4}\n#EXT-X-TARGETDURATION:${target}\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-MEDIA-SEQUENCE:0\n`;
  let prev: PlayableSegment | null = null;
  let map = '';
  for (const s of segs) {
    const uri = fileUri(s.fileId, s.format) + suffix;
    const broken = prev !== null && (s.discontinuity || s.epoch !== prev.epoch || s.fileId !== prev.fileId && s.format !== prev.format
      || s.startMs - (prev.startMs + prev.durationMs) > GAP_MS);
    if (broken) out += '#EXT-X-DISCONTINUITY\n';
    if (s.format === 'cmaf' && s.initOffset !== null && s.initSize !== null) {
      const m = `#EXT-X-MAP:URI="${uri}",BYTERANGE="${s.initSize}@${s.initOffset}"\n`;
      if (m !== map) { out += m; map = m; }
    }
    out += `#EXT-X-PROGRAM-DATE-TIME:${new Date(s.startMs).toISOString()}\n`;
    out += `#EXTINF:${(s.durationMs / 1000).toFixed(3)},\n#EXT-X-BYTERANGE:${s.size}@${s.offset}\n${uri}\n`;
    prev = s;
  }
  return out + '#EXT-X-ENDLIST\n';
}

export interface Span {
  startMs: number;
  endMs: number;
}

/** Recorded spans (gaps are what lies between them) of a list of segments. */
export function spansOf(segments: Pick<SegmentRow, 'startMs' | 'durationMs'>[], gapMs = GAP_MS): Span[] {
  const sorted = [...segments].sort((a, b) => a.startMs - b.startMs);
  const spans: Span[] = [];
  for (const s of sorted) {
    const end = s.startMs + s.durationMs;
    const last = spans[spans.length - 1];
    if (last && s.startMs - last.endMs <= gapMs) last.endMs = Math.max(last.endMs, end);
    else spans.push({ startMs: s.startMs, endMs: end });
  }
  return spans;
}
