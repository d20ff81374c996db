import { describe, expect, it } from 'vitest';
import { canMarkNormal, hasWeekday, nextUnmarked, parseShifts, startPlayedClock, tickPlayed, toggleWeekday } from './patrol-logic';

describe('played seconds (proof of viewing)', () => {
  const run = (samples: Array<[number, boolean?]>) => samples.reduce((c, [t, paused]) => tickPlayed(c, t, paused ?? false), startPlayedClock()).played;

  it('counts forward steps of the player clock', () => {
    expect(run([[10], [10.25], [10.5], [11.5]])).toBeCloseTo(1.5);
  });
  it('counts nothing while paused, and nothing before the first sample', () => {
    expect(run([[3], [4, true], [9, true], [9.5]])).toBeCloseTo(0.5);
  });
  it('restarts after a step back (a reload) and caps a jump (a seek to the live edge)', () => {
    expect(run([[50], [50.5], [2], [2.5]])).toBeCloseTo(1);
    expect(run([[10], [40]])).toBeCloseTo(1);
  });
  it('ignores a clock that is not a number yet', () => {
    expect(run([[Number.NaN], [1], [1.25]])).toBeCloseTo(0.25);
  });
});

describe('patrol order and marks', () => {
  it('finds the first camera without a mark', () => {
    expect(nextUnmarked([7, 3, 9], new Set([7]))).toBe(1);
    expect(nextUnmarked([7, 3, 9], new Set([7, 3, 9]))).toBe(-1);
  });
  it('lets 正常 through only after the dwell was played', () => {
    expect(canMarkNormal(19.9, 20)).toBe(false);
    expect(canMarkNormal(20, 20)).toBe(true);
  });
});

describe('plan form', () => {
  it('toggles weekday bits, Monday first', () => {
    expect(toggleWeekday(127, 6)).toBe(63);
    expect(hasWeekday(31, 4)).toBe(true);
    expect(hasWeekday(31, 5)).toBe(false);
  });
  it('parses shifts typed by hand, naming the bad ones', () => {
    expect(parseShifts('15:00, 9:00，21:00 09:00')).toEqual({ shifts: ['09:00', '15:00', '21:00'], invalid: [] });
    expect(parseShifts('24:00 8:5 08:30')).toEqual({ shifts: ['08:30'], invalid: ['24:00', '8:5'] });
  });
});
