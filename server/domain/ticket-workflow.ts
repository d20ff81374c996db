// Maintenance tickets (运维工单) as data: which action leads from which ticket state to which, who takes it, which
// states are open. A ticket opens 派单 (dispatched) to the unit maintaining the camera's network; the unit starts
// the repair (维修中); it ends 已恢复 when a health check sees the camera online again — automatically for an
// outage, or when the unit reports it fixed and the check done at that moment agrees (a picture fault cannot be
// seen by a health check, so there the report is the proof). A ticket opened in error, or for a camera taken out
// of service, is closed (关闭) with a note by the centre. The server enforces these (server/maintenance/service.ts
// answers 409) and the web offers only the buttons that can succeed. Pure: see server/domain/task-workflow.ts.
import type { TicketAction, TicketState } from '../contracts/maintenance';

export const TICKET_STATE_LABELS: Record<TicketState, string> = {
  dispatched: '已派单', repairing: '维修中', recovered: '已恢复', closed: '已关闭',
};

/** States in which the ticket is still the maintenance unit's job (one per camera at most). */
export const OPEN_TICKET_STATES: readonly TicketState[] = ['dispatched', 'repairing'];

export function isTicketOpen(state: TicketState): boolean {
  return OPEN_TICKET_STATES.includes(state);
}

/**
 * action → (state it may be taken from → state it leads to).
 * - start: the unit has someone on it.
 * - recover: the camera works again; `online` (a health check saw it) is the system's, `fixed` the unit's report.
 * - close: the centre ends a ticket that needs no repair.
 */
export const TICKET_TRANSITIONS: Record<TicketAction, Partial<Record<TicketState, TicketState>>> = {
  start: { dispatched: 'repairing' },
  online: { dispatched: 'recovered', repairing: 'recovered' },
  fixed: { dispatched: 'recovered', repairing: 'recovered' },
  close: { dispatched: 'closed', repairing: 'closed' },
};

export function ticketTransition(state: TicketState, action: TicketAction): TicketState | undefined {
  return TICKET_TRANSITIONS[action][state];
}

/** Who takes an action: the system (health checks), the maintaining side (start, report fixed), the centre (close). */
export const TICKET_ACTION_BY: Record<TicketAction, 'system' | 'maintainer' | 'centre'> = {
  start: 'maintainer',
  online: 'system',
  fixed: 'maintainer',
  close: 'centre',
};

/**
 * Whether a health check's outcome ends an open ticket by itself: only an outage ticket — a camera reported for
 * its picture (blurred, blocked) was online all along, so "online" proves nothing about it.
 */
export function recoversByHealthCheck(origin: 'offline' | 'picture'): boolean {
  return origin === 'offline';
}

/**
 * Whether "fixed" may be accepted given what a check done just now says: an outage ticket needs the camera to
 * answer; a picture ticket takes the unit's word (a person looks at it on the wall).
 */
export function fixedAccepted(origin: 'offline' | 'picture', cameraOnline: boolean): boolean {
  return origin === 'picture' || cameraOnline;
}

/** Whole minutes a camera has been offline → whether it is due a ticket (threshold in minutes, > 0). */
export function offlineLongEnough(offlineSince: string, now: Date, thresholdMinutes: number): boolean {
  return now.getTime() - Date.parse(offlineSince) >= thresholdMinutes * 60_000;
}
