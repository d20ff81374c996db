import { describe, expect, it } from 'vitest';
import { percentile, summary } from './percentile';

describe('percentile (nearest rank)', () => {
  it('takes the value at index ceil(p/100 · n) − 1 of the sorted values', () => {
    // The textbook example: 15, 20, 35, 40, 50.
    const xs = [40, 15, 50, 35, 20];
    expect(percentile(xs, 5)).toBe(15);
    expect(percentile(xs, 30)).toBe(20);
    expect(percentile(xs, 40)).toBe(20);
    expect(percentile(xs, 50)).toBe(35);
    expect(percentile(xs, 100)).toBe(50);
  });

  it('is the lower of the two middle values for an even count (not one rank higher)', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
  });

  it('clamps to the list: p0 is the minimum, p100 the maximum, one value is every percentile', () => {
    expect(percentile([3, 1, 2], 0)).toBe(1);
    expect(percentile([3, 1, 2], 100)).toBe(3);
    expect(percentile([7], 1)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
  });

  it('sorts numbers as numbers and leaves the input alone', () => {
    const xs = [10, 9, 100, 2];
    expect(percentile(xs, 75)).toBe(10);
    expect(xs).toEqual([10, 9, 100, 2]);
  });

  it('is NaN for no values and refuses a p outside 0–100', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('summary', () => {
  it('gives n, the percentiles asked for and the maximum, rounded when asked', () => {
    const xs = Array.from({ length: 10 }, (_, i) => (i + 1) * 1.234);
    expect(summary(xs, [50, 90], 1)).toEqual({ n: 10, p50: 6.2, p90: 11.1, max: 12.3 });
    expect(summary(xs)).toEqual({ n: 10, p50: xs[4], p95: xs[9], p99: xs[9], max: xs[9] });
  });

  it('is null for no values', () => {
    expect(summary([])).toBeNull();
  });
});
