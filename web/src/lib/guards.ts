// Socket payloads come from the network: check their shape before they touch state.
import type {
  CameraStatusEvent, DangerCreatedEvent, DangerRecheckEvent, LayoutPushedEvent, PatrolDueEvent, PatrolOverdueEvent, PatrolStatusEvent,
  TaskOverdueEvent, TaskReceivedEvent, TaskStatusEvent,
} from '../../../server/contracts/events';

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

// ---- Dispatch events: only the fields the console reads are checked (extra fields are harmless). ----

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object';
const isString = (v: unknown): v is string => typeof v === 'string';

export function isTaskReceivedEvent(v: unknown): v is TaskReceivedEvent {
  return isRecord(v) && isId(v.taskId) && isId(v.dangerId) && isId(v.fromUnitId) && isId(v.toUnitId) &&
    isString(v.fromUnitName) && isString(v.category) && isString(v.severity) && isString(v.deadline);
}

export function isTaskStatusEvent(v: unknown): v is TaskStatusEvent {
  return isRecord(v) && isId(v.taskId) && isId(v.dangerId) && isId(v.fromUnitId) && isId(v.toUnitId) &&
    isString(v.status) && isString(v.action);
}

export function isTaskOverdueEvent(v: unknown): v is TaskOverdueEvent {
  return isRecord(v) && isId(v.taskId) && isId(v.dangerId) && isId(v.toUnitId) && isString(v.deadline);
}

export function isDangerCreatedEvent(v: unknown): v is DangerCreatedEvent {
  return isRecord(v) && isId(v.dangerId) && isId(v.cameraId) && isString(v.category) && isString(v.severity);
}

export function isDangerRecheckEvent(v: unknown): v is DangerRecheckEvent {
  return isRecord(v) && isId(v.dangerId) && isId(v.recheckUnitId) && (v.stage === 'due' || v.stage === 'passed' || v.stage === 'failed') &&
    isString(v.category) && isString(v.dueAt);
}

export function isLayoutPushedEvent(v: unknown): v is LayoutPushedEvent {
  return isRecord(v) && isId(v.pushId) && isId(v.toUnitId) && isString(v.fromUnitName) && isString(v.note) &&
    Array.isArray(v.cameraIds) && v.cameraIds.every(isId);
}

export function isPatrolDueEvent(v: unknown): v is PatrolDueEvent {
  return isRecord(v) && isId(v.runId) && isId(v.planId) && isId(v.orgUnitId) && isString(v.planName) && isString(v.dueAt) &&
    isString(v.deadline) && typeof v.cameraCount === 'number';
}

export function isPatrolStatusEvent(v: unknown): v is PatrolStatusEvent {
  return isRecord(v) && isId(v.runId) && isId(v.orgUnitId) && isString(v.state) && isString(v.action) && typeof v.marked === 'number';
}

export function isPatrolOverdueEvent(v: unknown): v is PatrolOverdueEvent {
  return isRecord(v) && isId(v.runId) && isId(v.orgUnitId) && isString(v.planName) && isString(v.orgUnitName) && isString(v.deadline);
}
