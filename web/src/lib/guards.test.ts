import { describe, expect, it } from 'vitest';
import { isCameraStatusEvent, isDangerRecheckEvent, isLayoutPushedEvent, isTaskReceivedEvent, isTaskStatusEvent } from './guards';

describe('isCameraStatusEvent', () => {
  it('accepts the contract shape', () => {
    expect(isCameraStatusEvent({ cameraId: 1, orgUnitId: 2, status: 'offline', reason: 'timeout', lastSeenAt: null })).toBe(true);
    expect(isCameraStatusEvent({ cameraId: 1, orgUnitId: 2, status: 'online', reason: null, lastSeenAt: '2026-01-01T00:00:00Z' })).toBe(true);
  });

  it('rejects malformed payloads', () => {
    expect(isCameraStatusEvent(null)).toBe(false);
    expect(isCameraStatusEvent({ cameraId: '1', orgUnitId: 2, status: 'online' })).toBe(false);
    expect(isCameraStatusEvent({ cameraId: 1, orgUnitId: 2, status: 'exploded' })).toBe(false);
    expect(isCameraStatusEvent({ cameraId: 1, orgUnitId: 0, status: 'online' })).toBe(false);
    expect(isCameraStatusEvent({ cameraId: 1, orgUnitId: 2, status: 'online', reason: 5 })).toBe(false);
  });
});


describe('dispatch event guards', () => {
  const received = {
    seq: 5, taskId: 1, dangerId: 2, parentTaskId: null, fromUnitId: 1, fromUnitName: '安澜县', toUnitId: 7, toUnitName: '东城街道',
    category: 'fire', severity: 'major', deadline: '2026-01-01T00:00:00Z', note: '', sentBy: 'county',
  };
  it('accepts the contract shapes', () => {
    expect(isTaskReceivedEvent(received)).toBe(true);
    expect(isTaskStatusEvent({ taskId: 1, dangerId: 2, fromUnitId: 1, toUnitId: 7, action: 'accept', status: 'accepted' })).toBe(true);
    expect(isLayoutPushedEvent({ pushId: 3, toUnitId: 7, fromUnitName: '安澜县', note: 'x', cameraIds: [1, 2] })).toBe(true);
  });
  it('rejects malformed payloads', () => {
    expect(isTaskReceivedEvent({ ...received, toUnitId: '7' })).toBe(false);
    expect(isTaskStatusEvent(null)).toBe(false);
    expect(isLayoutPushedEvent({ pushId: 3, toUnitId: 7, fromUnitName: 'a', note: 'x', cameraIds: [1, 'b'] })).toBe(false);
  });
});

describe('isDangerRecheckEvent (复查)', () => {
  const due = { seq: 9, dangerId: 4, stage: 'due', recheckUnitId: 1, cameraName: 'x', category: 'environment', dueAt: '2026-01-01T00:00:00Z', dangerStatus: 'closed', actor: null, at: '2026-01-01T00:00:00Z' };
  it('accepts the contract shape', () => {
    expect(isDangerRecheckEvent(due)).toBe(true);
    expect(isDangerRecheckEvent({ ...due, stage: 'failed', dangerStatus: 'returned', actor: 'county' })).toBe(true);
  });
  it('rejects malformed payloads', () => {
    expect(isDangerRecheckEvent({ ...due, stage: 'maybe' })).toBe(false);
    expect(isDangerRecheckEvent({ ...due, recheckUnitId: 0 })).toBe(false);
    expect(isDangerRecheckEvent({ ...due, dueAt: 5 })).toBe(false);
    expect(isDangerRecheckEvent(null)).toBe(false);
  });
});
