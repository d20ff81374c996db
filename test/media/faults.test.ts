// Camera faults → status events with reasons, reconnect after return, new epoch on SPS change.
import { afterEach, describe, expect, it } from 'vitest';
import type { SimCamera } from '../../scripts/simulator/index';
import { CameraUnavailableError } from '../../server/media/index';
import { HAVE_FFPROBE, probe } from './helpers/ffprobe';
import { camera, managerFor, segmentNames, until } from './helpers/sim';

const opened: SimCamera[] = [];
const closers: (() => void)[] = [];
afterEach(async () => {
  closers.splice(0).forEach((c) => c());
  await Promise.all(opened.splice(0).map((c) => c.close()));
});

async function setup(index: number, opts = {}) {
  const cam = await camera(index);
  opened.push(cam);
  const cams = new Map([[index, cam]]);
  const m = managerFor(cams, opts);
  closers.push(() => m.manager.close());
  return { cam, ...m };
}

describe('faults', () => {
  it('wrong password → unauthorized, and the password never appears in the error', async () => {
    const { cam, manager, events } = await setup(2101);
    cam.setFault({ kind: 'wrong-password' });
    await cam.settled();
    const err = await manager.playlist(2101).catch((e: unknown) => e) as CameraUnavailableError;
    expect(err).toBeInstanceOf(CameraUnavailableError);
    expect(err.reason).toBe('unauthorized');
    expect(err.message).not.toContain(cam.spec.password);
    expect(events).toContainEqual(expect.objectContaining({ relayId: 2101, status: 'offline', reason: 'unauthorized' }));
  });

  it('a relay refused by its camera picks up credentials corrected in the catalogue meanwhile', async () => {
    const cam = await camera(2108);
    opened.push(cam);
    let password = 'stale-password';
    const resolved: string[] = [];
    const { manager, events } = managerFor(new Map([[2108, cam]]), {
      resolveSource: async () => {
        resolved.push(password);
        return { url: cam.rtspUrl, username: cam.spec.username, password };
      },
    });
    closers.push(() => manager.close());
    const first = manager.playlist(2108).catch((e: unknown) => e);
    await until(() => resolved.length >= 1);
    password = cam.spec.password; // the operator fixes the password while the relay is being refused
    expect(await first).toBeInstanceOf(CameraUnavailableError);
    expect(events).toContainEqual(expect.objectContaining({ relayId: 2108, status: 'offline', reason: 'unauthorized' }));
    const text = await until(() => manager.playlist(2108).catch(() => null), 200);
    expect(segmentNames(text).length).toBeGreaterThanOrEqual(1);
    expect(resolved).toEqual(['stale-password', cam.spec.password]);
    expect(manager.list()[0]!.state).toBe('online');
  });

  it('offline → refused, then online again after the camera returns', async () => {
    const { cam, manager, events } = await setup(2102);
    await manager.playlist(2102);
    cam.setFault({ kind: 'offline' });
    await cam.settled();
    const offline = await until(() => events.find((e) => e.status === 'offline'));
    expect(['closed', 'refused', 'stalled']).toContain(offline.reason);
    cam.setFault({ kind: 'none' });
    await cam.settled();
    // The relay reconnects by itself (backoff) while a viewer keeps polling.
    await until(() => events.filter((e) => e.status === 'online').length >= 2 || (void manager.playlist(2102).catch(() => {}), false), 200);
    const stats = manager.list()[0]!;
    expect(stats.reconnects).toBeGreaterThanOrEqual(1);
    const text = await manager.playlist(2102);
    expect(text).toContain('#EXT-X-DISCONTINUITY');
  });

  it('stall (RTP stops, TCP stays) → stalled, then recovers', async () => {
    const { cam, manager, events } = await setup(2103, { stallTimeoutMs: 1500 });
    await manager.playlist(2103);
    cam.setFault({ kind: 'stall' });
    const ev = await until(() => events.find((e) => e.status === 'offline'));
    expect(ev.reason).toBe('stalled');
    cam.setFault({ kind: 'none' });
    await until(() => events.filter((e) => e.status === 'online').length >= 2 || (void manager.playlist(2103).catch(() => {}), false), 200);
    expect(manager.list()[0]!.state).toBe('online');
  });

  it('flapping → goes offline and comes back online, more than once', async () => {
    const { cam, manager, events } = await setup(2104);
    await manager.playlist(2104);
    cam.setFault({ kind: 'flapping', periodSec: 2 });
    await until(() => events.filter((e) => e.status === 'online').length >= 3 || (void manager.playlist(2104).catch(() => {}), false), 200);
    const offline = events.filter((e) => e.status === 'offline');
    expect(offline.length).toBeGreaterThanOrEqual(2);
    for (const e of offline) expect(e.reason).not.toBeNull();
  });

  it('audio announced but never sent → video-only output', async () => {
    const { cam, manager } = await setup(2106);
    cam.setFault({ kind: 'silent-audio' });
    await cam.settled();
    const text = await manager.playlist(2106);
    expect(segmentNames(text).length).toBeGreaterThanOrEqual(1);
    expect(manager.list()[0]!.audio).toBeNull();
    if (HAVE_FFPROBE) {
      const r = await probe(manager.segment(2106, segmentNames(text)[0]!)!.body);
      expect(r.streams.map((s) => s.codec_type)).toEqual(['video']);
    }
  });

  it('SPS/resolution change → new epoch with a discontinuity and the new size', async () => {
    const { cam, manager } = await setup(2107);
    cam.setFault({ kind: 'sps-change', afterSec: 2 });
    await cam.settled();
    const before = await manager.playlist(2107);
    expect(before).not.toContain('#EXT-X-DISCONTINUITY');
    const size = () => { const { width, height } = manager.list()[0]!; return { width, height }; };
    const first = size();
    expect(first.width).toBeGreaterThan(0);
    let text = before;
    // Until a whole segment of the new epoch is listed (with LL-HLS parts, its first parts come before it).
    const after = (t: string) => t.includes('#EXT-X-DISCONTINUITY') && t.lastIndexOf('#EXTINF:') > t.indexOf('#EXT-X-DISCONTINUITY');
    while (!after(text)) {
      await new Promise((r) => setTimeout(r, 200));
      text = await manager.playlist(2107);
    }
    // With LL-HLS parts the new epoch's first part is listed ~0.5 s after the change, before the relay's next
    // stats (every 1 s) carry the new size: wait for them.
    for (let i = 0; i < 50 && size().width === first.width && size().height === first.height; i++) await new Promise((r) => setTimeout(r, 100));
    expect(size()).not.toEqual(first);
    if (HAVE_FFPROBE) {
      const names = segmentNames(text);
      const last = await probe(manager.segment(2107, names[names.length - 1]!)!.body);
      expect(last.errors).toBe('');
      expect({ width: last.streams[0]!.width, height: last.streams[0]!.height }).toEqual(size());
    }
  });
});
