// A discovery job may name a credential profile instead of typing credentials (the devices view offers both).
// Simulated camera at index 3840 (this engineer's range 3800–3849), on TEST_SIMULATOR_NET.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscoveryJob, DiscoveryJobDetail } from '../../server/contracts/catalogue';
import { planCamera, simHost, startCamera, type SimCamera } from '../../scripts/simulator/index';
import { buildTestApp, DEMO, login, TEST_SIMULATOR_NET, type Login, type TestApp } from '../helpers/app';

describe('discovery with a credential profile', () => {
  let t: TestApp;
  let county: Login;
  let cam: SimCamera;
  const host = simHost(3840, TEST_SIMULATOR_NET);

  beforeAll(async () => {
    cam = await startCamera(planCamera({ index: 3840, name: '凭据-3840', network: 'skynet', orgUnitCode: '339901001' }, TEST_SIMULATOR_NET));
    t = await buildTestApp();
    county = await login(t.app, ...DEMO.county);
    const saved = await t.app.inject({
      method: 'PUT', url: '/api/catalogue/credentials/site-a', headers: county.headers, payload: { username: 'admin', password: cam.spec.password },
    });
    expect(saved.statusCode).toBe(204);
  });
  afterAll(async () => {
    await t?.close();
    await cam?.close();
  });

  const start = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/discovery/jobs', headers: county.headers, payload });

  it('interrogates the device with the profile’s credentials, and adding it stores them on the camera', async () => {
    const res = await start({ targets: [host], timeoutMs: 2000, credentialRef: 'site-a' });
    expect(res.statusCode, res.body).toBe(202);
    const job = res.json<DiscoveryJob>();
    await t.app.discovery.settled(job.id);
    const detail = (await t.app.inject({ url: `/api/discovery/jobs/${job.id}`, headers: county.headers })).json<DiscoveryJobDetail>();
    expect(detail.job).toMatchObject({ state: 'done', found: 1, failed: 0 });
    expect(detail.results[0]).toMatchObject({ state: 'found', serial: 'sim-03840', streamUri: cam.rtspUrl });
    const unit = (await t.app.repos.orgUnits.findByCode('339901001'))!;
    const added = await t.app.inject({
      method: 'POST', url: `/api/discovery/jobs/${job.id}/add`, headers: county.headers,
      payload: { items: [{ resultId: detail.results[0].id, network: 'skynet', orgUnitId: unit.id }] },
    });
    expect(added.statusCode, added.body).toBe(200);
    const cameraId = added.json<{ added: Array<{ cameraId: number }> }>().added[0].cameraId;
    const camera = (await t.app.inject({ url: `/api/cameras/${cameraId}`, headers: county.headers })).json<{ hasCredentials: boolean }>();
    expect(camera.hasCredentials).toBe(true);
  });

  it('refuses an unknown profile, and credentials given twice', async () => {
    const unknown = await start({ targets: [host], credentialRef: 'nope' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ field: 'credentialRef' });
    const both = await start({ targets: [host], credentialRef: 'site-a', credentials: { username: 'a', password: 'b' } });
    expect(both.statusCode).toBe(400);
    expect(both.json()).toMatchObject({ field: 'credentialRef' });
  });
});
