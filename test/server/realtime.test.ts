import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraPage } from '../../server/contracts/api';
import { pathIds } from '../../server/domain/scope';
import type { CameraStatusEvent, ClientToServerEvents, ReplayResult, ServerToClientEvents } from '../../server/contracts/events';
import { buildTestApp, DEMO, login, type TestApp } from '../helpers/app';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

describe('socket.io realtime, on loopback with real clients', () => {
  let t: TestApp;
  let base: string;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    t = await buildTestApp();
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t.close();
  });

  async function open(cookie?: string, origin?: string): Promise<ClientSocket> {
    const headers: Record<string, string> = {};
    if (cookie) headers.cookie = cookie;
    if (origin) headers.origin = origin;
    const socket: ClientSocket = connect(base, { transports: ['websocket'], extraHeaders: headers, reconnection: false, forceNew: true });
    sockets.push(socket);
    return socket;
  }

  function ready(socket: ClientSocket): Promise<{ username: string; lastSeq: number }> {
    return new Promise((resolve, reject) => {
      socket.once('session:ready', ({ user, lastSeq }) => resolve({ username: user.username, lastSeq }));
      socket.once('connect_error', (err) => reject(err));
    });
  }

  function connected(socket: ClientSocket): Promise<string> {
    return new Promise((resolve, reject) => {
      socket.once('session:ready', ({ user }) => resolve(user.username));
      socket.once('connect_error', (err) => reject(err));
    });
  }

  it('refuses a connection without a session, and one from another origin', async () => {
    await expect(connected(await open())).rejects.toThrow(/unauthorized/);
    const { cookie } = await login(t.app, ...DEMO.county);
    await expect(connected(await open(cookie, 'http://evil.example'))).rejects.toThrow();
  });

  it('delivers a unit’s events to that unit and its ancestors only', async () => {
    const [county, dongcheng, chengguan] = await Promise.all([DEMO.county, DEMO.dongcheng, DEMO.chengguan].map(([user, password]) => login(t.app, user, password)));
    const [sCounty, sDong, sCheng] = await Promise.all([county, dongcheng, chengguan].map((l) => open(l.cookie)));
    expect(await Promise.all([sCounty, sDong, sCheng].map(connected))).toEqual(['county', 'dongcheng', 'chengguan']);

    const received = { county: [] as CameraStatusEvent[], dongcheng: [] as CameraStatusEvent[], chengguan: [] as CameraStatusEvent[] };
    sCounty.on('camera:status', (e) => received.county.push(e));
    sDong.on('camera:status', (e) => received.dongcheng.push(e));
    sCheng.on('camera:status', (e) => received.chengguan.push(e));

    const cam = (await t.app.inject({ url: '/api/cameras?limit=1', headers: dongcheng.headers })).json<CameraPage>().items[0];
    const { orgPath } = (await t.app.repos.cameras.byId(cam.id))!;
    const event = await t.app.realtime.publish(orgPath, 'camera:status', {
      cameraId: cam.id, orgUnitId: cam.orgUnitId, orgUnitPath: pathIds(orgPath), previousStatus: 'unknown', status: 'offline', reason: 'refused', lastSeenAt: null,
    });
    expect(event.seq).toBeGreaterThan(0);

    // A round trip on each socket after the emit proves anything that was coming has arrived.
    await Promise.all([sCounty, sDong, sCheng].map((s) => new Promise((r) => s.emit('ping', r))));
    expect(received.county).toEqual([event]);
    expect(received.dongcheng).toEqual([event]);
    expect(received.chengguan).toEqual([]);
  });

  it('replays what a client missed while disconnected, within its scope only', async () => {
    const [dongcheng, chengguan] = await Promise.all([DEMO.dongcheng, DEMO.chengguan].map(([u, p]) => login(t.app, u, p)));
    const first = await open(dongcheng.cookie);
    const { lastSeq } = await ready(first);
    first.close();

    const cams = (await t.app.inject({ url: '/api/cameras?limit=3', headers: dongcheng.headers })).json<CameraPage>().items;
    const published: CameraStatusEvent[] = [];
    for (const cam of cams) {
      const { orgPath } = (await t.app.repos.cameras.byId(cam.id))!;
      published.push(await t.app.realtime.publish(orgPath, 'camera:status', {
        cameraId: cam.id, orgUnitId: cam.orgUnitId, orgUnitPath: pathIds(orgPath), previousStatus: 'unknown', status: 'online', reason: null, lastSeenAt: new Date().toISOString(),
      }));
    }

    const again = await open(dongcheng.cookie);
    await ready(again);
    const replay = await new Promise<ReplayResult>((r) => again.emit('events:since', lastSeq, r));
    expect(replay.more).toBe(false);
    expect(replay.events.map((e) => e.payload)).toEqual(published);
    expect(replay.events.every((e) => e.event === 'camera:status')).toBe(true);

    const other = await open(chengguan.cookie);
    await ready(other);
    const none = await new Promise<ReplayResult>((r) => other.emit('events:since', lastSeq, r));
    expect(none.events).toEqual([]);
  });
});
