// Health checks: pacing and concurrency of the checker, and status changes pushed for simulated cameras on
// loopback (this file's simulator indexes: 4100–4149).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraStatusEvent } from '../../server/contracts/events';
import type { OnlineRates } from '../../server/contracts/catalogue';
import { HealthChecker, type HealthTarget } from '../../server/discovery/health/checker';
import { planCamera, type SimCamera, startCamera } from '../../scripts/simulator/index';
import { buildTestApp, DEMO, login, type TestApp } from '../helpers/app';

describe('health checker pacing', () => {
  it('checks every camera once per cycle with at most `concurrency` in flight', async () => {
    const targets: HealthTarget[] = Array.from({ length: 40 }, (_, i) => ({ id: i + 1, sourceKind: 'rtsp', endpoint: `rtsp://x/${i}`, streamUrl: null, username: null, password: null }));
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    const checker = new HealthChecker({
      cycleMs: 200, concurrency: 3, timeoutMs: 100,
      count: async () => targets.length,
      page: async (after, limit) => targets.filter((t) => t.id > after).slice(0, limit),
      check: async () => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setTimeout(r, 15));
        inFlight--;
        return { status: 'online', reason: null, method: 'rtsp-options' };
      },
      onResults: async (batch) => void seen.push(...batch.map((r) => r.target.id)),
      flushSize: 7,
    });
    const summary = await checker.cycle();
    expect(seen.sort((a, b) => a - b)).toEqual(targets.map((t) => t.id));
    expect(peak).toBeLessThanOrEqual(3);
    expect(checker.checked).toBe(40);
    // Results are written in batches (of 7 here), and the cycle fits in its period.
    expect(summary).toMatchObject({ cameras: 40, online: 40, offline: 0 });
    expect(summary.batches).toBeGreaterThanOrEqual(6);
    expect(summary.peakInFlight).toBeLessThanOrEqual(3);
  });
});

describe('health checks through the app', () => {
  let t: TestApp;
  let onvifCam: SimCamera;
  let rtspCam: SimCamera;
  const ids = { onvif: 0, rtsp: 0 };

  beforeAll(async () => {
    const plan = (index: number) => planCamera({ index, name: `health-${index}`, network: 'huiyan', orgUnitCode: '339901002' });
    [onvifCam, rtspCam] = await Promise.all([startCamera(plan(4100)), startCamera(plan(4101))]);
    // A 1.2 s cycle; the first one starts a cycle after ready, so the demo cameras can go first.
    t = await buildTestApp({ health: { enabled: true, cycleMinutes: 0.02, concurrency: 4, timeoutMs: 800 } });
    await t.app.db.run('DELETE FROM cameras');
    const unit = (await t.app.repos.orgUnits.findByCode('339901002'))!;
    ids.onvif = await t.app.repos.cameras.insert({
      network: 'huiyan', externalId: 'H-ONVIF', name: '健康检查ONVIF', orgUnitId: unit.id, sourceKind: 'onvif',
      endpoint: onvifCam.onvifXAddr, streamUrl: onvifCam.rtspUrl, credentials: { username: 'admin', password: onvifCam.spec.password },
    });
    ids.rtsp = await t.app.repos.cameras.insert({
      network: 'skynet', externalId: 'H-RTSP', name: '健康检查RTSP', orgUnitId: unit.id, sourceKind: 'rtsp',
      endpoint: rtspCam.rtspUrl, streamUrl: rtspCam.rtspUrl, credentials: { username: 'admin', password: rtspCam.spec.password },
    });
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([onvifCam, rtspCam].filter(Boolean).map((c) => c.close()));
  });

  /** The camera:status events pushed so far for a camera (from the event log every socket is fed from). */
  async function statusEvents(cameraId: number): Promise<CameraStatusEvent[]> {
    const unit = (await t.app.repos.orgUnits.findByCode('339901002'))!;
    return (await t.app.repos.events.since(unit.path, 0, 10_000))
      .filter((e) => e.event === 'camera:status' && e.payload.cameraId === cameraId)
      .map((e) => e.payload as CameraStatusEvent);
  }

  /** Waits (bounded: 15 s) until the latest pushed status of the camera is `status`. */
  async function until(cameraId: number, status: string): Promise<CameraStatusEvent> {
    for (let i = 0; i < 150; i++) {
      const last = (await statusEvents(cameraId)).at(-1);
      if (last?.status === status) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`camera ${cameraId} never reported ${status}`);
  }

  it('marks reachable cameras online, pushes offline with a reason, and online again', async () => {
    await until(ids.onvif, 'online');
    await until(ids.rtsp, 'online');
    const events = (await statusEvents(ids.rtsp)).length;
    rtspCam.setFault({ kind: 'offline' });
    const down = await until(ids.rtsp, 'offline');
    expect(down.reason).toBe('refused');
    rtspCam.setFault({ kind: 'none' });
    await rtspCam.settled();
    await until(ids.rtsp, 'online');
    // Only changes are pushed: two (offline, online) in several cycles of checks.
    expect((await statusEvents(ids.rtsp)).length).toBe(events + 2);
    const cam = (await t.app.repos.cameras.byId(ids.rtsp))!;
    expect(cam.lastSeenAt).not.toBeNull();
    expect(t.app.healthChecker!.checked).toBeGreaterThan(4);
  });

  it('reports online rates per network and per township, and checks one camera on demand', async () => {
    const s = await login(t.app, ...DEMO.county);
    const rates = (await t.app.inject({ url: '/api/health-checks/rates', headers: { cookie: s.cookie } })).json<OnlineRates>();
    expect(rates.checker).toMatchObject({ enabled: true, concurrency: 4 });
    expect(rates.byNetwork.find((n) => n.key === 'huiyan')).toMatchObject({ total: 1, online: 1, rate: 1 });
    expect(rates.byTownship.find((u) => u.name === '东城街道')).toMatchObject({ total: 2 });
    onvifCam.setFault({ kind: 'garbage-soap' });
    const now = await t.app.inject({ method: 'POST', url: `/api/health-checks/cameras/${ids.onvif}`, headers: s.headers });
    expect(now.json()).toMatchObject({ cameraId: ids.onvif, status: 'offline', reason: 'bad-response', method: 'onvif-time' });
    onvifCam.setFault({ kind: 'none' });
    const other = await login(t.app, ...DEMO.chengguan);
    expect((await t.app.inject({ method: 'POST', url: `/api/health-checks/cameras/${ids.onvif}`, headers: other.headers })).statusCode).toBe(404);
  });
});
