// Device playback (设备回放) end to end against the simulator's Profile G: the search finds the camera's SD-card
// recording, the replay playlist's first segment decodes and is dated within a few seconds of the asked start,
// the replay runs on a relay of its own (the camera's live relays untouched), scope (404 outside the area), audit
// (playback.open with source 'device'), a network's playback URL template, and a camera with neither way told apart.
// Simulator indexes reserved for this file: 4501–4509 (cameras added to 东城小区, 东城街道).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onvifXAddr, planCamera, rtspUrl, startCamera, type SimCamera } from '../../scripts/simulator';
import type { DeviceRecordings } from '../../server/contracts/recordings';
import { COMPOUND_NAME } from '../../server/demo/county';
import { DEVICE_RELAY_BASE } from '../../server/media';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';
import { HAVE_FFPROBE, probe } from '../media/helpers/ffprobe';

const ONVIF = 4501;
const TEMPLATE = 4502;
const NEITHER = 4503;

describe('device playback (ONVIF Profile G) through the gateway', () => {
  let t: TestApp;
  let dongcheng: Login, chengguan: Login;
  const cams = new Map<number, SimCamera>();
  const ids = new Map<number, number>();

  beforeAll(async () => {
    const networks = (JSON.parse(readFileSync('config/default.json', 'utf8')) as { networks: Array<Record<string, string>> }).networks
      .map((n) => (n.key === 'traffic' ? { ...n, rtspPlaybackTemplate: 'rtsp://{host}:{port}/recording?starttime={startCompact}&endtime={endCompact}' } : n));
    t = await buildTestApp({ networks, media: { idleTimeoutSec: 30, stallTimeoutSec: 5, maxRelays: 6, segmentFormat: 'mpegts' } });
    [dongcheng, chengguan] = await Promise.all([login(t.app, ...DEMO.dongcheng), login(t.app, ...DEMO.chengguan)]);
    const compound = (await t.app.repos.orgUnits.subtree('/')).find((u) => u.name === COMPOUND_NAME)!;
    for (const [index, network, kind] of [[ONVIF, 'skynet', 'onvif'], [TEMPLATE, 'traffic', 'rtsp'], [NEITHER, 'skynet', 'rtsp']] as const) {
      const spec = planCamera({ index, name: `${COMPOUND_NAME}回放${index}`, network, orgUnitCode: compound.code });
      cams.set(index, await startCamera(spec));
      ids.set(index, await t.app.repos.cameras.insert({
        network, externalId: `DEV${index}`, name: spec.name, orgUnitId: compound.id, sourceKind: kind, publicArea: false,
        endpoint: kind === 'onvif' ? onvifXAddr(spec) : rtspUrl(spec), streamUrl: rtspUrl(spec),
        credentials: { username: spec.username, password: spec.password },
      }));
    }
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([...cams.values()].map((c) => c.close()));
  });

  const iso = (ms: number) => new Date(ms).toISOString();

  it('finds the recording on the device, clipped to the range asked', async () => {
    const cam = cams.get(ONVIF)!;
    const from = cam.recording.startMs - 3600_000;
    const to = cam.recording.startMs + 2 * 3600_000;
    const res = await t.app.inject({ url: `/api/recordings/${ids.get(ONVIF)}/device?from=${iso(from)}&to=${iso(to)}`, headers: dongcheng.headers });
    expect(res.statusCode).toBe(200);
    const body = res.json<DeviceRecordings>();
    expect(body).toMatchObject({ cameraId: ids.get(ONVIF), source: 'onvif', reason: null });
    expect(body.spans).toEqual([{ start: iso(cam.recording.startMs), end: iso(to) }]);
    // Outside the caller's area: as if the camera did not exist.
    expect((await t.app.inject({ url: `/api/recordings/${ids.get(ONVIF)}/device?from=${iso(from)}&to=${iso(to)}`, headers: chengguan.headers })).statusCode).toBe(404);
    const long = await t.app.inject({ url: `/api/recordings/${ids.get(ONVIF)}/device?from=${iso(from)}&to=${iso(from + 49 * 3600_000)}`, headers: dongcheng.headers });
    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({ field: 'to' });
  });

  it('tells a template network and a camera with neither way apart', async () => {
    const now = Date.now();
    const q = `from=${iso(now - 3600_000)}&to=${iso(now - 1800_000)}`;
    const tpl = await t.app.inject({ url: `/api/recordings/${ids.get(TEMPLATE)}/device?${q}`, headers: dongcheng.headers });
    expect(tpl.json<DeviceRecordings>()).toMatchObject({ source: 'template', reason: null, spans: [{ start: iso(now - 3600_000), end: iso(now - 1800_000) }] });
    const none = await t.app.inject({ url: `/api/recordings/${ids.get(NEITHER)}/device?${q}`, headers: dongcheng.headers });
    expect(none.json<DeviceRecordings>()).toMatchObject({ source: 'none', spans: [] });
    expect(none.json<DeviceRecordings>().reason).toMatch(/no ONVIF device address.*no RTSP playback URL template/);
    const play = await t.app.inject({ url: `/playback/${ids.get(NEITHER)}/device/index.m3u8?${q}`, headers: dongcheng.headers });
    expect(play.statusCode).toBe(409);
  });

  it.skipIf(!HAVE_FFPROBE)('replays from the asked moment: dated playlist, decodable segment, own relay, audited', async () => {
    const cam = cams.get(ONVIF)!;
    const id = ids.get(ONVIF)!;
    const from = cam.recording.startMs + 5 * 3600_000 + 30_000;
    const url = `/playback/${id}/device/index.m3u8?from=${iso(from)}&to=${iso(from + 600_000)}`;
    expect((await t.app.inject({ url, headers: chengguan.headers })).statusCode).toBe(404);
    const pl = await t.app.inject({ url, headers: dongcheng.headers });
    expect(pl.statusCode).toBe(200);
    // The gateway asked the camera for that moment (Range: clock=) at normal speed.
    expect(cam.stats().lastReplay).toMatchObject({ askedMs: from, scale: 1 });
    const dates = [...pl.body.matchAll(/#EXT-X-PROGRAM-DATE-TIME:(\S+)/g)].map((m) => Date.parse(m[1]!));
    expect(dates.length).toBeGreaterThan(0);
    expect(Math.abs(dates[0]! - from)).toBeLessThan(3_000);
    const uri = /#EXTINF:[\d.]+,\n(\S+)/.exec(pl.body)![1]!;
    expect(uri).toMatch(/^[0-9a-z]+\/s\d+-\d+\.ts$/);
    const seg = await t.app.inject({ url: `/playback/${id}/device/${uri}`, headers: dongcheng.headers });
    expect(seg.statusCode).toBe(200);
    const p = await probe(seg.rawPayload);
    expect(p.errors).toBe('');
    expect(p.packets.filter((x) => x.codec_type === 'video').length).toBeGreaterThan(0);
    // Another camera's path to the same session is refused; so is the segment for someone outside the area.
    expect((await t.app.inject({ url: `/playback/${ids.get(TEMPLATE)}/device/${uri}`, headers: dongcheng.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/playback/${id}/device/${uri}`, headers: chengguan.headers })).statusCode).toBe(404);
    // A relay of its own: the camera's live relays are not running, and none of the listed relays is the replay.
    expect(t.app.relays.manager.list().some((r) => r.relayId >= DEVICE_RELAY_BASE)).toBe(true);
    expect(t.app.relays.list().some((r) => r.cameraId === id)).toBe(false);
    const audit = await t.app.db.all<{ actor_name: string; detail: string }>("SELECT actor_name, detail FROM audit_log WHERE action = 'playback.open' AND target_id = ?", [String(id)]);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_name).toBe('dongcheng');
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ from: iso(from), source: 'device', scale: 1 });
    // A second poll is the same session and is not audited again.
    const again = await t.app.inject({ url, headers: dongcheng.headers });
    expect(again.body).toContain(uri.split('/')[0] + '/');
    expect((await t.app.db.all("SELECT 1 FROM audit_log WHERE action = 'playback.open' AND target_id = ?", [String(id)])).length).toBe(1);
    // Another speed is another session, asking the camera for Scale.
    const fast = await t.app.inject({ url: `${url}&scale=4`, headers: dongcheng.headers });
    expect(fast.statusCode).toBe(200);
    expect(cam.stats().lastReplay).toMatchObject({ askedMs: from, scale: 4 });
    expect(/#EXTINF:[\d.]+,\n(\S+)/.exec(fast.body)![1]!.split('/')[0]).not.toBe(uri.split('/')[0]);
  });

  it('a template network replays from the URL it builds, with no Range asked', async () => {
    const cam = cams.get(TEMPLATE)!;
    const from = cam.recording.startMs + 60_000;
    const pl = await t.app.inject({ url: `/playback/${ids.get(TEMPLATE)}/device/index.m3u8?from=${iso(from)}&to=${iso(from + 60_000)}`, headers: dongcheng.headers });
    expect(pl.statusCode).toBe(200);
    expect(pl.body).toContain(`#EXT-X-PROGRAM-DATE-TIME:${iso(from)}`);
    // No Range: the simulator plays from the recording's start (a real platform reads starttime from the URL).
    expect(cam.stats().lastReplay).toMatchObject({ askedMs: cam.recording.startMs, scale: 1 });
  });
});
