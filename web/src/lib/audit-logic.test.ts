import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../../../server/audit/actions';
import { en } from '../i18n/en';
import { zh } from '../i18n/zh';
import {
  actionKey, auditCsvUrl, chinaTime, currentCursor, detailSummary, EMPTY_FORM, firstPage, formQuery, fromChinaInput, KNOWN_ACTIONS,
  newerPage, olderPage,
} from './audit-logic';

describe('audit view helpers', () => {
  it('shows and reads times in China time whatever the browser zone', () => {
    expect(chinaTime('2026-11-23T15:05:09.123Z')).toBe('2026-11-23 23:05:09');
    expect(chinaTime('2026-12-31T16:00:00.000Z')).toBe('2027-01-01 00:00:00');
    expect(fromChinaInput('2027-01-01T00:00')).toBe('2026-12-31T16:00:00.000Z');
    expect(fromChinaInput('')).toBeNull();
    expect(fromChinaInput('2027-01-01')).toBeNull();
  });

  it('turns the form into the API query, dropping empty fields, and refuses a backwards range', () => {
    expect(formQuery(EMPTY_FORM)).toEqual({ query: {} });
    expect(formQuery({ ...EMPTY_FORM, actor: ' county ', action: 'dispatch.', orgUnitId: '7', from: '2026-11-23T08:00' })).toEqual({
      query: { actor: 'county', action: 'dispatch.', orgUnitId: 7, from: '2026-11-23T00:00:00.000Z' },
    });
    expect(formQuery({ ...EMPTY_FORM, from: '2026-11-23T08:00', to: '2026-11-23T08:00' })).toEqual({ problem: 'audit.badRange' });
    expect(auditCsvUrl({ action: 'share.', orgUnitId: 3 })).toBe('/api/audit/export.csv?action=share.&orgUnitId=3');
  });

  it('has words in both languages for every action the server writes, the same Chinese as its CSV', () => {
    expect(new Set(KNOWN_ACTIONS)).toEqual(new Set(Object.keys(AUDIT_ACTIONS)));
    for (const [action, [zhLabel]] of Object.entries(AUDIT_ACTIONS)) {
      const key = actionKey(action)!;
      expect(zh[key]).toBe(zhLabel);
      expect(en[key]).toBeTruthy();
    }
    expect(actionKey('plugin.something-new')).toBeUndefined();
  });

  it('summarises a detail on one line', () => {
    expect(detailSummary(null)).toBe('');
    expect(detailSummary({ fields: ['name', 'address'], movedTo: 5 })).toBe('fields: name, address · movedTo: 5');
    expect(detailSummary({ filters: { action: 'share.' } })).toBe('filters: {"action":"share."}');
    const long = detailSummary({ note: 'x'.repeat(500) });
    expect(long).toHaveLength(140);
    expect(long.endsWith('…')).toBe(true);
  });

  it('pages older and back to newer with a cursor stack', () => {
    let stack = firstPage();
    expect(currentCursor(stack)).toBeUndefined();
    stack = olderPage(stack, 120);
    stack = olderPage(stack, 70);
    expect(currentCursor(stack)).toBe(70);
    stack = newerPage(stack);
    expect(currentCursor(stack)).toBe(120);
    expect(newerPage(newerPage(stack))).toEqual([undefined]);
  });
});
