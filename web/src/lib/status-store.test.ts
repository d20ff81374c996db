import { describe, expect, it, vi } from 'vitest';
import { StatusStore } from './status-store';

describe('StatusStore', () => {
  it('returns the previous status and notifies only that camera', () => {
    const store = new StatusStore();
    const a = vi.fn();
    const b = vi.fn();
    store.subscribe(1, a);
    store.subscribe(2, b);
    expect(store.set(1, { status: 'online', reason: null, lastSeenAt: null })).toBeUndefined();
    expect(store.set(1, { status: 'offline', reason: 'timeout', lastSeenAt: null })?.status).toBe('online');
    expect(a).toHaveBeenCalledTimes(2);
    expect(b).not.toHaveBeenCalled();
  });

  it('ignores repeats and stops notifying after unsubscribe', () => {
    const store = new StatusStore();
    const a = vi.fn();
    const off = store.subscribe(1, a);
    store.set(1, { status: 'online', reason: null, lastSeenAt: null });
    store.set(1, { status: 'online', reason: null, lastSeenAt: null });
    expect(a).toHaveBeenCalledTimes(1);
    off();
    store.set(1, { status: 'offline', reason: null, lastSeenAt: null });
    expect(a).toHaveBeenCalledTimes(1);
  });
});
