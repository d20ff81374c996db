// The VOD playlist and spans over index rows (pure): byte ranges, dates, discontinuities at epoch changes and gaps,
// CMAF init maps, ring/recording overlap deduplicated.
import { describe, expect, it } from 'vitest';
import { dedupe, spansOf, vodPlaylist, type PlayableSegment } from '../../server/media/record/index';

const seg = (o: Partial<PlayableSegment>): PlayableSegment => ({
  fileId: 1, startMs: 0, durationMs: 1000, offset: 0, size: 100, epoch: 1, discontinuity: false, dependent: false, initOffset: null, initSize: null, format: 'mpegts', ...o,
});

describe('vod playlist', () => {
  it('marks epoch changes and gaps as discontinuities and dates every segment', () => {
    const t = Date.UTC(2026, 11, 7, 10, 0, 0);
    const text = vodPlaylist([
      seg({ startMs: t, offset: 0 }),
      seg({ startMs: t + 1000, offset: 100 }),
      seg({ startMs: t + 2000, offset: 200, epoch: 2, discontinuity: true }),
      seg({ startMs: t + 10_000, offset: 300, epoch: 2 }), // 7 s gap in one epoch (segments dropped)
    ]);
    expect(text.match(/#EXT-X-DISCONTINUITY\n/g)).toHaveLength(2);
    expect(text).toContain('#EXT-X-VERSION:4');
    expect(text).toContain(`#EXT-X-PROGRAM-DATE-TIME:2026-12-07T10:00:10.000Z\n#EXTINF:1.000,\n#EXT-X-BYTERANGE:100@300\nf1.ts`);
    expect(spansOf([seg({ startMs: t }), seg({ startMs: t + 1000 }), seg({ startMs: t + 10_000 })])).toEqual([
      { startMs: t, endMs: t + 2000 }, { startMs: t + 10_000, endMs: t + 11_000 },
    ]);
  });

  it('maps CMAF init segments by byte range once per epoch, and keeps one of overlapping ring and recording segments', () => {
    const text = vodPlaylist([
      seg({ format: 'cmaf', offset: 800, initOffset: 0, initSize: 800 }),
      seg({ format: 'cmaf', startMs: 1000, offset: 900, initOffset: 0, initSize: 800 }),
    ]);
    expect(text).toContain('#EXT-X-VERSION:6');
    expect(text.match(/#EXT-X-MAP:URI="f1.m4s",BYTERANGE="800@0"/g)).toHaveLength(1);
    expect(dedupe([seg({ fileId: 2, startMs: 0 }), seg({ fileId: 1, startMs: 10 }), seg({ fileId: 1, startMs: 1000 })]).map((s) => [s.fileId, s.startMs]))
      .toEqual([[2, 0], [1, 1000]]);
  });
});
