// Pure helpers of the tickets view: which buttons a user gets on a ticket (the same tables the server enforces,
// server/domain/ticket-workflow.ts), and a ticket's age in words.
import type { Role } from '../../../server/contracts/api';
import type { TicketState } from '../../../server/contracts/maintenance';
import { TICKET_ACTION_BY, ticketTransition } from '../../../server/domain/ticket-workflow';

export type UserTicketAction = 'start' | 'fixed' | 'close';

const MAINTAINER_ROLES: readonly Role[] = ['admin', 'county_operator', 'township_officer'];
const CENTRE_ROLES: readonly Role[] = ['admin', 'county_operator'];

/** The actions a user of `role` can take on a ticket in `state` (the server answers 403/409 to the others). */
export function ticketActionsFor(role: Role, state: TicketState): UserTicketAction[] {
  return (['start', 'fixed', 'close'] as const).filter((a) => {
    if (!ticketTransition(state, a)) return false;
    return (TICKET_ACTION_BY[a] === 'centre' ? CENTRE_ROLES : MAINTAINER_ROLES).includes(role);
  });
}

/** How long a ticket has been open (or was, until it ended): whole days, hours and minutes. */
export function ticketAge(openedAt: string, endedAt: string | null, now: Date): { d: number; h: number; m: number } {
  const ms = Math.max(0, (endedAt ? Date.parse(endedAt) : now.getTime()) - Date.parse(openedAt));
  const minutes = Math.floor(ms / 60_000);
  return { d: Math.floor(minutes / 1440), h: Math.floor((minutes % 1440) / 60), m: minutes % 60 };
}
