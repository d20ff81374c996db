// Unicast WS-Discovery and ONVIF interrogation as a job, against simulated cameras on loopback
// (this file's simulator indexes: 4050–4099), through the API, with results reviewed and added.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Camera, CameraPage } from '../../server/contracts/api';
import type { DiscoveryJob, DiscoveryJobDetail } from '../../server/contracts/catalogue';
import { expandTargets } from '../../server/discovery/ws-discovery/targets';
import { planCamera, type SimCamera, simHost, startCamera } from '../../scripts/simulator/index';
import { WsDiscoveryResponder } from '../../scripts/simulator/ws-discovery';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';

const cams: SimCamera[] = [];
let notOnvif: Server;
let fakeResponder: WsDiscoveryResponder;
let t: TestApp;
let county: Login;
const host = (i: number) => simHost(i);

beforeAll(async () => {
  const plan = (index: number, ptz = false) => planCamera({ index, name: `发现-${index}`, network: 'skynet', orgUnitCode: '339901001', ptz });
  cams.push(...(await Promise.all([plan(4050, true), plan(4051), plan(4052), plan(4053), plan(4054)].map((p) => startCamera(p)))));
  cams[2].setFault({ kind: 'wrong-password' });
  cams[3].setFault({ kind: 'garbage-soap' });
  cams[4].setFault({ kind: 'slow', delayMs: 4000 });
  // 4055: answers WS-Discovery, but its "device service" is a plain web server.
  notOnvif = createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Not Found</body></html>'));
  await new Promise<void>((r) => notOnvif.listen(8000, host(4055), r));
  fakeResponder = new WsDiscoveryResponder({ id: 'web-4055', host: host(4055), xaddr: `http://${host(4055)}:8000/onvif/device_service`, scopes: [] }, false);
  await fakeResponder.start();
  t = await buildTestApp();
  county = await login(t.app, ...DEMO.county);
});
afterAll(async () => {
  await t?.close();
  await fakeResponder?.stop();
  await new Promise((r) => notOnvif?.close(r));
  await Promise.all(cams.map((c) => c.close()));
});

async function runJob(body: Record<string, unknown>, who = county): Promise<DiscoveryJobDetail> {
  const res = await t.app.inject({ method: 'POST', url: '/api/discovery/jobs', headers: who.headers, payload: body });
  expect(res.statusCode, res.body).toBe(202);
  const job = res.json<DiscoveryJob>();
  expect(job.state).toBe('running');
  await t.app.discovery.settled(job.id);
  return (await t.app.inject({ url: `/api/discovery/jobs/${job.id}`, headers: { cookie: who.cookie } })).json<DiscoveryJobDetail>();
}

describe('targets', () => {
  it('expands addresses, short and long ranges and CIDR blocks; refuses multicast and huge sweeps', () => {
    expect(expandTargets(['10.0.0.1', '10.0.0.3-5', '10.0.1.254-10.0.2.1', '10.0.3.0/30'])).toEqual([
      '10.0.0.1', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.1.254', '10.0.1.255', '10.0.2.0', '10.0.2.1', '10.0.3.1', '10.0.3.2',
    ]);
    expect(() => expandTargets(['239.255.255.250'])).toThrow(/multicast/);
    expect(() => expandTargets(['10.0.0.0/8'])).toThrow(/more than 4096/);
    expect(() => expandTargets(['cam.local'])).toThrow(/not an IPv4/);
  });
});

describe('ONVIF discovery jobs', () => {
  let firstJob: DiscoveryJobDetail;

  it('probes a range, interrogates what answers, and gives a reason for each failure', async () => {
    const last = host(4059).split('.').pop();
    firstJob = await runJob({
      targets: [`${host(4050)}-${last}`], timeoutMs: 1500, concurrency: 10,
      credentials: { username: 'admin', password: cams[0].spec.password },
    });
    const { job, results } = firstJob;
    expect(job).toMatchObject({ state: 'done', probed: 10, total: 10, found: 1, failed: 5 });
    const by = Object.fromEntries(results.map((r) => [r.address, r]));
    expect(by[host(4050)]).toMatchObject({
      state: 'found', failure: null, manufacturer: expect.any(String), serial: 'sim-04050', ptz: true,
      streamUri: cams[0].rtspUrl, snapshotUri: cams[0].snapshotUrl, xaddr: cams[0].onvifXAddr, cameraId: null,
      suggestedName: expect.any(String),
    });
    expect(by[host(4050)].profiles[0]).toMatchObject({ encoding: 'H264', width: 1280, height: 720 });
    expect(by[host(4050)].endpointRef).toMatch(/^urn:uuid:/);
    expect(by[host(4051)]).toMatchObject({ state: 'failed', failure: 'not-authorized' });
    expect(by[host(4052)]).toMatchObject({ state: 'failed', failure: 'not-authorized' });
    expect(by[host(4053)]).toMatchObject({ state: 'failed', failure: 'bad-response' });
    expect(by[host(4054)]).toMatchObject({ state: 'failed', failure: 'timeout' });
    expect(by[host(4055)]).toMatchObject({ state: 'failed', failure: 'not-onvif' });
    expect(JSON.stringify(results)).not.toContain(cams[0].spec.password);
  });

  it('pushed progress and each result to the owner’s unit', async () => {
    const county = (await t.app.repos.orgUnits.findByCode('339901'))!;
    const events = await t.app.repos.events.since(county.path, 0, 1000);
    const mine = events.filter((e) => 'jobId' in e.payload && e.payload.jobId === firstJob.job.id);
    const results = mine.filter((e) => e.event === 'discovery:result');
    const progress = mine.filter((e) => e.event === 'discovery:progress');
    expect(results).toHaveLength(6);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[progress.length - 1].payload).toMatchObject({ state: 'done', probed: 10, found: 1, failed: 5 });
    // A township officer sees neither the county's job nor its events.
    const township = await login(t.app, ...DEMO.chengguan);
    expect((await t.app.inject({ url: `/api/discovery/jobs/${firstJob.job.id}`, headers: { cookie: township.cookie } })).statusCode).toBe(404);
    const chengguan = (await t.app.repos.orgUnits.findByCode('339901001'))!;
    expect((await t.app.repos.events.since(chengguan.path, 0, 1000)).some((e) => e.event.startsWith('discovery:'))).toBe(false);
  });

  it('adds a reviewed device with network, unit and name; re-discovery matches it instead of duplicating', async () => {
    const result = firstJob.results.find((r) => r.address === host(4050))!;
    const unit = (await t.app.repos.orgUnits.findByCode('339901002'))!;
    const add = await t.app.inject({
      method: 'POST', url: `/api/discovery/jobs/${firstJob.job.id}/add`, headers: county.headers,
      payload: { items: [{ resultId: result.id, network: 'traffic', orgUnitId: unit.id, name: '东城街道发现一号' }] },
    });
    expect(add.statusCode, add.body).toBe(200);
    const { added } = add.json() as { added: Array<{ cameraId: number }> };
    expect(added).toHaveLength(1);
    const cam = (await t.app.inject({ url: `/api/cameras/${added[0].cameraId}`, headers: { cookie: county.cookie } })).json<Camera>();
    expect(cam).toMatchObject({
      name: '东城街道发现一号', network: 'traffic', externalId: 'sim-04050', sourceKind: 'onvif', endpoint: cams[0].onvifXAddr,
      ptz: true, hasCredentials: true, status: 'online', width: 1280,
    });
    expect(await t.app.repos.cameras.source(cam.id)).toMatchObject({ url: cams[0].rtspUrl, password: cams[0].spec.password });

    const failed = firstJob.results.find((r) => r.address === host(4053))!;
    const refused = await t.app.inject({
      method: 'POST', url: `/api/discovery/jobs/${firstJob.job.id}/add`, headers: county.headers,
      payload: { items: [{ resultId: failed.id, network: 'traffic', orgUnitId: unit.id }] },
    });
    expect(refused.json()).toMatchObject({ statusCode: 400, field: 'items.0.resultId' });

    const before = await t.app.repos.cameras.count();
    const again = await runJob({ targets: [host(4050)], timeoutMs: 1500, credentials: { username: 'admin', password: cams[0].spec.password } });
    expect(again.results[0]).toMatchObject({ state: 'found', cameraId: cam.id });
    const re = await t.app.inject({
      method: 'POST', url: `/api/discovery/jobs/${again.job.id}/add`, headers: county.headers,
      payload: { items: [{ resultId: again.results[0].id, network: 'traffic', orgUnitId: unit.id }] },
    });
    expect(re.json()).toMatchObject({ added: [], updated: [{ cameraId: cam.id }] });
    expect(await t.app.repos.cameras.count()).toBe(before);
    const page = (await t.app.inject({ url: '/api/cameras?q=sim-04050', headers: { cookie: county.cookie } })).json<CameraPage>();
    expect(page.total).toBe(1);
  });

  it('answers bad requests with 400 naming the field', async () => {
    const post = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/discovery/jobs', headers: county.headers, payload });
    expect((await post({ targets: ['239.255.255.250'] })).json()).toMatchObject({ statusCode: 400, field: 'targets' });
    expect((await post({})).json()).toMatchObject({ statusCode: 400, field: 'targets' });
    expect((await post({ mode: 'multicast', interface: 'no-such-if0' })).json()).toMatchObject({ statusCode: 400, field: 'interface' });
    expect((await post({ targets: ['127.0.0.1'], timeoutMs: 5 })).json()).toMatchObject({ statusCode: 400, field: 'timeoutMs' });
  });
});
