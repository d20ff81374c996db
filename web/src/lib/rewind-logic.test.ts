import { describe, expect, it } from 'vitest';
import { barSpans, behindLive, playbackUrl, playerTimeAt, wallTimeAt } from './rewind-logic';

const frags = [
  { start: 0, duration: 1, programDateTime: 1_000_000 },
  { start: 1, duration: 1, programDateTime: 1_001_000 },
  // a 5 s gap (camera outage): the player's timeline collapses it
  { start: 2, duration: 1, programDateTime: 1_007_000 },
];

describe('rewind logic', () => {
  it('maps wall time to player time across a gap and back', () => {
    expect(playerTimeAt(frags, 1_000_500)).toBe(0.5);
    expect(playerTimeAt(frags, 1_007_250)).toBe(2.25);
    expect(playerTimeAt(frags, 1_003_000)).toBe(2); // in the gap: the next fragment
    expect(playerTimeAt(frags, 1_009_000)).toBeNull();
    expect(wallTimeAt(frags, 2.5)).toBe(1_007_500);
    expect(wallTimeAt(frags, 1.5)).toBe(1_001_500);
  });

  it('places spans on the bar and names the playlist range', () => {
    expect(barSpans([{ start: new Date(0).toISOString(), end: new Date(50).toISOString() }], 0, 100)).toEqual([{ left: 0, width: 0.5 }]);
    expect(playbackUrl(7, 0, 1000)).toBe('/playback/7/index.m3u8?from=1970-01-01T00%3A00%3A00.000Z&to=1970-01-01T00%3A00%3A01.000Z');
    expect(behindLive(0, 85_000)).toBe('-1:25');
  });
});
