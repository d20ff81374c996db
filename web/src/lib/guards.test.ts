import { describe, expect, it } from 'vitest';
import { isCameraStatusEvent } from './guards';

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
