import { afterEach, describe, expect, it, vi } from 'vitest';
import { atLeast, atMost, equals, printReport, statedAt } from './report';

describe('goals', () => {
  it('judges a limit inclusively', () => {
    expect(atMost(0.8, 0.8)).toEqual({ goal: '<= 0.8', value: 0.8, met: true });
    expect(atMost(0.81, 0.8)).toEqual({ goal: '<= 0.8', value: 0.81, met: false });
    expect(atLeast(100, 100)).toEqual({ goal: '>= 100', value: 100, met: true });
    expect(atLeast(99, 100)).toEqual({ goal: '>= 100', value: 99, met: false });
  });

  it('compares exact values of any kind', () => {
    expect(equals(0, 0)).toEqual({ goal: '= 0', value: 0, met: true });
    expect(equals(507, 503)).toEqual({ goal: '= 503', value: 507, met: false });
    expect(equals(false, false)).toEqual({ goal: '= false', value: false, met: true });
  });

  it('leaves a goal unjudged when nothing was measured', () => {
    for (const value of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(atMost(value, 50)).toEqual({ goal: '<= 50', value: null, met: null });
    }
    expect(equals(undefined, 0)).toEqual({ goal: '= 0', value: null, met: null });
  });

  it('names the size a goal is stated for, and judges only a run of that size', () => {
    const goals = { p99Ms: atMost(35, 200), lost: equals(0, 0) };
    expect(statedAt(goals, '2000 viewers', true)).toEqual({
      p99Ms: { goal: '<= 200 at 2000 viewers', value: 35, met: true },
      lost: { goal: '= 0 at 2000 viewers', value: 0, met: true },
    });
    expect(statedAt(goals, '2000 viewers', false).p99Ms).toEqual({ goal: '<= 200 at 2000 viewers', value: 35, met: null });
  });
});

describe('printReport', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('prints one JSON object with the bench, its goals first, then the figures; never a second one', () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    printReport('demo', { p50Ms: atMost(10, 20) }, { runs: 3 });
    expect(() => printReport('demo', {}, {})).toThrow(/already printed/);
    expect(written).toHaveLength(1);
    const report = JSON.parse(written[0]!) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(['bench', 'goals', 'runs']);
    expect(report.goals).toEqual({ p50Ms: { goal: '<= 20', value: 10, met: true } });
  });
});
