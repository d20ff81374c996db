// The maintenance-ticket tables (运维工单), shared by the server (server/maintenance/service.ts) and the web.
import { describe, expect, it } from 'vitest';
import type { TicketAction, TicketState } from '../../server/contracts/maintenance';
import {
  fixedAccepted, isTicketOpen, offlineLongEnough, OPEN_TICKET_STATES, recoversByHealthCheck, TICKET_ACTION_BY, TICKET_STATE_LABELS,
  ticketTransition, TICKET_TRANSITIONS,
} from '../../server/domain/ticket-workflow';

const STATES: TicketState[] = ['dispatched', 'repairing', 'recovered', 'closed'];
const ACTIONS: TicketAction[] = ['start', 'online', 'fixed', 'close'];

/** Every (state, action) pair and where it leads, written out by hand: a change to the table must change this. */
const TABLE: Array<[TicketState, TicketAction, TicketState | undefined]> = [
  ['dispatched', 'start', 'repairing'],
  ['dispatched', 'online', 'recovered'],
  ['dispatched', 'fixed', 'recovered'],
  ['dispatched', 'close', 'closed'],
  ['repairing', 'start', undefined],
  ['repairing', 'online', 'recovered'],
  ['repairing', 'fixed', 'recovered'],
  ['repairing', 'close', 'closed'],
  ['recovered', 'start', undefined],
  ['recovered', 'online', undefined],
  ['recovered', 'fixed', undefined],
  ['recovered', 'close', undefined],
  ['closed', 'start', undefined],
  ['closed', 'online', undefined],
  ['closed', 'fixed', undefined],
  ['closed', 'close', undefined],
];

describe('ticket workflow', () => {
  it.each(TABLE)('%s --%s--> %s', (state, action, to) => {
    expect(ticketTransition(state, action)).toBe(to);
  });

  it('covers every state × action in the table above', () => {
    expect(TABLE.length).toBe(STATES.length * ACTIONS.length);
    expect(Object.keys(TICKET_TRANSITIONS).sort()).toEqual([...ACTIONS].sort());
  });

  it('keeps a ticket open while dispatched or repairing, and ends it for good', () => {
    expect(STATES.filter(isTicketOpen)).toEqual(['dispatched', 'repairing']);
    expect(OPEN_TICKET_STATES).toEqual(['dispatched', 'repairing']);
    for (const action of ACTIONS) for (const from of Object.keys(TICKET_TRANSITIONS[action]) as TicketState[]) expect(isTicketOpen(from)).toBe(true);
  });

  it('gives the health checks the online action only, the centre closing, the maintaining side the rest', () => {
    expect(TICKET_ACTION_BY).toEqual({ start: 'maintainer', online: 'system', fixed: 'maintainer', close: 'centre' });
    expect(Object.keys(TICKET_STATE_LABELS).sort()).toEqual([...STATES].sort());
    expect(TICKET_STATE_LABELS.dispatched).toBe('已派单');
  });

  it.each([
    ['offline', true, true, true],
    ['offline', false, false, false],
    ['picture', true, false, true],
    ['picture', false, false, true],
  ] as const)('%s ticket, camera online %s: health checks end it %s, fixed accepted %s', (origin, online, byCheck, fixed) => {
    expect(recoversByHealthCheck(origin) && online).toBe(byCheck);
    expect(fixedAccepted(origin, online)).toBe(fixed);
  });

  it('opens after the threshold, not before', () => {
    const now = new Date('2026-12-07T10:30:00Z');
    expect(offlineLongEnough('2026-12-07T10:00:00Z', now, 30)).toBe(true);
    expect(offlineLongEnough('2026-12-07T10:00:01Z', now, 30)).toBe(false);
  });
});
