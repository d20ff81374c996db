import { describe, expect, it } from 'vitest';
import { devicePlaybackUrl, deviceTimelineUrl } from './rewind-logic';
import { barSpans, behindLive, clockTime, pastViewAt, dayView, DAY_WINDOW_MS, localDay, nextRecorded, playbackUrl, playerTimeAt, playerWindow, rewindView, wallTimeAt } from './rewind-logic';

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
    // Before the playlist's first fragment is not a gap: another playlist holds it (a click earlier in the day).
    expect(playerTimeAt(frags, 999_000)).toBeNull();
    expect(wallTimeAt(frags, 2.5)).toBe(1_007_500);
    expect(wallTimeAt(frags, 1.5)).toBe(1_001_500);
  });

  it('places spans on the bar and names the playlist range', () => {
    expect(barSpans([{ start: new Date(0).toISOString(), end: new Date(50).toISOString() }], 0, 100)).toEqual([{ left: 0, width: 0.5 }]);
    expect(playbackUrl(7, 0, 1000)).toBe('/playback/7/index.m3u8?from=1970-01-01T00%3A00%3A00.000Z&to=1970-01-01T00%3A00%3A01.000Z');
    expect(behindLive(0, 85_000)).toBe('-1:25');
  });

  it('plays a local day half an hour at a time, and the rewind window whole', () => {
    const now = Date.parse('2026-12-07T06:00:00Z'); // 14:00 in Beijing
    const today = dayView('2026-12-07', 480, now);
    expect(today).toEqual({ fromMs: Date.parse('2026-12-06T16:00:00Z'), toMs: now, startMs: Date.parse('2026-12-06T16:00:00Z'), day: '2026-12-07' });
    expect(playerWindow({ ...today, startMs: now - 10 * 60_000 })).toEqual({ fromMs: now - 10 * 60_000, toMs: now });
    const before = dayView('2026-12-05', 480, now);
    expect(before.toMs - before.fromMs).toBe(86_400_000);
    expect(playerWindow(before)).toEqual({ fromMs: before.fromMs, toMs: before.fromMs + DAY_WINDOW_MS });
    const rewind = rewindView(now);
    expect(playerWindow(rewind)).toEqual({ fromMs: rewind.fromMs, toMs: now });
    expect(localDay(Date.parse('2026-12-06T16:30:00Z'), 480)).toBe('2026-12-07');
    expect(clockTime(Date.parse('2026-12-06T16:30:05Z'), 480)).toBe('00:30:05');
  });

  it('shows a moment in the rewind window while it is there, else in its day', () => {
    const now = Date.parse('2026-12-07T06:00:00Z');
    expect(pastViewAt(now - 60_000, now, 480)).toMatchObject({ day: null, startMs: now - 60_000, toMs: now });
    expect(pastViewAt(now - 3600_000, now, 480)).toMatchObject({ day: '2026-12-07', startMs: now - 3600_000, toMs: now });
    expect(pastViewAt(Date.parse('2026-12-05T17:00:00Z'), now, 480)).toMatchObject({ day: '2026-12-06' });
  });

  it('finds the next recorded moment across gaps', () => {
    const spans = [{ start: new Date(1000).toISOString(), end: new Date(2000).toISOString() }, { start: new Date(5000).toISOString(), end: new Date(6000).toISOString() }];
    expect(nextRecorded(spans, 0)).toBe(1000);
    expect(nextRecorded(spans, 1500)).toBe(1500);
    expect(nextRecorded(spans, 3000)).toBe(5000);
    expect(nextRecorded(spans, 7000)).toBeNull();
  });
});

describe('device playback URLs', () => {
  it('ask the camera from the playing moment, at a speed only when not 1×, never an empty range', () => {
    const from = Date.parse('2026-12-07T10:00:00Z');
    expect(devicePlaybackUrl(7, from, from + 60_000)).toBe('/playback/7/device/index.m3u8?from=2026-12-07T10%3A00%3A00.000Z&to=2026-12-07T10%3A01%3A00.000Z');
    expect(devicePlaybackUrl(7, from, from - 5_000, 4)).toBe('/playback/7/device/index.m3u8?from=2026-12-07T10%3A00%3A00.000Z&to=2026-12-07T10%3A00%3A01.000Z&scale=4');
    expect(deviceTimelineUrl(7, from, from + 1000)).toBe('/api/recordings/7/device?from=2026-12-07T10%3A00%3A00.000Z&to=2026-12-07T10%3A00%3A01.000Z');
  });
});
