// First-time setup endpoints (public: nobody can sign in yet). Types from the server's contract, type-only.
import type { SetupBody, SetupResult, SetupStatus } from '../../../server/contracts/setup';
import { request } from './http';

export type { SetupStatus } from '../../../server/contracts/setup';

export const setupApi = {
  status: (signal?: AbortSignal) => request<SetupStatus>('GET', '/api/setup', { signal, quiet401: true }),
  create: (body: SetupBody) => request<SetupResult>('POST', '/api/setup', { body, quiet401: true }),
};
