import { describe, expect, it } from 'vitest';
import { barPercent, csvUrl, dayOf, defaultRange, formatPercent, formatRate, rangeQuery } from './stats-logic';

describe('stats helpers', () => {
  it('defaults to the last 30 days including today', () => {
    expect(defaultRange(new Date(2026, 2, 31, 15, 0))).toEqual({ fromDay: '2026-03-02', toDay: '2026-03-31' });
  });

  it('turns an inclusive day range into the half-open API range in local time', () => {
    const q = rangeQuery({ fromDay: '2026-03-01', toDay: '2026-03-31' })!;
    expect(q.from).toBe(new Date(2026, 2, 1).toISOString());
    expect(q.to).toBe(new Date(2026, 3, 1).toISOString());
    expect(rangeQuery({ fromDay: '2026-03-02', toDay: '2026-03-01' })).toBeNull();
    expect(rangeQuery({ fromDay: '', toDay: '2026-03-01' })).toBeNull();
    expect(dayOf(new Date(2026, 0, 5))).toBe('2026-01-05');
  });

  it('sizes bars against the largest value', () => {
    expect(barPercent(5, 10)).toBe(50);
    expect(barPercent(1, 3)).toBe(33.3);
    expect(barPercent(0, 0)).toBe(0);
    expect(barPercent(3, 0)).toBe(0);
  });

  it('formats closure rates', () => {
    expect(formatRate(0.8333)).toBe('83.3%');
    expect(formatRate(1)).toBe('100.0%');
    expect(formatRate(null)).toBe('—');
  });

  it('builds CSV links with the same filters', () => {
    expect(csvUrl('category', { from: 'a', to: 'b' }, 7)).toBe('/api/stats/export.csv?groupBy=category&from=a&to=b&orgUnitId=7');
    expect(csvUrl('unit', null)).toBe('/api/stats/export.csv?groupBy=unit');
  });
});

describe('formatPercent (the exact closure rate)', () => {
  it('shows the server’s figure as it is, with a percent sign; a dash without one', () => {
    expect(formatPercent('99.98')).toBe('99.98%');
    expect(formatPercent('100.00')).toBe('100.00%');
    expect(formatPercent(null)).toBe('—');
    expect(formatPercent(undefined)).toBe('—');
  });
});
