import { describe, expect, it } from 'vitest';
import {
  effectivePlan, emptyPlan, gridToPlan, localWeekMinute, nextPlanChange, pinsRelay, planActiveAt, planProblem, planToGrid, recordsAt,
  type RecordingPlan, type WeeklyPlan,
} from '../../server/domain/recording-plan';

// 2026-12-07 is a Monday. 08:00 China time is 00:00 UTC.
const cst = (iso: string) => Date.parse(`${iso}+08:00`);

const workdays: WeeklyPlan = {
  days: [
    [{ from: '08:00', to: '12:00' }, { from: '14:00', to: '18:00' }],
    [{ from: '08:00', to: '18:00' }], [], [], [],
    [{ from: '22:00', to: '24:00' }],
    [{ from: '00:00', to: '06:00' }],
  ],
};

const plan = (p: Partial<RecordingPlan>): RecordingPlan => ({ mode: 'continuous', stream: 'main', retentionDays: 7, schedule: null, preRollSec: 30, postRollSec: 30, ...p });

describe('recording plan', () => {
  it('reads the week in China time, Monday first, whatever the instant in UTC', () => {
    expect(localWeekMinute(cst('2026-12-07T08:00:00'))).toEqual({ day: 0, minute: 480 });
    // Sunday 23:30 in China is still Sunday, though it is Sunday 15:30 UTC.
    expect(localWeekMinute(cst('2026-12-13T23:30:00'))).toEqual({ day: 6, minute: 1410 });
    // Monday 07:00 China time is Sunday 23:00 UTC: Monday counts.
    expect(localWeekMinute(Date.parse('2026-12-06T23:00:00Z')).day).toBe(0);
  });

  it('is active inside [from, to) and not outside, including a night split at midnight', () => {
    expect(planActiveAt(workdays, cst('2026-12-07T07:59:59'))).toBe(false);
    expect(planActiveAt(workdays, cst('2026-12-07T08:00:00'))).toBe(true);
    expect(planActiveAt(workdays, cst('2026-12-07T11:59:59'))).toBe(true);
    expect(planActiveAt(workdays, cst('2026-12-07T12:00:00'))).toBe(false);
    expect(planActiveAt(workdays, cst('2026-12-08T17:00:00'))).toBe(true);
    expect(planActiveAt(workdays, cst('2026-12-09T09:00:00'))).toBe(false);
    expect(planActiveAt(workdays, cst('2026-12-12T23:59:00'))).toBe(true);
    expect(planActiveAt(workdays, cst('2026-12-13T05:59:00'))).toBe(true);
    expect(planActiveAt(workdays, cst('2026-12-13T06:00:00'))).toBe(false);
  });

  it('finds the next start or stop, across days and midnight', () => {
    expect(nextPlanChange(workdays, cst('2026-12-07T07:00:00'))).toBe(cst('2026-12-07T08:00:00'));
    expect(nextPlanChange(workdays, cst('2026-12-07T09:00:00'))).toBe(cst('2026-12-07T12:00:00'));
    expect(nextPlanChange(workdays, cst('2026-12-08T19:00:00'))).toBe(cst('2026-12-12T22:00:00'));
    // Saturday 22:00 → Sunday 06:00 is one range: midnight is no change.
    expect(nextPlanChange(workdays, cst('2026-12-12T23:00:00'))).toBe(cst('2026-12-13T06:00:00'));
    expect(nextPlanChange(emptyPlan(), cst('2026-12-07T07:00:00'))).toBeNull();
    const always = { days: Array.from({ length: 7 }, () => [{ from: '00:00', to: '24:00' }]) };
    expect(nextPlanChange(always, cst('2026-12-07T07:00:00'))).toBeNull();
  });

  it('names the field of the first problem', () => {
    expect(planProblem(workdays)).toBeNull();
    expect(planProblem({ days: [[], []] })).toMatchObject({ field: 'schedule.days' });
    const bad = (day: { from: string; to: string }[]) => ({ days: [[], [], day, [], [], [], []] });
    expect(planProblem(bad([{ from: '8:00', to: '09:00' }]))).toMatchObject({ field: 'schedule.days[2][0].from' });
    expect(planProblem(bad([{ from: '24:00', to: '24:00' }]))).toMatchObject({ field: 'schedule.days[2][0].from' });
    expect(planProblem(bad([{ from: '10:00', to: '09:00' }]))).toMatchObject({ field: 'schedule.days[2][0].to' });
    expect(planProblem(bad([{ from: '10:00', to: '12:00' }, { from: '11:00', to: '13:00' }]))).toMatchObject({ field: 'schedule.days[2][1].from' });
    expect(planProblem(bad([{ from: '11:00', to: '13:00' }, { from: '10:00', to: '12:00' }]))).toMatchObject({ field: 'schedule.days[2][0].from' });
  });

  it('round-trips the editor grid with adjacent hours merged', () => {
    const grid = planToGrid(workdays);
    expect(grid[0]!.filter(Boolean)).toHaveLength(8);
    expect(grid[0]![12]).toBe(false);
    expect(gridToPlan(grid)).toEqual(workdays);
  });

  it('takes the camera setting over the unit, the unit over the network, else off', () => {
    const off = plan({ mode: 'off' });
    const own = plan({ mode: 'event' });
    const unit = { ...plan({ mode: 'schedule', schedule: workdays }), unitId: 4 };
    const net = plan({ mode: 'continuous' });
    expect(effectivePlan(own, [unit], net, off)).toMatchObject({ source: 'camera', plan: { mode: 'event' } });
    expect(effectivePlan(undefined, [unit], net, off)).toMatchObject({ source: 'unit', unitId: 4, plan: { mode: 'schedule' } });
    expect(effectivePlan(undefined, [], net, off)).toMatchObject({ source: 'network', plan: { mode: 'continuous' } });
    expect(effectivePlan(undefined, [], undefined, off)).toMatchObject({ source: 'none', plan: { mode: 'off' } });
  });

  it('pins and records by mode, schedule and a running post-roll', () => {
    const sched = plan({ mode: 'schedule', schedule: workdays });
    const at8 = cst('2026-12-07T08:30:00');
    const at13 = cst('2026-12-07T13:00:00');
    expect(pinsRelay(sched, at8)).toBe(true);
    expect(pinsRelay(sched, at13)).toBe(false);
    expect(recordsAt(sched, at13, null)).toBe(false);
    expect(recordsAt(sched, at13, at13 + 1000)).toBe(true);
    expect(pinsRelay(plan({ mode: 'event' }), at13)).toBe(true);
    expect(recordsAt(plan({ mode: 'event' }), at13, null)).toBe(false);
    expect(recordsAt(plan({ mode: 'off' }), at13, at13 - 1)).toBe(false);
  });
});
