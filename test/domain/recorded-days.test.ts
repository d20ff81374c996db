import { describe, expect, it } from 'vitest';
import { localMidnight, recordedDays } from '../../server/domain/recorded-days';

const BEIJING = 480;
const at = (iso: string) => Date.parse(iso);

describe('recorded days for the day picker', () => {
  it('cuts intervals at local midnight, not UTC midnight', () => {
    // 23:00–01:00 Beijing time on the night of 6 → 7 December.
    const days = recordedDays([{ startMs: at('2026-12-06T15:00:00Z'), endMs: at('2026-12-06T17:00:00Z') }], '2026-12-01', '2026-12-31', BEIJING);
    expect(days).toEqual([{ day: '2026-12-06', seconds: 3600 }, { day: '2026-12-07', seconds: 3600 }]);
    expect(localMidnight('2026-12-07', BEIJING)).toBe(at('2026-12-06T16:00:00Z'));
  });

  it('counts overlapping ring and recording once, and leaves out days outside the range', () => {
    const days = recordedDays([
      { startMs: at('2026-12-07T02:00:00Z'), endMs: at('2026-12-07T02:10:00Z') },
      { startMs: at('2026-12-07T02:05:00Z'), endMs: at('2026-12-07T02:15:00Z') },
      { startMs: at('2026-11-20T02:00:00Z'), endMs: at('2026-11-20T03:00:00Z') },
    ], '2026-12-01', '2026-12-31', BEIJING);
    expect(days).toEqual([{ day: '2026-12-07', seconds: 900 }]);
  });

  it('spans several whole days', () => {
    const days = recordedDays([{ startMs: localMidnight('2026-12-01', 0), endMs: localMidnight('2026-12-04', 0) }], '2026-12-01', '2026-12-02', 0);
    expect(days).toEqual([{ day: '2026-12-01', seconds: 86_400 }, { day: '2026-12-02', seconds: 86_400 }]);
  });
});
