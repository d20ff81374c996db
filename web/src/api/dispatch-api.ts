// Endpoints of the dispatch, statistics, live-info and saved-layout APIs, over the one fetch wrapper in http.ts.
// Types come from the server contracts with `import type` only.
import type { Camera, RelayInfo } from '../../../server/contracts/api';
import type {
  Danger, DangerDetail, DangerPage, DangerQuery, DispatchBody, LayoutPush, LayoutPushPage, RecheckBody, Severity, Stats, TaskAction,
  TaskPage, TaskStatus, TaskSummary, Taxonomy,
} from '../../../server/contracts/dispatch';
import type { SavedLayout as ContractLayout } from '../../../server/contracts/layouts';
import type { LayoutId } from '../components/wall/wall-state';
import { request } from './http';

export type {
  Danger, DangerDetail, DangerStatus, HistoryEntry, LayoutPush, Severity, Stats, StatsRow, TaskAction, TaskStatus, TaskSummary,
  TaskWithDanger, Taxonomy,
} from '../../../server/contracts/dispatch';
export type { RelayInfo } from '../../../server/contracts/api';

export interface DangerInput {
  cameraId: number;
  capturedAt: string;
  category: string;
  severity: Severity;
  note?: string;
  evidenceJpeg: string;
}

export type Box = 'inbox' | 'outbox' | 'all';

/** A named wall of the user's (/api/layouts). */
export type SavedLayout = ContractLayout;

/** The body of an action: a note, a reason (退回/驳回), feedback (反馈) or a dispatch (转派). */
export type ActionBody = { note?: string } | { reason: string } | { feedback: string; photoJpeg?: string } | DispatchBody;

export const dispatchApi = {
  taxonomy: (signal?: AbortSignal) => request<Taxonomy>('GET', '/api/dangers/taxonomy', { signal }),
  createDanger: (body: DangerInput) => request<Danger>('POST', '/api/dangers', { body }),
  dangers: (query: DangerQuery, signal?: AbortSignal) => request<DangerPage>('GET', '/api/dangers', { query: { ...query }, signal }),
  danger: (id: number, signal?: AbortSignal) => request<DangerDetail>('GET', `/api/dangers/${id}`, { signal }),
  dispatchDanger: (id: number, body: DispatchBody) => request<TaskSummary>('POST', `/api/dangers/${id}/dispatch`, { body }),
  /** 复查: pass (closed for good) or fail (reopened), by the unit that closed it, once due. */
  recheck: (id: number, body: RecheckBody) => request<Danger>('POST', `/api/dangers/${id}/recheck`, { body }),
  tasks: (query: { box: Box; status?: TaskStatus; overdue?: boolean; limit?: number; offset?: number }, signal?: AbortSignal) =>
    request<TaskPage>('GET', '/api/dispatch/tasks', { query: { ...query }, signal }),
  act: (taskId: number, action: TaskAction, body: ActionBody) =>
    request<TaskSummary>('POST', `/api/dispatch/tasks/${taskId}/${action}`, { body }),
  pushLayout: (body: { toUnitId: number; cameraIds: number[]; note: string }) =>
    request<LayoutPush>('POST', '/api/dispatch/layouts', { body }),
  pushes: (query: { box: 'inbox' | 'outbox'; status?: 'pending' | 'accepted' | 'dismissed'; limit?: number }, signal?: AbortSignal) =>
    request<LayoutPushPage>('GET', '/api/dispatch/layouts', { query: { ...query }, signal }),
  answerPush: (id: number, verb: 'accept' | 'dismiss') => request<LayoutPush>('POST', `/api/dispatch/layouts/${id}/${verb}`),
  stats: (query: { from?: string; to?: string; orgUnitId?: number }, signal?: AbortSignal) =>
    request<Stats>('GET', '/api/stats', { query: { ...query }, signal }),
  relays: (signal?: AbortSignal) => request<RelayInfo[]>('GET', '/api/live/relays', { signal }),
  camera: (id: number, signal?: AbortSignal) => request<Camera>('GET', `/api/cameras/${id}`, { signal }),
};

export const layoutsApi = {
  list: (signal?: AbortSignal) => request<SavedLayout[]>('GET', '/api/layouts', { signal }),
  create: (body: { name: string; layout: LayoutId; cameraIds: Array<number | null>; isDefault?: boolean }) =>
    request<SavedLayout>('POST', '/api/layouts', { body }),
  update: (id: number, body: Partial<Pick<SavedLayout, 'name' | 'layout' | 'cameraIds' | 'isDefault'>>) =>
    request<SavedLayout>('PUT', `/api/layouts/${id}`, { body }),
  remove: (id: number) => request<void>('DELETE', `/api/layouts/${id}`),
};

export const evidenceUrl = (dangerId: number): string => `/api/dangers/${dangerId}/evidence`;
