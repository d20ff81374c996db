// Endpoints of the 视频巡查 API (/api/patrol) over the one fetch wrapper in http.ts.
// Types come from the server contracts with `import type` only.
import type {
  PatrolColleague, PatrolMarkBody, PatrolPlan, PatrolPlanBody, PatrolPlanList, PatrolRun, PatrolRunDetail, PatrolRunPage, PatrolRunQuery, PatrolStats,
} from '../../../server/contracts/patrol';
import type { PatrolRunAction } from '../../../server/domain/patrol-rules';
import { buildUrl, request } from './http';

export type {
  PatrolColleague, PatrolMark, PatrolMarkBody, PatrolPlan, PatrolPlanBody, PatrolRun, PatrolRunDetail, PatrolStats, PatrolStatsRow,
} from '../../../server/contracts/patrol';

export const patrolApi = {
  plans: (signal?: AbortSignal) => request<PatrolPlanList>('GET', '/api/patrol/plans', { signal }).then((r) => r.items),
  createPlan: (body: PatrolPlanBody) => request<PatrolPlan>('POST', '/api/patrol/plans', { body }),
  updatePlan: (id: number, body: PatrolPlanBody) => request<PatrolPlan>('PUT', `/api/patrol/plans/${id}`, { body }),
  deletePlan: (id: number) => request<void>('DELETE', `/api/patrol/plans/${id}`),
  runs: (query: PatrolRunQuery, signal?: AbortSignal) => request<PatrolRunPage>('GET', '/api/patrol/runs', { query: { ...query }, signal }),
  run: (id: number, signal?: AbortSignal) => request<PatrolRunDetail>('GET', `/api/patrol/runs/${id}`, { signal }),
  act: (id: number, action: PatrolRunAction, body: { toUserId?: number } = {}) => request<PatrolRun>('POST', `/api/patrol/runs/${id}/${action}`, { body }),
  colleagues: (id: number) => request<{ items: PatrolColleague[] }>('GET', `/api/patrol/runs/${id}/colleagues`).then((r) => r.items),
  mark: (id: number, body: PatrolMarkBody) => request<PatrolRun>('POST', `/api/patrol/runs/${id}/marks`, { body }),
  stats: (query: { from?: string; to?: string }, signal?: AbortSignal) => request<PatrolStats>('GET', '/api/patrol/stats', { query, signal }),
  statsCsvUrl: (query: { from?: string; to?: string; groupBy: 'unit' | 'operator' }) => buildUrl('/api/patrol/stats/export.csv', query),
  frameUrl: (runId: number, cameraId: number) => `/api/patrol/runs/${runId}/cameras/${cameraId}/frame.jpg`,
};
