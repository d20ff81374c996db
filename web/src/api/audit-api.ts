// Endpoints of the audit log (admin only), over the one fetch wrapper in http.ts. Types from the server contracts.
import type { AuditPage } from '../../../server/contracts/audit';
import type { AuditFilterQuery } from '../lib/audit-logic';
import { request } from './http';

export type { AuditItem, AuditPage } from '../../../server/contracts/audit';

/** Rows per page of the audit table. */
export const AUDIT_PAGE_SIZE = 50;
/** The server's cap on one CSV export (server/audit/csv.ts). */
export const AUDIT_CSV_MAX_ROWS = 100_000;

export const auditApi = {
  list: (query: AuditFilterQuery & { before?: number; limit?: number }, signal?: AbortSignal) =>
    request<AuditPage>('GET', '/api/audit', { query: { ...query }, signal }),
};
