// Endpoints of the push (RTMP, 移动视频) device API (/api/push-devices) over the one fetch wrapper in http.ts.
// A stream key is in an answer only when it is made or rotated: the server keeps its hash.
import type { IssuedPushKey, NewPushDevice, PushDevice } from '../../../server/contracts/push';
import { request } from './http';

export type { IssuedPushKey, NewPushDevice, PushDevice } from '../../../server/contracts/push';

export const pushDevicesApi = {
  list: (signal?: AbortSignal) => request<PushDevice[]>('GET', '/api/push-devices', { signal }),
  create: (body: NewPushDevice) => request<IssuedPushKey>('POST', '/api/push-devices', { body }),
  rotate: (cameraId: number) => request<IssuedPushKey>('POST', `/api/push-devices/${cameraId}/rotate`),
  revoke: (cameraId: number) => request<null>('POST', `/api/push-devices/${cameraId}/revoke`),
};
