import { describe, expect, it } from 'vitest';
import { ticketActionsFor, ticketAge } from './tickets-logic';

describe('tickets view helpers', () => {
  it.each([
    ['township_officer', 'dispatched', ['start', 'fixed']],
    ['township_officer', 'repairing', ['fixed']],
    ['county_operator', 'dispatched', ['start', 'fixed', 'close']],
    ['admin', 'repairing', ['fixed', 'close']],
    ['village_officer', 'dispatched', []],
    ['admin', 'recovered', []],
    ['county_operator', 'closed', []],
  ] as const)('%s on a %s ticket: %j', (role, state, actions) => {
    expect(ticketActionsFor(role, state)).toEqual(actions);
  });

  it('measures the age to now while open, to the end once ended', () => {
    const now = new Date('2026-12-09T12:00:00Z');
    expect(ticketAge('2026-12-07T09:30:00Z', null, now)).toEqual({ d: 2, h: 2, m: 30 });
    expect(ticketAge('2026-12-09T11:59:00Z', '2026-12-09T11:59:59Z', now)).toEqual({ d: 0, h: 0, m: 0 });
    expect(ticketAge('2026-12-09T13:00:00Z', null, now)).toEqual({ d: 0, h: 0, m: 0 });
  });
});
