// Recording plans over HTTP: a camera's weekly schedule and event rolls, 400 naming the field, defaults per network
// and unit with the effective plan and its source per camera (camera > unit > network > off), events audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPOUND_NAME } from '../../server/demo/county';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';

const week = (day: { from: string; to: string }[]) => ({ days: [day, [], [], [], [], [], []] });

describe('recording plan routes', () => {
  let t: TestApp;
  let cameraId: number;
  let network: string;
  let compoundId: number;
  let townshipId: number;
  const as: Record<string, Login> = {};

  beforeAll(async () => {
    t = await buildTestApp();
    for (const name of ['county', 'dongcheng', 'chengguan', 'village'] as const) as[name] = await login(t.app, ...(DEMO[name] as [string, string]));
    const units = await t.app.repos.orgUnits.subtree('/');
    const compound = units.find((u) => u.name === COMPOUND_NAME)!;
    compoundId = compound.id;
    townshipId = units.find((u) => u.level === 'township' && compound.path.startsWith(u.path))!.id;
    const cam = (await t.app.db.get<{ id: number; network: string }>('SELECT id, network FROM cameras WHERE org_path LIKE ? ORDER BY id LIMIT 1', [`${compound.path}%`]))!;
    cameraId = cam.id;
    network = cam.network;
  });
  afterAll(() => t.close());

  const put = (who: string, url: string, payload: unknown) => t.app.inject({ method: 'PUT', url, headers: as[who]!.headers, payload: payload as object });
  const settings = async (who = 'dongcheng') => (await t.app.inject({ url: `/api/recordings/${cameraId}/settings`, headers: as[who]!.headers })).json();

  it('sets a weekly schedule and event rolls, and names the field of a bad plan', async () => {
    const plan = week([{ from: '08:00', to: '18:00' }]);
    const ok = await put('dongcheng', `/api/recordings/${cameraId}/settings`, { mode: 'schedule', schedule: plan, retentionDays: 5 });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ mode: 'schedule', source: 'camera', own: { mode: 'schedule', schedule: plan, retentionDays: 5 }, effective: { mode: 'schedule' } });
    expect(['standby', 'waiting', 'recording']).toContain(ok.json().state);
    expect(ok.json().nextChange).toEqual(expect.any(String));

    const bad = async (payload: unknown) => (await put('dongcheng', `/api/recordings/${cameraId}/settings`, payload)).json();
    expect(await bad({ mode: 'schedule', schedule: week([{ from: '10:00', to: '09:00' }]) })).toMatchObject({ field: 'schedule.days[0][0].to' });
    expect(await bad({ mode: 'schedule', schedule: week([{ from: '08:00', to: '12:00' }, { from: '11:00', to: '13:00' }]) })).toMatchObject({ field: 'schedule.days[0][1].from' });
    expect(await bad({ mode: 'event', preRollSec: 9999 })).toMatchObject({ statusCode: 400 });
    expect(JSON.stringify(await bad({ mode: 'event', preRollSec: 9999 }))).toContain('preRollSec');
    expect(await bad({ mode: 'sometimes' })).toMatchObject({ statusCode: 400 });
    // A schedule without a plan: the camera's earlier plan is kept; a camera with none is refused.
    const other = (await t.app.db.get<{ id: number }>('SELECT id FROM cameras WHERE org_path LIKE (SELECT path FROM org_units WHERE id = ?) || \'%\' AND id <> ? ORDER BY id LIMIT 1', [compoundId, cameraId]))!.id;
    expect((await put('dongcheng', `/api/recordings/${other}/settings`, { mode: 'schedule' })).json()).toMatchObject({ field: 'schedule' });

    const ev = await put('dongcheng', `/api/recordings/${cameraId}/settings`, { mode: 'event', preRollSec: 10, postRollSec: 20 });
    expect(ev.json()).toMatchObject({ mode: 'event', effective: { preRollSec: 10, postRollSec: 20, schedule: plan }, state: expect.stringMatching(/standby|waiting/), pinned: true });
    const event = await t.app.inject({ method: 'POST', url: `/api/recordings/${cameraId}/events`, headers: as.dongcheng!.headers, payload: { reason: 'alarm' } });
    expect(event.statusCode).toBe(200);
    const { from, to } = event.json();
    expect(Date.parse(to) - Date.parse(from)).toBe(30_000);
    expect((await settings()).holdUntil).toBe(to);
    const audit = await t.app.db.get<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'recording.event' AND target_id = ?", [String(cameraId)]);
    expect(JSON.parse(audit!.detail)).toMatchObject({ from, to, reason: 'alarm' });
    expect((await t.app.inject({ method: 'POST', url: `/api/recordings/${cameraId}/events`, headers: as.chengguan!.headers, payload: {} })).statusCode).toBe(404);
  });

  it('applies defaults camera > unit > network > off and shows the source', async () => {
    // The first test's event still records its post-roll (30 s): end it here, its pin would hide the plans'.
    t.app.recordings.recorder.forget(cameraId);
    // Back to inheriting: nothing set anywhere, so off.
    const inherit = await put('dongcheng', `/api/recordings/${cameraId}/settings`, { mode: 'inherit' });
    expect(inherit.json()).toMatchObject({ own: null, source: 'none', mode: 'off', state: 'off' });

    // Network defaults are the county's.
    expect((await put('dongcheng', `/api/recordings/defaults/network/${network}`, { mode: 'continuous' })).statusCode).toBe(403);
    expect((await put('county', '/api/recordings/defaults/network/nosuchnet', { mode: 'continuous' })).statusCode).toBe(404);
    const net = await put('county', `/api/recordings/defaults/network/${network}`, { mode: 'event', postRollSec: 15 });
    expect(net.statusCode).toBe(200);
    expect(net.json().recorded).toBeGreaterThan(0);
    expect(await settings()).toMatchObject({ source: 'network', mode: 'event', effective: { postRollSec: 15 } });
    expect(t.app.relays.manager.isPinned(cameraId)).toBe(true);

    // The township's default beats the network's; the compound's (nearer) beats the township's.
    expect((await put('chengguan', `/api/recordings/defaults/unit/${townshipId}`, { mode: 'continuous' })).statusCode).toBe(404);
    expect((await put('dongcheng', `/api/recordings/defaults/unit/${townshipId}`, { mode: 'schedule', schedule: week([{ from: '10:00', to: '09:00' }]) })).json())
      .toMatchObject({ field: 'schedule.days[0][0].to' });
    await put('dongcheng', `/api/recordings/defaults/unit/${townshipId}`, { mode: 'continuous', retentionDays: 30 });
    expect(await settings()).toMatchObject({ source: 'unit', sourceUnitId: townshipId, mode: 'continuous', retentionDays: 30 });
    await put('dongcheng', `/api/recordings/defaults/unit/${compoundId}`, { mode: 'off' });
    expect(await settings('village')).toMatchObject({ source: 'unit', sourceUnitId: compoundId, mode: 'off', state: 'off' });
    expect(t.app.relays.manager.isPinned(cameraId)).toBe(false);

    // The camera's own setting beats them all.
    await put('dongcheng', `/api/recordings/${cameraId}/settings`, { mode: 'continuous' });
    expect(await settings()).toMatchObject({ source: 'camera', mode: 'continuous' });

    const listed = (await t.app.inject({ url: '/api/recordings/defaults', headers: as.dongcheng!.headers })).json() as { scope: string; key: string }[];
    expect(listed.map((d) => `${d.scope}:${d.key}`).sort()).toEqual([`network:${network}`, `unit:${compoundId}`, `unit:${townshipId}`].sort());
    // Another township sees the network's default, not dongcheng's units'.
    const theirs = (await t.app.inject({ url: '/api/recordings/defaults', headers: as.chengguan!.headers })).json() as { scope: string }[];
    expect(theirs.map((d) => d.scope)).toEqual(['network']);

    // Removing the compound's default lets the township's apply again (after the camera inherits).
    await put('dongcheng', `/api/recordings/${cameraId}/settings`, { mode: 'inherit' });
    expect((await t.app.inject({ method: 'DELETE', url: `/api/recordings/defaults/unit/${compoundId}`, headers: as.dongcheng!.headers })).statusCode).toBe(200);
    expect(await settings()).toMatchObject({ source: 'unit', sourceUnitId: townshipId, mode: 'continuous' });
    expect(t.app.relays.manager.isPinned(cameraId)).toBe(true);

    // Retention follows the effective plan: a recording 10 days old stays under the township's 30 days and goes
    // once the compound's default says 5 (the global default, 7, is neither).
    const tenDaysAgo = Date.now() - 10 * 86400_000;
    const fileId = await t.app.repos.recordings.insertFile({ cameraId, stream: 'main', kind: 'record', path: `${cameraId}/old.ts`, format: 'mpegts', startMs: tenDaysAgo - 600_000 });
    await t.app.repos.recordings.insertSegments([], [{ id: fileId, endMs: tenDaysAgo, bytes: 0, sealed: true }]);
    const expired = async () => (await t.app.repos.recordings.retentionExpired(Date.now(), 7)).map((f) => f.id);
    expect(await expired()).not.toContain(fileId);
    await put('dongcheng', `/api/recordings/defaults/unit/${compoundId}`, { mode: 'continuous', retentionDays: 5 });
    expect(await expired()).toContain(fileId);

    // A camera moved out of the compound falls under the township's default at once (the recorder is told).
    await put('dongcheng', `/api/recordings/defaults/unit/${compoundId}`, { mode: 'event' });
    expect(t.app.recordings.recorder.state(cameraId).mode).toBe('event');
    const otherVillage = (await t.app.repos.orgUnits.findByCode('339901002002'))!.id;
    const moved = await t.app.inject({ method: 'PATCH', url: `/api/cameras/${cameraId}`, headers: as.dongcheng!.headers, payload: { orgUnitId: otherVillage } });
    expect(moved.statusCode).toBe(200);
    expect(t.app.recordings.recorder.state(cameraId).mode).toBe('continuous');
    expect(await settings()).toMatchObject({ source: 'unit', sourceUnitId: townshipId });

    const audits = await t.app.db.all<{ target_type: string }>("SELECT target_type FROM audit_log WHERE action = 'recording.settings'");
    expect(new Set(audits.map((a) => a.target_type))).toEqual(new Set(['camera', 'network', 'unit']));
  });
});
