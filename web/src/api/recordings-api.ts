// Recording plans (录像计划) under /api/recordings: a camera's plan with its effective mode and where it comes from,
// and the defaults of networks and org units.
import type { RecordingDefault, RecordingPlanBody, RecordingSettings, RecordingSettingsBody } from '../../../server/contracts/recordings';
import { request } from './http';

export type { RecordingDefault, RecordingPlanBody, RecordingSettings, RecordingSettingsBody } from '../../../server/contracts/recordings';

export const recordingsApi = {
  settings: (cameraId: number, signal?: AbortSignal) => request<RecordingSettings>('GET', `/api/recordings/${cameraId}/settings`, { signal }),
  save: (cameraId: number, body: RecordingSettingsBody) => request<RecordingSettings>('PUT', `/api/recordings/${cameraId}/settings`, { body }),
  event: (cameraId: number, reason?: string) => request<{ cameraId: number; from: string; to: string }>('POST', `/api/recordings/${cameraId}/events`, { body: { reason } }),
  defaults: (signal?: AbortSignal) => request<RecordingDefault[]>('GET', '/api/recordings/defaults', { signal }),
  saveUnitDefault: (unitId: number, body: RecordingPlanBody) => request<{ recorded: number }>('PUT', `/api/recordings/defaults/unit/${unitId}`, { body }),
  saveNetworkDefault: (network: string, body: RecordingPlanBody) => request<{ recorded: number }>('PUT', `/api/recordings/defaults/network/${encodeURIComponent(network)}`, { body }),
};
