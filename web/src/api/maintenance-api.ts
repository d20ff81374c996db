// Endpoints of the maintenance-ticket (运维工单) and availability APIs, over the one fetch wrapper in http.ts.
import type {
  Availability, Maintainer, MaintainerBody, Ticket, TicketActionBody, TicketList, TicketQuery,
} from '../../../server/contracts/maintenance';
import { buildUrl, request } from './http';

export type { Availability, AvailabilityRow, Maintainer, Ticket, TicketState } from '../../../server/contracts/maintenance';

export const maintenanceApi = {
  tickets: (query: TicketQuery, signal?: AbortSignal) => request<TicketList>('GET', '/api/maintenance/tickets', { query: { ...query }, signal }),
  act: (id: number, body: TicketActionBody) => request<Ticket>('POST', `/api/maintenance/tickets/${id}/actions`, { body }),
  report: (cameraId: number, note: string) =>
    request<{ ticket: Ticket; created: boolean }>('POST', '/api/maintenance/tickets', { body: { cameraId, note } }),
  maintainers: (signal?: AbortSignal) => request<Maintainer[]>('GET', '/api/maintenance/maintainers', { signal }),
  setMaintainer: (network: string, body: MaintainerBody) => request<Maintainer>('PUT', `/api/maintenance/maintainers/${encodeURIComponent(network)}`, { body }),
  availability: (query: { from?: string; to?: string; orgUnitId?: number }, signal?: AbortSignal) =>
    request<Availability>('GET', '/api/stats/availability', { query: { ...query }, signal }),
};

export function availabilityCsvUrl(groupBy: 'unit' | 'network', query: { from: string; to: string } | null, orgUnitId?: number): string {
  return buildUrl('/api/stats/availability.csv', { groupBy, from: query?.from, to: query?.to, orgUnitId });
}
