import { describe, expect, it } from 'vitest';
import { clockAt, drifted, pauseClock, rateClock, seekClock, startClock } from './sync-clock';

describe('sync playback clock', () => {
  it('runs from its start, at its rate, and stands still while paused', () => {
    let c = startClock(1, 1_000_000, 0);
    expect(clockAt(c, 2_000)).toBe(1_002_000);
    c = rateClock(c, 4, 2_000);
    expect(clockAt(c, 3_000)).toBe(1_006_000);
    c = pauseClock(c, true, 3_000);
    expect(clockAt(c, 60_000)).toBe(1_006_000);
    c = pauseClock(c, false, 60_000);
    expect(clockAt(c, 60_500)).toBe(1_008_000);
    c = seekClock(c, 500_000, 61_000);
    expect(clockAt(c, 61_250)).toBe(501_000);
    expect(c.session).toBe(1);
  });

  it('asks a tile to seek only past the tolerance', () => {
    expect(drifted(10_000, 10_900)).toBe(false);
    expect(drifted(10_000, 11_200)).toBe(true);
    expect(drifted(12_000, 10_500)).toBe(true);
  });
});
