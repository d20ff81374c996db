// Endpoints of 用户管理 (administrators) and 我的账户 (everyone), over the one fetch wrapper in http.ts. Types come from
// the server contracts with `import type` only.
import type {
  AccountSession, ChangePasswordBody, CreateUserBody, ManagedUser, UpdateUserBody, UserImportBody, UserImportResult, UserPage, UserQuery,
  UserWithPassword,
} from '../../../server/contracts/users';
import { buildUrl, request } from './http';

export type {
  AccountSession, CreateUserBody, ImportedUser, ManagedUser, UpdateUserBody, UserImportResult, UserPage, UserQuery, UserRowError, UserStatus,
  UserWithPassword,
} from '../../../server/contracts/users';

export const usersApi = {
  list: (query: UserQuery, signal?: AbortSignal) => request<UserPage>('GET', '/api/users', { query: { ...query }, signal }),
  create: (body: CreateUserBody) => request<UserWithPassword>('POST', '/api/users', { body }),
  update: (id: number, body: UpdateUserBody) => request<ManagedUser>('PATCH', `/api/users/${id}`, { body }),
  disable: (id: number) => request<ManagedUser>('POST', `/api/users/${id}/disable`),
  enable: (id: number) => request<ManagedUser>('POST', `/api/users/${id}/enable`),
  unlock: (id: number) => request<ManagedUser>('POST', `/api/users/${id}/unlock`),
  resetPassword: (id: number) => request<UserWithPassword>('POST', `/api/users/${id}/reset-password`),
  remove: (id: number) => request<void>('DELETE', `/api/users/${id}`),
  importUsers: (body: UserImportBody) => request<UserImportResult>('POST', '/api/users/import', { body }),
};

/** The export (a download link, so the browser saves the file). */
export const usersExportUrl = (orgUnitId?: number): string => buildUrl('/api/users/export.csv', { orgUnitId });

export const accountApi = {
  changePassword: (body: ChangePasswordBody) => request<void>('POST', '/api/account/password', { body }),
  sessions: (signal?: AbortSignal) => request<AccountSession[]>('GET', '/api/account/sessions', { signal }),
  endSession: (id: string) => request<void>('DELETE', `/api/account/sessions/${id}`),
};
