// Verified closure (复核 / 复查) as data and pure functions, shared by the server (dispatch service, statistics) and
// the web (which buttons and badges to show). Nothing here reads a clock: callers pass `now`.
//
// - 复核: 办结 is the dispatching level's verification of the feedback, made with the tag frame and the frame the
//   server grabbed at 反馈 side by side (the frames are evidence; the close/reject actions are the workflow's).
// - 复查: a category may ask for a re-check N days after 办结 (taxonomy `recheckDays`). Until then the danger is
//   closed but not closed for good; the unit that closed it looks again and passes it (closed for good) or fails
//   it (reopened: the danger can be dispatched again, its tasks and history stay).
// - Statistics count only verified closures, and give the closure rate as an exact figure.
import type { DangerStatus } from '../contracts/dispatch';

export type RecheckStatus = 'pending' | 'passed' | 'failed';
export type RecheckVerdict = 'pass' | 'fail';
export const RECHECK_VERDICTS: readonly RecheckVerdict[] = ['pass', 'fail'];

/** The longest re-check period a taxonomy may ask for. */
export const MAX_RECHECK_DAYS = 365;

/** verdict → (re-check state it may be given in → state it leads to). Only a pending re-check is decided. */
export const RECHECK_TRANSITIONS: Record<RecheckVerdict, Partial<Record<RecheckStatus, RecheckStatus>>> = {
  pass: { pending: 'passed' },
  fail: { pending: 'failed' },
};

export function recheckTransition(status: RecheckStatus | null, verdict: RecheckVerdict): RecheckStatus | undefined {
  return status ? RECHECK_TRANSITIONS[verdict][status] : undefined;
}

/** The danger state a failed re-check leaves: one the dispatching side may dispatch from again (DISPATCHABLE). */
export const REOPENED_STATUS: DangerStatus = 'returned';

/** When the re-check of a danger closed at `closedAt` is due, or null when its category asks for none. */
export function recheckDueAt(days: number | null | undefined, closedAt: Date): string | null {
  if (!days || days <= 0) return null;
  return new Date(closedAt.getTime() + days * 86_400_000).toISOString();
}

export interface RecheckFacts {
  status: DangerStatus;
  recheckStatus: RecheckStatus | null;
  recheckDueAt: string | null;
  recheckUnitId: number | null;
}

/** none: no re-check; waiting: pending, not yet due; due: pending and due; passed / failed: decided. */
export type RecheckStage = 'none' | 'waiting' | 'due' | 'passed' | 'failed';

export function recheckStage(d: Pick<RecheckFacts, 'recheckStatus' | 'recheckDueAt'>, now: number): RecheckStage {
  if (!d.recheckStatus) return 'none';
  if (d.recheckStatus !== 'pending') return d.recheckStatus;
  return d.recheckDueAt !== null && Date.parse(d.recheckDueAt) <= now ? 'due' : 'waiting';
}

/** Whether unit `unitId` may give a re-check verdict now: the danger's re-check is its own, pending and due. */
export function canRecheck(d: RecheckFacts, unitId: number, now: number): boolean {
  return d.status === 'closed' && d.recheckUnitId === unitId && recheckStage(d, now) === 'due';
}

/** 办结 counts as a closure only when verified: closed by the dispatching level and, where the category asks for a
 * re-check, re-checked and passed (a failed re-check has reopened the danger, so its status is no longer closed). */
export function isVerifiedClosure(d: Pick<RecheckFacts, 'status' | 'recheckStatus'>): boolean {
  return d.status === 'closed' && d.recheckStatus !== 'pending';
}

/**
 * 办结率 as the exact percentage with two decimals ("99.98"), truncated, never rounded: 4,999 of 5,000 is 99.98,
 * and 19,999 of 20,000 is 99.99, not 100.00 — a figure of 100 % claims that nothing is open. Null when nothing was
 * dispatched. Integer arithmetic: the quotient of two integers is never an ulp short of the integer below it.
 */
export function closureRatePercent(closed: number, dispatched: number): string | null {
  if (dispatched <= 0) return null;
  const hundredths = Math.floor((closed * 10_000) / dispatched);
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

/** What a resident is told about their own report: received until the danger is closed for good, then handled. */
export type ResidentReportStatus = 'received' | 'handled';

export function residentReportStatus(d: Pick<RecheckFacts, 'status' | 'recheckStatus'>): ResidentReportStatus {
  return isVerifiedClosure(d) ? 'handled' : 'received';
}
