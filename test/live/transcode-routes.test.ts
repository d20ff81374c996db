// H.265 for browsers without an HEVC decoder, through the gateway: ?hevc=0 on the live playlist gets an H.264
// transcode (x-live-path: transcoded) whose segments are served under the same route and scope checks; a browser
// that decodes HEVC, or an H.264 camera, gets the stream as sent (native); beyond media.maxTranscodes a 503 names
// the cap. ffprobe checks the served segments' codec and size.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planCamera, rtspUrl, startCamera, type SimCamera } from '../../scripts/simulator';
import { probe } from '../media/helpers/ffprobe';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';

// Simulator indexes reserved for this file (of the codec range 3950–3999): 3952 and 3953 are given the h265
// fixture, 3951 plays the plain H.264 one.
const H265_A = 3952;
const H265_B = 3953;
const H264 = 3951;

const segmentsOf = (playlist: string) => playlist.split('\n').filter((l) => l && !l.startsWith('#'));

describe.skipIf(!existsSync('/usr/bin/ffmpeg'))('H.265 → H.264 transcode through the live routes', () => {
  let t: TestApp;
  let county: Login, outsider: Login;
  const cams: SimCamera[] = [];
  const ids = new Map<number, number>();

  beforeAll(async () => {
    t = await buildTestApp({ media: { idleTimeoutSec: 30, stallTimeoutSec: 5, maxRelays: 8, segmentFormat: 'mpegts', maxTranscodes: 1 } });
    // 东城小区 is under 东城街道: the 城关镇 (chengguan) user is outside it.
    [county, outsider] = await Promise.all([login(t.app, ...DEMO.county), login(t.app, ...DEMO.chengguan)]);
    const compound = (await t.app.db.get<{ id: number }>("SELECT id FROM org_units WHERE name = '东城小区'"))!;
    for (const index of [H265_A, H265_B, H264]) {
      const planned = planCamera({ index, name: `转码测试${index}`, network: 'xueliang', orgUnitCode: 'T' });
      const spec = index === H264 ? planned : { ...planned, fixture: 'h265' as const, subFixture: 'h265' as const };
      cams.push(await startCamera(spec));
      const id = await t.app.repos.cameras.insert({
        network: 'xueliang', externalId: `TC${index}`, name: spec.name, orgUnitId: compound.id, sourceKind: 'rtsp', publicArea: true,
        endpoint: rtspUrl(spec), streamUrl: rtspUrl(spec), credentials: { username: spec.username, password: spec.password },
      });
      ids.set(index, id);
    }
  });
  afterAll(async () => {
    await t.close();
    await Promise.all(cams.map((c) => c.close()));
  });

  const get = (url: string, who: Login = county) => t.app.inject({ url, headers: { cookie: who.cookie } });

  it('serves an H.264 transcode to a browser without HEVC, the stream as sent otherwise', async () => {
    const id = ids.get(H265_A)!;
    const native = await get(`/live/${id}/index.m3u8?hevc=1`);
    expect(native.statusCode).toBe(200);
    expect(native.headers['x-live-path']).toBe('native');

    const tc = await get(`/live/${id}/index.m3u8?hevc=0`);
    expect(tc.statusCode).toBe(200);
    expect(tc.headers['x-live-path']).toBe('transcoded');
    const names = segmentsOf(tc.body);
    expect(names[0]).toMatch(/^t\d+-\d+\.ts$/);
    const seg = await get(`/live/${id}/${names[0]}`);
    expect(seg.statusCode).toBe(200);
    expect(seg.headers['content-type']).toContain('video/mp2t');
    const r = await probe(seg.rawPayload);
    expect(r.errors).toBe('');
    expect(r.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
    // Same scope rules as the relay's own segments.
    expect((await get(`/live/${id}/index.m3u8?hevc=0`, outsider)).statusCode).toBe(404);
    expect((await get(`/live/${id}/${names[0]}`, outsider)).statusCode).toBe(404);
    // The sub-stream path of a camera without one shares the same transcode.
    const sub = await get(`/live/${id}/sub/index.m3u8?hevc=0`);
    expect(sub.headers['x-live-path']).toBe('transcoded');
    expect(t.app.transcodes.size).toBe(1);

    const h264 = await get(`/live/${ids.get(H264)!}/index.m3u8?hevc=0`);
    expect(h264.statusCode).toBe(200);
    expect(h264.headers['x-live-path']).toBe('native');
  });

  it('refuses a transcode beyond the cap with 503 naming it', async () => {
    const res = await get(`/live/${ids.get(H265_B)!}/index.m3u8?hevc=0`);
    expect(res.statusCode).toBe(503);
    expect(res.json<{ message: string }>().message).toMatch(/limit 1/);
    expect(res.headers['retry-after']).toBe('10');
  });
});
