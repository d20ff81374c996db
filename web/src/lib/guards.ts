// Socket payloads come from the network: check their shape before they touch state.
import type { CameraStatusEvent } from '../../../server/contracts/events';

const STATUSES = new Set(['online', 'offline', 'unknown']);
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
const isNullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';

export function isCameraStatusEvent(value: unknown): value is CameraStatusEvent {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    isId(v.cameraId) &&
    isId(v.orgUnitId) &&
    typeof v.status === 'string' &&
    STATUSES.has(v.status) &&
    isNullableString(v.reason ?? null) &&
    isNullableString(v.lastSeenAt ?? null)
  );
}
