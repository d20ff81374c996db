// PTZ over the real API against a simulated dome (ONVIF through the `onvif` client, the simulator's head moving):
// move and keep-alive, stop, the watchdog stop of a silent controller, presets (list, save, go to, delete), home,
// the control lock (held, refused, taken over by a higher level, who took it pushed over socket.io), scope and
// capability refusals, validation, and the audit rows of each control session.
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, PtzLockEvent, ServerToClientEvents } from '../../server/contracts/events';
import type { PtzLockState, PtzPreset, PtzTour } from '../../server/contracts/ptz';
import type { AuditPage } from '../../server/contracts/audit';
import { type SimCamera, planCamera, startCamera } from '../../scripts/simulator/index';
import { buildTestApp, DEMO, login, TEST_SIMULATOR_NET, type Login, type TestApp } from '../helpers/app';

// Demo camera 64 (county index 63): 城关镇新华村文化礼堂, a PTZ dome on the 720p fixture, in 城关镇 (chengguan), not in
// 东城街道 (dongcheng). This file's simulator index: 63.
const CAMERA = 64;
let t: TestApp;
let sim: SimCamera;
let s: Record<'admin' | 'county' | 'chengguan' | 'dongcheng', Login>;
let plainCamera: number;
let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
const lockEvents: PtzLockEvent[] = [];

const until = async (cond: () => boolean | Promise<boolean>, timeoutMs = 10_000) => {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return cond();
};

function call(who: Login, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, payload?: object) {
  return t.app.inject({ method, url: `/api/cameras/${path}`, headers: who.headers, payload: method === 'GET' || method === 'DELETE' ? undefined : (payload ?? {}) });
}

beforeAll(async () => {
  t = await buildTestApp({ login: { maxAttemptsPerMinute: 100 } });
  const cam = await t.app.db.get<{ name: string; network: string; code: string; ptz: number }>(
    'SELECT c.name, c.network, o.code, c.ptz FROM cameras c JOIN org_units o ON o.id = c.org_unit_id WHERE c.id = ?', [CAMERA],
  );
  expect(cam?.ptz).toBe(1);
  sim = await startCamera(planCamera({ index: CAMERA - 1, name: cam!.name, network: cam!.network, orgUnitCode: cam!.code, ptz: true }, TEST_SIMULATOR_NET));
  expect(sim.spec.fixture).toBe('h264');
  s = {
    admin: await login(t.app, ...DEMO.admin), county: await login(t.app, ...DEMO.county),
    chengguan: await login(t.app, ...DEMO.chengguan), dongcheng: await login(t.app, ...DEMO.dongcheng),
  };
  plainCamera = (await t.app.db.get<{ id: number }>(
    "SELECT c.id FROM cameras c JOIN org_units o ON o.id = c.org_unit_id WHERE c.ptz = 0 AND o.path LIKE '/1/2/%' LIMIT 1",
  ))!.id;
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const port = (t.app.server.address() as { port: number }).port;
  socket = connect(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: s.chengguan.cookie } });
  socket.on('ptz:lock', (e) => lockEvents.push(e));
  await new Promise<void>((resolve, reject) => {
    socket.once('session:ready', () => resolve());
    socket.once('connect_error', reject);
  });
});
afterAll(async () => {
  socket?.close();
  await t?.close();
  await sim?.close();
});

describe('PTZ API against a simulated dome', () => {
  it('refuses callers outside the area (404), cameras without PTZ (409) and bad velocities (400 naming the field)', async () => {
    expect((await call(s.dongcheng, 'POST', `${CAMERA}/ptz/move`, { pan: 0.5, tilt: 0, zoom: 0 })).statusCode).toBe(404);
    expect((await call(s.dongcheng, 'GET', `${CAMERA}/ptz/presets`)).statusCode).toBe(404);
    const plain = await call(s.chengguan, 'POST', `${plainCamera}/ptz/move`, { pan: 0.5, tilt: 0, zoom: 0 });
    expect(plain.statusCode).toBe(409);
    expect(plain.json().message).toMatch(/no PTZ/);
    const bad = await call(s.chengguan, 'POST', `${CAMERA}/ptz/move`, { pan: 1.5, tilt: 0, zoom: 0 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('pan');
    const noName = await call(s.chengguan, 'POST', `${CAMERA}/ptz/presets`, { name: '' });
    expect(noName.statusCode).toBe(400);
    expect(noName.json().field).toBe('name');
    expect(sim.stats().ptzMoves).toBe(0);
  });

  it('moves while kept alive, stops on stop, and the township officer holds the lock meanwhile', async () => {
    const moved = await call(s.chengguan, 'POST', `${CAMERA}/ptz/move`, { pan: 1, tilt: 0, zoom: 0 });
    expect(moved.statusCode, moved.body).toBe(200);
    const state = moved.json<PtzLockState>();
    expect(state).toMatchObject({ cameraId: CAMERA, mine: true, canTakeOver: false, holder: { level: 'township' } });
    expect(await until(() => sim.stats().ptz!.moving)).toBe(true);
    // Keep-alives with the same velocity do not reach the camera again.
    const movesBefore = sim.stats().ptzMoves;
    for (let i = 0; i < 3; i++) expect((await call(s.chengguan, 'POST', `${CAMERA}/ptz/move`, { pan: 1, tilt: 0, zoom: 0 })).statusCode).toBe(200);
    expect(sim.stats().ptzMoves).toBe(movesBefore);
    expect(await until(() => sim.stats().ptz!.pan > 0.2)).toBe(true);
    expect((await call(s.chengguan, 'POST', `${CAMERA}/ptz/stop`)).statusCode).toBe(200);
    expect(sim.stats().ptz!.moving).toBe(false);
    expect(t.app.ptz.moving(CAMERA)).toBe(false);
    expect(lockEvents.some((e) => e.cameraId === CAMERA && e.reason === 'take' && e.holder?.name)).toBe(true);
  });

  it('stops a camera whose controller went silent while it moved (watchdog)', async () => {
    const stops = sim.stats().ptzStops;
    expect((await call(s.chengguan, 'POST', `${CAMERA}/ptz/move`, { pan: -0.5, tilt: 0.5, zoom: 0 })).statusCode).toBe(200);
    expect(sim.stats().ptz!.moving).toBe(true);
    // No keep-alive, no stop: the server stops it about a second later.
    expect(await until(() => !sim.stats().ptz!.moving, 10_000)).toBe(true);
    expect(sim.stats().ptzStops).toBe(stops + 1);
    expect(t.app.ptz.moving(CAMERA)).toBe(false);
  });

  it('presets: list, save a name that needs escaping, go to, delete; home', async () => {
    const list = await call(s.chengguan, 'GET', `${CAMERA}/ptz/presets`);
    expect(list.statusCode).toBe(200);
    expect(list.json<PtzPreset[]>().map((p) => p.name)).toEqual(['全景', '路口', '大门']);
    const here = sim.stats().ptz!;
    const saved = await call(s.chengguan, 'POST', `${CAMERA}/ptz/presets`, { name: '溢洪道 & <闸门>' });
    expect(saved.statusCode, saved.body).toBe(201);
    const preset = saved.json<PtzPreset>();
    expect(preset.name).toBe('溢洪道 & <闸门>');
    expect((await call(s.chengguan, 'GET', `${CAMERA}/ptz/presets`)).json<PtzPreset[]>()).toContainEqual(preset);

    expect((await call(s.chengguan, 'POST', `${CAMERA}/ptz/presets/2/goto`)).statusCode).toBe(200);
    expect(sim.stats().ptz!.pan).toBeCloseTo(0.5, 2);
    expect((await call(s.chengguan, 'POST', `${CAMERA}/ptz/presets/${preset.token}/goto`)).statusCode).toBe(200);
    expect(sim.stats().ptz!.pan).toBeCloseTo(here.pan, 2);
    expect((await call(s.chengguan, 'POST', `${CAMERA}/ptz/home`)).statusCode).toBe(200);
    expect(sim.stats().ptz!).toMatchObject({ pan: 0, tilt: 0, zoom: 0, view: 2 });

    expect((await call(s.chengguan, 'DELETE', `${CAMERA}/ptz/presets/${preset.token}`)).statusCode).toBe(204);
    expect((await call(s.chengguan, 'GET', `${CAMERA}/ptz/presets`)).json<PtzPreset[]>().map((p) => p.token)).not.toContain(preset.token);
    const gone = await call(s.chengguan, 'POST', `${CAMERA}/ptz/presets/${preset.token}/goto`);
    expect(gone.statusCode).toBe(404);
    expect((await call(s.chengguan, 'POST', `${CAMERA}/ptz/presets/x%3Cy/goto`)).statusCode).toBe(400); // token shape
  });

  it('the lock: others are refused and told who steers; the county takes over and the township officer hears who', async () => {
    const refused = await call(s.county, 'POST', `${CAMERA}/ptz/move`, { pan: 0.5, tilt: 0, zoom: 0 });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toMatch(/is steering/);
    const seen = await call(s.county, 'GET', `${CAMERA}/ptz`);
    expect(seen.json<PtzLockState>()).toMatchObject({ mine: false, canTakeOver: true, holder: { level: 'township' } });

    // The township officer is moving when the county takes over: the head stops for the new controller.
    expect((await call(s.chengguan, 'POST', `${CAMERA}/ptz/move`, { pan: 0.3, tilt: 0, zoom: 0 })).statusCode).toBe(200);
    const taken = await call(s.county, 'POST', `${CAMERA}/ptz/lock`, { takeOver: true });
    expect(taken.statusCode, taken.body).toBe(200);
    expect(taken.json<PtzLockState>()).toMatchObject({ mine: true, holder: { level: 'county' } });
    expect(sim.stats().ptz!.moving).toBe(false);
    expect(await until(() => lockEvents.some((e) => e.reason === 'take-over'))).toBe(true);
    const ev = lockEvents.find((e) => e.reason === 'take-over')!;
    expect(ev.holder?.level).toBe('county');
    expect(ev.previous?.name).toBeTruthy();
    expect(ev.previous?.userId).toBe(taken.json<PtzLockState>().holder && (await t.app.repos.users.credentials('chengguan'))!.id);

    const back = await call(s.chengguan, 'POST', `${CAMERA}/ptz/move`, { pan: 0.5, tilt: 0, zoom: 0 });
    expect(back.statusCode).toBe(409);
    const lower = await call(s.chengguan, 'POST', `${CAMERA}/ptz/lock`, { takeOver: true });
    expect(lower.statusCode).toBe(409);
    expect(lower.json().message).toMatch(/higher level/);
    // Releasing someone else's lock is refused; the holder's own release frees it.
    expect((await call(s.chengguan, 'DELETE', `${CAMERA}/ptz/lock`)).statusCode).toBe(409);
    expect((await call(s.county, 'POST', `${CAMERA}/ptz/presets/3/goto`)).statusCode).toBe(200);
    expect((await call(s.county, 'DELETE', `${CAMERA}/ptz/lock`)).statusCode).toBe(204);
    expect((await call(s.chengguan, 'GET', `${CAMERA}/ptz`)).json<PtzLockState>().holder).toBeNull();
    expect(await until(() => lockEvents.some((e) => e.reason === 'release' && e.holder === null))).toBe(true);
  });

  it('writes every control session, the take-over and the preset changes to the audit log', async () => {
    const rows = (await t.app.inject({ url: '/api/audit?action=ptz.&limit=50', headers: s.admin.headers })).json<AuditPage>().items;
    const sessions = rows.filter((r) => r.action === 'ptz.session');
    const townSession = sessions.find((r) => r.actorName === 'chengguan')!;
    expect(townSession).toBeTruthy();
    expect(townSession.targetId).toBe(String(CAMERA));
    expect(townSession.detail).toMatchObject({ ended: 'taken-over', presetsUsed: expect.arrayContaining(['2', 'home']) });
    expect((townSession.detail as { watchdogStops: number }).watchdogStops).toBeGreaterThanOrEqual(1);
    expect(Date.parse(String(townSession.detail!.end))).toBeGreaterThan(Date.parse(String(townSession.detail!.start)));
    const countySession = sessions.find((r) => r.actorName === 'county')!;
    expect(countySession.detail).toMatchObject({ ended: 'release', presetsUsed: ['3'] });
    expect(rows.find((r) => r.action === 'ptz.take-over')).toMatchObject({ actorName: 'county', targetId: String(CAMERA) });
    expect(rows.filter((r) => r.action === 'ptz.preset-save')).toHaveLength(1);
    expect(rows.filter((r) => r.action === 'ptz.preset-delete')).toHaveLength(1);
    // The camera's password never leaves the server, not even into the log.
    expect(JSON.stringify(rows)).not.toContain(sim.spec.password);
  });

  it('a preset tour (巡航) runs while nobody steers, pauses under a lock and goes on after it', async () => {
    const bad = await call(s.chengguan, 'PUT', `${CAMERA}/ptz/tour`, { steps: [{ token: '2', dwellSec: 3 }, { token: '99', dwellSec: 3 }], enabled: true });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('steps.1.token');
    const short = await call(s.chengguan, 'PUT', `${CAMERA}/ptz/tour`, { steps: [{ token: '2', dwellSec: 1 }], enabled: true });
    expect(short.statusCode).toBe(400);
    expect((await call(s.chengguan, 'GET', `${CAMERA}/ptz/tour`)).statusCode).toBe(404);

    const saved = await call(s.chengguan, 'PUT', `${CAMERA}/ptz/tour`, { steps: [{ token: '2', dwellSec: 3 }, { token: '3', dwellSec: 3 }], enabled: true });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json<PtzTour>()).toMatchObject({ cameraId: CAMERA, enabled: true, updatedBy: 'chengguan' });
    expect((await call(s.county, 'GET', `${CAMERA}/ptz/tour`)).json<PtzTour>().steps).toHaveLength(2);
    // Nobody holds the lock: preset 2 (pan 0.5), then preset 3 (pan -0.6), then 2 again.
    expect(await until(() => Math.abs(sim.stats().ptz!.pan - 0.5) < 0.01)).toBe(true);
    expect(await until(() => Math.abs(sim.stats().ptz!.pan + 0.6) < 0.01)).toBe(true);
    expect(t.app.ptz.touring(CAMERA)).toBe(true);

    // An operator takes the camera: the tour pauses; releasing it lets the tour go on.
    expect((await call(s.chengguan, 'POST', `${CAMERA}/ptz/home`)).statusCode).toBe(200);
    expect(t.app.ptz.touring(CAMERA)).toBe(false);
    expect(sim.stats().ptz!.pan).toBe(0);
    expect((await call(s.chengguan, 'DELETE', `${CAMERA}/ptz/lock`)).statusCode).toBe(204);
    expect(await until(() => sim.stats().ptz!.pan !== 0)).toBe(true);
    expect(t.app.ptz.touring(CAMERA)).toBe(true);

    expect((await call(s.chengguan, 'DELETE', `${CAMERA}/ptz/tour`)).statusCode).toBe(204);
    expect(t.app.ptz.touring(CAMERA)).toBe(false);
    expect((await call(s.chengguan, 'DELETE', `${CAMERA}/ptz/tour`)).statusCode).toBe(404);
    const rows = (await t.app.inject({ url: '/api/audit?action=ptz.tour*&limit=50', headers: s.admin.headers })).json<AuditPage>().items;
    expect(rows.map((r) => r.action).sort()).toEqual(['ptz.tour-delete', 'ptz.tour-save']);
  });
});
