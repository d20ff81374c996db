// Table tests for the verified-closure rules the server and the web share (server/domain/closure-rules.ts).
import { describe, expect, it } from 'vitest';
import type { DangerStatus } from '../../server/contracts/dispatch';
import {
  canRecheck, closureRatePercent, isVerifiedClosure, RECHECK_TRANSITIONS, recheckDueAt, recheckStage, recheckTransition,
  REOPENED_STATUS, residentReportStatus, type RecheckStatus,
} from '../../server/domain/closure-rules';
import { isDispatchable } from '../../server/domain/task-workflow';
import { residentReportLimit, RESIDENT_REPORTS_PER_DEVICE_PER_HOUR, RESIDENT_REPORTS_PER_LINK_PER_HOUR } from '../../server/domain/share-policy';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const PAST = '2026-12-07T11:59:59.000Z';
const FUTURE = '2026-12-07T12:00:01.000Z';

describe('re-check transitions', () => {
  // Written out by hand: only a pending re-check takes a verdict.
  const TABLE: Array<[RecheckStatus | null, 'pass' | 'fail', RecheckStatus | undefined]> = [
    ['pending', 'pass', 'passed'], ['pending', 'fail', 'failed'],
    ['passed', 'pass', undefined], ['passed', 'fail', undefined],
    ['failed', 'pass', undefined], ['failed', 'fail', undefined],
    [null, 'pass', undefined], [null, 'fail', undefined],
  ];
  for (const [from, verdict, to] of TABLE) {
    it(`${verdict} from ${from ?? 'none'} → ${to ?? 'refused'}`, () => expect(recheckTransition(from, verdict)).toBe(to));
  }
  it('the table has no other entries', () => {
    expect(RECHECK_TRANSITIONS).toEqual({ pass: { pending: 'passed' }, fail: { pending: 'failed' } });
  });
  it('a failed re-check leaves the danger where the dispatching side may dispatch it again', () => {
    expect(isDispatchable(REOPENED_STATUS)).toBe(true);
  });
});

describe('re-check schedule and stage', () => {
  it('is due N days after 办结, or never without a period', () => {
    expect(recheckDueAt(3, new Date('2026-12-01T08:00:00Z'))).toBe('2026-12-04T08:00:00.000Z');
    expect(recheckDueAt(null, new Date())).toBeNull();
    expect(recheckDueAt(undefined, new Date())).toBeNull();
    expect(recheckDueAt(0, new Date())).toBeNull();
  });
  const TABLE: Array<[RecheckStatus | null, string | null, ReturnType<typeof recheckStage>]> = [
    [null, null, 'none'], ['pending', FUTURE, 'waiting'], ['pending', PAST, 'due'], ['pending', new Date(NOW).toISOString(), 'due'],
    ['passed', PAST, 'passed'], ['failed', PAST, 'failed'],
  ];
  for (const [status, due, stage] of TABLE) {
    it(`${status ?? 'none'} due ${due ?? '—'} → ${stage}`, () => expect(recheckStage({ recheckStatus: status, recheckDueAt: due }, NOW)).toBe(stage));
  }
  const facts = (extra: Partial<Parameters<typeof canRecheck>[0]> = {}) => ({
    status: 'closed' as DangerStatus, recheckStatus: 'pending' as RecheckStatus, recheckDueAt: PAST, recheckUnitId: 1, ...extra,
  });
  it('only the re-checking unit, only once due, only while closed and pending', () => {
    expect(canRecheck(facts(), 1, NOW)).toBe(true);
    expect(canRecheck(facts(), 2, NOW)).toBe(false);
    expect(canRecheck(facts({ recheckDueAt: FUTURE }), 1, NOW)).toBe(false);
    expect(canRecheck(facts({ recheckStatus: 'passed' }), 1, NOW)).toBe(false);
    expect(canRecheck(facts({ status: 'returned', recheckStatus: 'failed' }), 1, NOW)).toBe(false);
  });
});

describe('verified closures', () => {
  const TABLE: Array<[DangerStatus, RecheckStatus | null, boolean]> = [
    ['closed', null, true], ['closed', 'passed', true], ['closed', 'pending', false], ['returned', 'failed', false],
    ['resolved', null, false], ['dispatched', 'failed', false], ['reported', null, false],
  ];
  for (const [status, recheck, verified] of TABLE) {
    it(`${status} / re-check ${recheck ?? 'none'} → ${verified ? 'counts' : 'does not count'}; resident sees ${verified ? 'handled' : 'received'}`, () => {
      expect(isVerifiedClosure({ status, recheckStatus: recheck })).toBe(verified);
      expect(residentReportStatus({ status, recheckStatus: recheck })).toBe(verified ? 'handled' : 'received');
    });
  }
});

describe('exact closure rate', () => {
  const TABLE: Array<[number, number, string | null]> = [
    [0, 0, null], [0, 5, '0.00'], [1, 3, '33.33'], [2, 3, '66.66'], [1, 1, '100.00'], [1723, 1723, '100.00'],
    [4999, 5000, '99.98'], [19_999, 20_000, '99.99'], [199_999, 200_000, '99.99'], [1722, 1723, '99.94'], [9998, 10_000, '99.98'],
  ];
  for (const [closed, dispatched, percent] of TABLE) {
    it(`${closed} / ${dispatched} → ${percent}`, () => expect(closureRatePercent(closed, dispatched)).toBe(percent));
  }
  it('is never 100.00 while anything is open, up to a million dispatched', () => {
    for (let n = 1; n <= 1_000_000; n += 997) expect(closureRatePercent(n - 1, n)).not.toBe('100.00');
  });
});

describe('resident report limits', () => {
  it('stops a device first, then the whole link', () => {
    expect(residentReportLimit(0, 0)).toBeNull();
    expect(residentReportLimit(RESIDENT_REPORTS_PER_DEVICE_PER_HOUR - 1, RESIDENT_REPORTS_PER_LINK_PER_HOUR - 1)).toBeNull();
    expect(residentReportLimit(RESIDENT_REPORTS_PER_DEVICE_PER_HOUR, 0)).toBe('device');
    expect(residentReportLimit(0, RESIDENT_REPORTS_PER_LINK_PER_HOUR)).toBe('link');
  });
});
