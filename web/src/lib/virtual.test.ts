import { describe, expect, it } from 'vitest';
import { visibleRange } from './virtual';

describe('visibleRange', () => {
  it('renders the viewport plus overscan', () => {
    expect(visibleRange(0, 280, 28, 1000, 5)).toEqual({ start: 0, end: 16 });
    expect(visibleRange(2800, 280, 28, 1000, 5)).toEqual({ start: 95, end: 116 });
  });

  it('clamps at the end and on empty lists', () => {
    expect(visibleRange(1e9, 280, 28, 100, 5)).toEqual({ start: 94, end: 100 });
    expect(visibleRange(0, 280, 28, 0)).toEqual({ start: 0, end: 0 });
    expect(visibleRange(-50, 280, 28, 3)).toEqual({ start: 0, end: 3 });
  });

  it('stays small for a huge list', () => {
    const r = visibleRange(28 * 50_000, 900, 28, 100_000);
    expect(r.end - r.start).toBeLessThan(60);
  });
});
