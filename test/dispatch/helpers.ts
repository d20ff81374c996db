// Shared set-up for the dispatch integration tests: the demo county, logged-in officers, the units and cameras the
// scenarios use, and a real JPEG frame as evidence.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Danger, TaskSummary } from '../../server/contracts/dispatch';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';

export const FRAME = readFileSync(join(import.meta.dirname, 'fixtures/frame.jpg'));
export const FRAME_B64 = FRAME.toString('base64');

export interface World {
  t: TestApp;
  county: Login;
  dongcheng: Login;
  chengguan: Login;
  village: Login;
  units: { county: number; dongcheng: number; chengguan: number; dongfeng: number; otherDongchengVillage: number; chengguanVillage: number };
  cameras: { dongfeng: number; chengguan: number };
  /** The demo village of user `village` (339901002001), by its name in the generated county. */
  villageName: string;
}

export async function buildWorld(): Promise<World> {
  const t = await buildTestApp({ dispatch: { overdueScanSec: 0 } });
  const [county, dongcheng, chengguan, village] = await Promise.all(
    [DEMO.county, DEMO.dongcheng, DEMO.chengguan, DEMO.village].map(([u, p]) => login(t.app, u, p)),
  );
  const unit = async (code: string) => (await t.app.repos.orgUnits.findByCode(code))!;
  const [c, dc, cg, df, dc2, cgv] = await Promise.all(['339901', '339901002', '339901001', '339901002001', '339901002002', '339901001001'].map(unit));
  const firstCamera = async (path: string) => (await t.app.repos.cameras.list(path, { limit: 1 })).items[0].id;
  return {
    t, county, dongcheng, chengguan, village,
    units: { county: c.id, dongcheng: dc.id, chengguan: cg.id, dongfeng: df.id, otherDongchengVillage: dc2.id, chengguanVillage: cgv.id },
    cameras: { dongfeng: await firstCamera(df.path), chengguan: await firstCamera(cg.path) },
    villageName: df.name,
  };
}

export function api(t: TestApp) {
  const call = async <T = unknown>(who: Login, method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const res = await t.app.inject({ method, url, headers: who.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: (String(res.headers['content-type'] ?? '').includes('json') ? res.json() : undefined) as T, raw: res };
  };
  return {
    get: <T = unknown>(who: Login, url: string) => call<T>(who, 'GET', url),
    post: <T = unknown>(who: Login, url: string, payload: unknown = {}) => call<T>(who, 'POST', url, payload),
  };
}

export function dangerBody(cameraId: number, extra: Record<string, unknown> = {}) {
  return { cameraId, capturedAt: new Date().toISOString(), category: 'fire', severity: 'major', note: '楼道堆放杂物', evidenceJpeg: FRAME_B64, ...extra };
}

/** Tags a danger and dispatches it from the county to 东城街道; returns both. */
export async function dangerAtDongcheng(w: World, extra: Record<string, unknown> = {}): Promise<{ danger: Danger; task: TaskSummary }> {
  const { post } = api(w.t);
  const created = await post<Danger>(w.county, '/api/dangers', dangerBody(w.cameras.dongfeng, extra));
  if (created.status !== 201) throw new Error(`create: ${created.status} ${created.raw.body}`);
  const sent = await post<TaskSummary>(w.county, `/api/dangers/${created.body.id}/dispatch`, { toUnitId: w.units.dongcheng, note: '请尽快处置' });
  if (sent.status !== 201) throw new Error(`dispatch: ${sent.status} ${sent.raw.body}`);
  return { danger: created.body, task: sent.body };
}
