import { describe, expect, it } from 'vitest';
import {
  canMark, dueTimes, isPatrolOverdue, missingMarks, nextPatrolState, onTime, PATROL_TRANSITIONS, type PatrolRunAction, type PatrolRunState,
  WEEKDAYS,
} from '../../server/domain/patrol-rules';

const STATES: PatrolRunState[] = ['due', 'running', 'paused', 'completed'];

describe('patrol run transitions', () => {
  it.each<[PatrolRunState, PatrolRunAction, PatrolRunState | undefined]>([
    ['due', 'start', 'running'], ['running', 'start', undefined], ['completed', 'start', undefined],
    ['running', 'pause', 'paused'], ['due', 'pause', undefined], ['paused', 'pause', undefined],
    ['paused', 'resume', 'running'], ['running', 'resume', undefined],
    ['running', 'handover', 'paused'], ['paused', 'handover', 'paused'], ['due', 'handover', undefined], ['completed', 'handover', undefined],
    ['running', 'complete', 'completed'], ['paused', 'complete', undefined], ['due', 'complete', undefined],
  ])('%s --%s--> %s', (from, action, to) => {
    expect(nextPatrolState(from, action)).toBe(to);
  });

  it('a completed run accepts no action', () => {
    for (const action of Object.keys(PATROL_TRANSITIONS) as PatrolRunAction[]) expect(nextPatrolState('completed', action)).toBeUndefined();
  });

  it('marks only while running', () => {
    expect(STATES.filter(canMark)).toEqual(['running']);
  });

  it('lists the cameras still without a mark, in patrol order', () => {
    expect(missingMarks([5, 3, 9, 1], new Set([3, 1]))).toEqual([5, 9]);
    expect(missingMarks([5], new Set([5]))).toEqual([]);
  });

  it('is overdue only while open and past its deadline; on time when completed by it', () => {
    const now = new Date('2026-12-07T10:00:00Z');
    expect(isPatrolOverdue('due', '2026-12-07T09:59:59Z', now)).toBe(true);
    expect(isPatrolOverdue('paused', '2026-12-07T09:59:59Z', now)).toBe(true);
    expect(isPatrolOverdue('running', '2026-12-07T10:00:01Z', now)).toBe(false);
    expect(isPatrolOverdue('completed', '2026-12-07T09:00:00Z', now)).toBe(false);
    expect(onTime('2026-12-07T09:00:00Z', '2026-12-07T09:00:00Z')).toBe(true);
    expect(onTime('2026-12-07T09:00:01Z', '2026-12-07T09:00:00Z')).toBe(false);
    expect(onTime(null, '2026-12-07T09:00:00Z')).toBe(false);
  });
});

describe('dueTimes (shifts in Beijing time)', () => {
  const iso = (ds: Date[]) => ds.map((d) => d.toISOString());

  it('turns shifts into UTC instants at +08:00, from exclusive, to inclusive', () => {
    // 2026-12-07 is a Monday. 09:00 and 15:00 Beijing = 01:00 and 07:00 UTC.
    const from = new Date('2026-12-07T01:00:00Z');
    const to = new Date('2026-12-08T01:00:00Z');
    expect(iso(dueTimes({ shifts: ['15:00', '09:00'], weekdays: 127 }, from, to))).toEqual([
      '2026-12-07T07:00:00.000Z', '2026-12-08T01:00:00.000Z',
    ]);
  });

  it('finds a shift just after Beijing midnight that is still the previous UTC day', () => {
    // 00:30 Beijing on Tuesday 8 Dec = 16:30 UTC on Monday 7 Dec.
    const got = dueTimes({ shifts: ['00:30'], weekdays: 127 }, new Date('2026-12-07T12:00:00Z'), new Date('2026-12-07T20:00:00Z'));
    expect(iso(got)).toEqual(['2026-12-07T16:30:00.000Z']);
  });

  it('skips days outside the weekday mask (Beijing weekday, not UTC)', () => {
    // Fri 11 Dec … Mon 14 Dec: weekdays only gives Friday and Monday at 09:00 Beijing.
    const got = dueTimes({ shifts: ['09:00'], weekdays: WEEKDAYS }, new Date('2026-12-10T17:00:00Z'), new Date('2026-12-14T17:00:00Z'));
    expect(iso(got)).toEqual(['2026-12-11T01:00:00.000Z', '2026-12-14T01:00:00.000Z']);
    // Sunday only (bit 64): 08:00 Beijing Sunday 13 Dec = Sat 12 Dec 00:00 UTC.
    expect(iso(dueTimes({ shifts: ['08:00'], weekdays: 64 }, new Date('2026-12-10T00:00:00Z'), new Date('2026-12-14T00:00:00Z'))))
      .toEqual(['2026-12-13T00:00:00.000Z']);
  });

  it('adjoining windows never repeat or lose a run', () => {
    const schedule = { shifts: ['09:00', '15:00', '21:00'], weekdays: 127 };
    const start = new Date('2026-12-01T00:00:00Z').getTime();
    const step = 37 * 60_000;
    const pieces: string[] = [];
    for (let t = start; t < start + 3 * 86_400_000; t += step) pieces.push(...iso(dueTimes(schedule, new Date(t), new Date(t + step))));
    const whole = iso(dueTimes(schedule, new Date(start), new Date(start + Math.ceil(3 * 86_400_000 / step) * step)));
    expect(pieces).toEqual(whole);
    expect(whole).toHaveLength(9);
  });

  it('yields nothing without shifts, weekdays or time', () => {
    const a = new Date('2026-12-07T00:00:00Z');
    const b = new Date('2026-12-09T00:00:00Z');
    expect(dueTimes({ shifts: [], weekdays: 127 }, a, b)).toEqual([]);
    expect(dueTimes({ shifts: ['09:00'], weekdays: 0 }, a, b)).toEqual([]);
    expect(dueTimes({ shifts: ['09:00'], weekdays: 127 }, b, a)).toEqual([]);
  });
});
