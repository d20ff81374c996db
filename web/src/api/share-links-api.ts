// Endpoints of the resident-link API (/api/share-links) over the one fetch wrapper in http.ts.
// Types come from the server contracts with `import type` only.
import type { CreatedShareLink, NewShareLink, ShareLink } from '../../../server/contracts/share';
import { request } from './http';

export type { CreatedShareLink, NewShareLink, ShareLink } from '../../../server/contracts/share';

export const shareLinksApi = {
  /** Links in the user's scope, or in one unit's subtree inside it. */
  list: (orgUnitId?: number, signal?: AbortSignal) => request<ShareLink[]>('GET', '/api/share-links', { query: { orgUnitId }, signal }),
  /** The answer holds the only copy of the plain URL: the server keeps a hash of the token. */
  create: (body: NewShareLink) => request<CreatedShareLink>('POST', '/api/share-links', { body }),
  revoke: (id: number) => request<ShareLink>('POST', `/api/share-links/${id}/revoke`),
};
