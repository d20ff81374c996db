// RTSP probe against simulated cameras on loopback (this file's simulator indexes: 4000–4049).
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Camera } from '../../server/contracts/api';
import { probeRtsp } from '../../server/discovery/rtsp-probe';
import { planCamera, type SimCamera, simHost, startCamera } from '../../scripts/simulator/index';
import { buildTestApp, DEMO, login, type TestApp } from '../helpers/app';

const cams: Record<string, SimCamera> = {};
let silent: Server;
let silentPort = 0;
const peers = new Set<Socket>();

beforeAll(async () => {
  const plan = (index: number) => planCamera({ index, name: `probe-${index}`, network: 'skynet', orgUnitCode: '339901001' });
  [cams.h264, cams.aac, cams.h265, cams.pcma, cams.faulty] = await Promise.all([4000, 4005, 4015, 4020, 4001].map((i) => startCamera(plan(i))));
  // A TCP peer that accepts and never says a word: the timeout case.
  silent = createServer((socket) => {
    peers.add(socket);
    socket.resume(); // read (and drop) so the client's FIN is seen
    socket.on('close', () => peers.delete(socket));
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentPort = (silent.address() as { port: number }).port;
});
afterAll(async () => {
  await Promise.all(Object.values(cams).map((c) => c.close()));
  for (const p of peers) p.destroy();
  await new Promise((r) => silent.close(r));
});

const creds = (c: SimCamera, password = c.spec.password) => ({ username: c.spec.username, password });

describe('RTSP probe', () => {
  it('reports H.264 codec, resolution from the SPS and Digest auth', async () => {
    const r = await probeRtsp(cams.h264.rtspUrl, { credentials: creds(cams.h264) });
    expect(r).toMatchObject({ ok: true, auth: 'digest', video: { codec: 'h264', width: 1280, height: 720, fps: 25 }, audio: null });
  });

  it('reads cropped sizes, H.265 and the audio codecs', async () => {
    const aac = await probeRtsp(cams.aac.rtspUrl, { credentials: creds(cams.aac) });
    expect(aac).toMatchObject({ ok: true, video: { codec: 'h264', width: 640, height: 360 }, audio: { codec: 'aac' } });
    const h265 = await probeRtsp(cams.h265.rtspUrl, { credentials: creds(cams.h265) });
    expect(h265).toMatchObject({ ok: true, video: { codec: 'h265', width: 640, height: 360 } });
    const pcma = await probeRtsp(cams.pcma.rtspUrl, { credentials: creds(cams.pcma) });
    expect(pcma).toMatchObject({ ok: true, audio: { codec: 'pcma', sampleRate: 8000, channels: 1 } });
  });

  it('takes credentials from the URL but never reports them', async () => {
    const u = new URL(cams.h264.rtspUrl);
    u.username = cams.h264.spec.username;
    u.password = cams.h264.spec.password;
    const r = await probeRtsp(u.toString());
    expect(r.ok).toBe(true);
    expect(r.url).toBe(cams.h264.rtspUrl);
    expect(JSON.stringify(r)).not.toContain(cams.h264.spec.password);
  });

  it('says unauthorized for a wrong or missing password, without echoing it', async () => {
    const wrong = await probeRtsp(cams.h264.rtspUrl, { credentials: creds(cams.h264, 'not-it-123') });
    expect(wrong).toMatchObject({ ok: false, error: 'unauthorized', status: 401 });
    expect(JSON.stringify(wrong)).not.toContain('not-it-123');
    const none = await probeRtsp(cams.h264.rtspUrl);
    expect(none).toMatchObject({ ok: false, error: 'unauthorized' });
    expect(none.message).toMatch(/requires credentials/);
    cams.faulty.setFault({ kind: 'wrong-password' });
    const fault = await probeRtsp(cams.faulty.rtspUrl, { credentials: creds(cams.faulty) });
    expect(fault).toMatchObject({ ok: false, error: 'unauthorized' });
  });

  it('tells refused, timeout, not RTSP and no such stream apart', async () => {
    const refused = await probeRtsp(`rtsp://${simHost(4049)}:8554/stream1`, { timeoutMs: 2000 });
    expect(refused).toMatchObject({ ok: false, error: 'refused' });
    const timeout = await probeRtsp(`rtsp://127.0.0.1:${silentPort}/x`, { timeoutMs: 600 });
    expect(timeout).toMatchObject({ ok: false, error: 'timeout' });
    const http = await probeRtsp(`rtsp://${cams.h264.spec.host}:${cams.h264.spec.onvifPort}/onvif/device_service`, { timeoutMs: 2000 });
    expect(http).toMatchObject({ ok: false, error: 'not-rtsp' });
    expect(http.message).toMatch(/HTTP\/1\.1/);
    const missing = await probeRtsp(cams.h264.rtspUrl.replace('stream1', 'nope'), { credentials: creds(cams.h264) });
    expect(missing.ok).toBe(false);
    expect(['not-found', 'bad-response']).toContain(missing.error);
  });

  it('times out on a slow camera', async () => {
    cams.faulty.setFault({ kind: 'slow', delayMs: 3000 });
    await cams.faulty.settled();
    const r = await probeRtsp(cams.faulty.rtspUrl, { credentials: creds(cams.faulty), timeoutMs: 700 });
    expect(r).toMatchObject({ ok: false, error: 'timeout' });
    cams.faulty.setFault({ kind: 'none' });
  });
});

describe('RTSP cameras by URL, through the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('probes, adds the camera with codec and size, keeps credentials apart; refuses duplicates and other areas', async () => {
    const s = await login(t.app, ...DEMO.chengguan);
    const chengguan = (await t.app.repos.orgUnits.findByCode('339901001'))!;
    const probe = await t.app.inject({ method: 'POST', url: '/api/discovery/rtsp/probe', headers: s.headers, payload: { url: cams.h265.rtspUrl, credentials: creds(cams.h265) } });
    expect(probe.json()).toMatchObject({ ok: true, video: { codec: 'h265' } });

    const body = { url: cams.h264.rtspUrl, credentials: creds(cams.h264), name: '城关镇RTSP口', network: 'traffic', orgUnitId: chengguan.id };
    const add = await t.app.inject({ method: 'POST', url: '/api/discovery/rtsp/cameras', headers: s.headers, payload: body });
    expect(add.statusCode).toBe(201);
    const { cameraId } = add.json() as { cameraId: number };
    const cam = (await t.app.inject({ url: `/api/cameras/${cameraId}`, headers: { cookie: s.cookie } })).json<Camera>();
    expect(cam).toMatchObject({ sourceKind: 'rtsp', endpoint: cams.h264.rtspUrl, status: 'online', codec: 'h264', width: 1280, height: 720, hasCredentials: true });
    expect(JSON.stringify(cam)).not.toContain(cams.h264.spec.password);
    expect(await t.app.repos.cameras.source(cameraId)).toMatchObject({ password: cams.h264.spec.password });

    const dup = await t.app.inject({ method: 'POST', url: '/api/discovery/rtsp/cameras', headers: s.headers, payload: body });
    expect(dup.statusCode).toBe(409);
    const dongcheng = (await t.app.repos.orgUnits.findByCode('339901002'))!;
    const other = await t.app.inject({ method: 'POST', url: '/api/discovery/rtsp/cameras', headers: s.headers, payload: { ...body, orgUnitId: dongcheng.id, externalId: 'x' } });
    expect(other.statusCode).toBe(404);
    const bad = await t.app.inject({ method: 'POST', url: '/api/discovery/rtsp/cameras', headers: s.headers, payload: { ...body, externalId: 'y', credentials: creds(cams.h264, 'nope-pw') } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: 'url' });
    expect(bad.body).toMatch(/unauthorized/);
    const noScheme = await t.app.inject({ method: 'POST', url: '/api/discovery/rtsp/probe', headers: s.headers, payload: { url: 'http://x/y' } });
    expect(noScheme.json()).toMatchObject({ statusCode: 400, field: 'url' });
  });
});
