// PTZ (云台) endpoints under /api/cameras/:id/ptz; the camera's credentials stay on the server.
import type { PtzLockState, PtzPreset, PtzTour, PtzTourBody } from '../../../server/contracts/ptz';
import { request } from './http';

export type { PtzLockState, PtzPreset, PtzTour, PtzTourBody } from '../../../server/contracts/ptz';
export interface PtzVelocity { pan: number; tilt: number; zoom: number }

const base = (id: number) => `/api/cameras/${id}/ptz`;

export const ptzApi = {
  state: (id: number, signal?: AbortSignal) => request<PtzLockState>('GET', base(id), { signal }),
  take: (id: number, takeOver: boolean) => request<PtzLockState>('POST', `${base(id)}/lock`, { body: { takeOver } }),
  release: (id: number) => request<void>('DELETE', `${base(id)}/lock`),
  move: (id: number, v: PtzVelocity) => request<PtzLockState>('POST', `${base(id)}/move`, { body: v }),
  stop: (id: number) => request<PtzLockState>('POST', `${base(id)}/stop`),
  home: (id: number) => request<PtzLockState>('POST', `${base(id)}/home`),
  presets: (id: number, signal?: AbortSignal) => request<PtzPreset[]>('GET', `${base(id)}/presets`, { signal }),
  savePreset: (id: number, name: string) => request<PtzPreset>('POST', `${base(id)}/presets`, { body: { name } }),
  gotoPreset: (id: number, token: string) => request<PtzLockState>('POST', `${base(id)}/presets/${encodeURIComponent(token)}/goto`),
  deletePreset: (id: number, token: string) => request<void>('DELETE', `${base(id)}/presets/${encodeURIComponent(token)}`),
  tour: (id: number, signal?: AbortSignal) => request<PtzTour>('GET', `${base(id)}/tour`, { signal }),
  saveTour: (id: number, body: PtzTourBody) => request<PtzTour>('PUT', `${base(id)}/tour`, { body }),
  deleteTour: (id: number) => request<void>('DELETE', `${base(id)}/tour`),
};
