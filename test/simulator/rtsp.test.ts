// ffmpeg/ffprobe (independent RTSP clients) against the simulated cameras: every fixture plays without errors
// and is what it claims to be; Digest works; a wrong password gets 401.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, type SimCameraSpec, planCamera, startCamera, startFleet } from '../../scripts/simulator/index';
import { FFMPEG, HAVE_FFMPEG, probe, run, withCreds } from './ffmpeg';
import { parseSenderReport } from '../../scripts/simulator/rtp/rtcp';
import { RtspTestClient, until } from './rtsp-client';

// This file's own camera range (1200–1249), so test files can run in parallel.
const spec = (index: number): SimCameraSpec => planCamera({ index, name: `rtsp-test-${index}`, network: 'skynet', orgUnitCode: '339901' });
// simFixture(): i%50==15 → h265; i%25: 5 aac, 10 bframes, 20 pcma; otherwise h264.
const CASES = [
  { index: 1200, fixture: 'h264', codec: 'h264', width: 1280, height: 720, audio: undefined },
  { index: 1210, fixture: 'h264-bframes', codec: 'h264', width: 640, height: 360, audio: undefined },
  { index: 1215, fixture: 'h265', codec: 'hevc', width: 640, height: 360, audio: undefined },
  { index: 1205, fixture: 'h264-aac', codec: 'h264', width: 640, height: 360, audio: { codec: 'aac', rate: '32000' } },
  { index: 1220, fixture: 'h264-pcma', codec: 'h264', width: 640, height: 360, audio: { codec: 'pcm_alaw', rate: '8000' } },
] as const;

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet(CASES.map((c) => spec(c.index)));
});
afterAll(async () => {
  await fleet?.close();
});

describe('RTSP with ffmpeg', () => {
  it('plan assigns the fixtures this file expects', () => {
    expect(fleet.cameras.map((c) => c.spec.fixture)).toEqual(CASES.map((c) => c.fixture));
  });

  // The per-fixture runs are independent and mostly wait on real time: run them side by side.
  describe.concurrent('per fixture', () => {
    for (const c of CASES) {
      it.skipIf(!HAVE_FFMPEG)(`ffprobe reports ${c.fixture}: ${c.codec} ${c.width}x${c.height} 25 fps${c.audio ? ` + ${c.audio.codec}` : ''}`, async () => {
        const cam = fleet.cameras.find((x) => x.spec.index === c.index)!;
        const r = await probe(withCreds(cam.rtspUrl, cam.spec.username, cam.spec.password));
        expect(r.stderr).toBe('');
        const v = r.streams.find((s) => s.codec_type === 'video');
        expect(v).toMatchObject({ codec_name: c.codec, width: c.width, height: c.height, r_frame_rate: '25/1' });
        const a = r.streams.find((s) => s.codec_type === 'audio');
        if (c.audio) expect(a).toMatchObject({ codec_name: c.audio.codec, sample_rate: c.audio.rate, channels: 1 });
        else expect(a).toBeUndefined();
      });

      it.skipIf(!HAVE_FFMPEG)(`ffmpeg decodes 3 s of ${c.fixture} with no error`, async () => {
        const cam = fleet.cameras.find((x) => x.spec.index === c.index)!;
        const r = await run(FFMPEG, ['-nostdin', '-v', 'error', '-rtsp_transport', 'tcp', '-i', withCreds(cam.rtspUrl, cam.spec.username, cam.spec.password),
          '-t', '3', '-progress', 'pipe:1', '-f', 'null', '-']);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        const frames = Math.max(...[...r.stdout.matchAll(/^frame=(\d+)/gm)].map((m) => Number(m[1])));
        expect(frames).toBeGreaterThanOrEqual(70); // 3 s at 25 fps = 75, give or take the last one
      });
    }
  });

  it.skipIf(!HAVE_FFMPEG)('ffmpeg plays over UDP too (video and AAC audio), with no error', async () => {
    const cam = fleet.cameras.find((x) => x.spec.fixture === 'h264-aac')!;
    const r = await run(FFMPEG, ['-nostdin', '-v', 'error', '-rtsp_transport', 'udp', '-i', withCreds(cam.rtspUrl, cam.spec.username, cam.spec.password),
      '-t', '2', '-progress', 'pipe:1', '-f', 'null', '-']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(Math.max(...[...r.stdout.matchAll(/^frame=(\d+)/gm)].map((m) => Number(m[1])))).toBeGreaterThanOrEqual(45);
  });

  it.skipIf(!HAVE_FFMPEG)('ffmpeg decodes across an sps-change, seeing both resolutions', async () => {
    const cam = await startCamera(spec(1225)); // h264 720p; switches to 960x540
    try {
      cam.setFault({ kind: 'sps-change', afterSec: 1 });
      const r = await run(FFMPEG, ['-nostdin', '-hide_banner', '-rtsp_transport', 'tcp', '-i', withCreds(cam.rtspUrl, cam.spec.username, cam.spec.password),
        '-t', '3', '-vf', 'showinfo', '-f', 'null', '-']);
      expect(r.code).toBe(0);
      const sizes = new Set([...r.stderr.matchAll(/ s:(\d+x\d+) /g)].map((m) => m[1]));
      expect([...sizes]).toEqual(['1280x720', '960x540']);
      expect(r.stderr).not.toMatch(/error|corrupt|non-existing PPS/i);
    } finally {
      await cam.close();
    }
  });

  it.skipIf(!HAVE_FFMPEG)('ffmpeg authenticates with Digest (offered first)', async () => {
    const cam = fleet.cameras[0];
    const before = cam.stats().auth;
    const r = await probe(withCreds(cam.rtspUrl, cam.spec.username, cam.spec.password));
    expect(r.code).toBe(0);
    const after = cam.stats().auth;
    expect(after.digest).toBeGreaterThan(before.digest);
    expect(after.basic).toBe(before.basic);
    expect(after.rejected).toBe(before.rejected);
  });

  it.skipIf(!HAVE_FFMPEG)('a wrong password gets 401 and no stream', async () => {
    const cam = fleet.cameras[0];
    const r = await probe(withCreds(cam.rtspUrl, cam.spec.username, 'not-the-password'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/401/);
    expect(r.streams).toEqual([]);
  });
});

describe('RTSP protocol details', () => {
  it('answers OPTIONS without credentials and DESCRIBE with a 401 Digest+Basic challenge', async () => {
    const cam = fleet.cameras[0];
    const c = await RtspTestClient.open(cam.rtspUrl);
    try {
      const o = await c.request('OPTIONS');
      expect(o.status).toBe(200);
      expect(o.header('public')).toMatch(/DESCRIBE.*SETUP.*PLAY.*TEARDOWN.*GET_PARAMETER/);
      const d = await c.request('DESCRIBE');
      expect(d.status).toBe(401);
      expect(d.headers['www-authenticate']?.map((h) => h.split(' ')[0])).toEqual(['Digest', 'Basic']);
    } finally {
      c.close();
    }
  });

  it('Basic auth works too, and the SDP carries parameter sets, AAC config and track controls', async () => {
    const cam = fleet.cameras.find((x) => x.spec.fixture === 'h264-aac')!;
    const c = await RtspTestClient.open(cam.rtspUrl, { username: cam.spec.username, password: cam.spec.password, scheme: 'basic' });
    try {
      const d = await c.request('DESCRIBE');
      expect(d.status).toBe(200);
      expect(d.header('content-base')).toBe(`${cam.rtspUrl}/`);
      expect(d.body).toMatch(/a=rtpmap:96 H264\/90000/);
      expect(d.body).toMatch(/a=fmtp:96 packetization-mode=1;profile-level-id=[0-9A-F]{6};sprop-parameter-sets=Z[\w+/=]+,[\w+/=]+/);
      expect(d.body).toMatch(/a=rtpmap:97 MPEG4-GENERIC\/32000\/1/);
      expect(d.body).toMatch(/mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3;config=1288/);
      expect(d.body).toMatch(/a=control:trackID=0[\s\S]*a=control:trackID=1/);
      expect(cam.stats().auth.basic).toBeGreaterThan(0);
    } finally {
      c.close();
    }
  });

  it('streams RTP with in-band SPS/PPS before each IDR, FU-A fragments and continuous timestamps across loops', async () => {
    const cam = fleet.cameras.find((x) => x.spec.fixture === 'h264')!;
    const c = await RtspTestClient.open(cam.rtspUrl, { username: cam.spec.username, password: cam.spec.password });
    try {
      await c.play();
      expect(cam.activeStreams()).toBe(1);
      // The 720p fixture loops every 3 s: wait for 4 s worth of frames (no timing asserted, only counted).
      await until(() => c.packets.filter((p) => p.channel === 0 && p.marker).length >= 100, 15_000);
      const video = c.packets.filter((p) => p.channel === 0);
      const types = video.map((p) => p.payload[0] & 0x1f);
      expect(types[0]).toBe(7); // SPS first
      expect(types[1]).toBe(8); // then PPS
      expect(types).toContain(28); // FU-A for large slices
      // Sequence numbers increase by one; timestamps never go back (continuous across the loop).
      for (let i = 1; i < video.length; i++) {
        expect(video[i].seq).toBe((video[i - 1].seq + 1) & 0xffff);
        expect(((video[i].timestamp - video[i - 1].timestamp) >>> 0) < 0x80000000).toBe(true);
      }
      const frames = video.filter((p) => p.marker);
      expect(frames.length).toBeGreaterThanOrEqual(100);
      const step = (frames[99].timestamp - frames[0].timestamp) >>> 0;
      expect(step).toBe(99 * 3600); // 25 fps at 90 kHz, straight through the 75-frame loop boundary
      const spsCount = types.filter((t) => t === 7).length;
      expect(spsCount).toBeGreaterThanOrEqual(4); // one per IDR, GOP 1 s
    } finally {
      c.close();
    }
  });

  it('sends RTCP sender reports per track that map RTP time to wall-clock time', async () => {
    const cam = fleet.cameras.find((x) => x.spec.fixture === 'h264-pcma')!;
    const c = await RtspTestClient.open(cam.rtspUrl, { username: cam.spec.username, password: cam.spec.password });
    try {
      await c.play();
      const reports = (ch: number) => c.packets.filter((p) => p.channel === ch).map((p) => parseSenderReport(p.raw!)).filter((r) => !!r);
      expect(await until(() => reports(1).length > 0 && reports(3).length > 0)).toBe(true);
      const videoSsrc = c.packets.find((p) => p.channel === 0)!.ssrc;
      const audioSsrc = c.packets.find((p) => p.channel === 2)!.ssrc;
      expect(reports(1)[0].ssrc).toBe(videoSsrc);
      expect(reports(3)[0].ssrc).toBe(audioSsrc);
      expect(Math.abs(reports(1)[0].wallMs - Date.now())).toBeLessThan(60_000); // a wall-clock time, not a counter
      // The first video packet and the first video report describe the same instant of the stream.
      const firstTs = c.packets.find((p) => p.channel === 0)!.timestamp;
      expect(((reports(1)[0].rtpTime - firstTs) >>> 0) < 90_000).toBe(true);
    } finally {
      c.close();
    }
  });

  it('serves several clients of one camera at once, each from its own IDR', async () => {
    const cam = fleet.cameras.find((x) => x.spec.fixture === 'h264-bframes')!;
    const creds = { username: cam.spec.username, password: cam.spec.password };
    const a = await RtspTestClient.open(cam.rtspUrl, creds);
    const b = await RtspTestClient.open(cam.rtspUrl, creds);
    try {
      await a.play();
      await b.play();
      expect(cam.activeStreams()).toBe(2);
      const frames = (c: RtspTestClient) => c.packets.filter((p) => p.channel === 0 && p.marker).length;
      expect(await until(() => frames(a) >= 10 && frames(b) >= 10)).toBe(true);
      for (const c of [a, b]) expect(c.packets[0].payload[0] & 0x1f).toBe(7);
      expect(a.packets[0].ssrc).not.toBe(b.packets[0].ssrc);
      // B-frames: RTP timestamps (presentation order) are not monotonic in sending (decode) order.
      const ts = a.packets.filter((p) => p.channel === 0 && p.marker).map((p) => p.timestamp);
      expect(ts.some((t, i) => i > 0 && ((t - ts[i - 1]) | 0) < 0)).toBe(true);
    } finally {
      a.close();
      b.close();
    }
    expect(await until(() => cam.activeStreams() === 0)).toBe(true);
  });

  it('fragments large H.265 NAL units as RFC 7798 FUs with start and end bits', async () => {
    const cam = fleet.cameras.find((x) => x.spec.fixture === 'h265')!;
    const c = await RtspTestClient.open(cam.rtspUrl, { username: cam.spec.username, password: cam.spec.password });
    try {
      await c.play();
      expect(await until(() => c.packets.filter((p) => p.channel === 0 && p.marker).length >= 5)).toBe(true);
      const video = c.packets.filter((p) => p.channel === 0);
      expect(video.slice(0, 3).map((p) => (p.payload[0] >> 1) & 0x3f)).toEqual([32, 33, 34]); // VPS, SPS, PPS
      const fus = video.filter((p) => ((p.payload[0] >> 1) & 0x3f) === 49);
      expect(fus.length).toBeGreaterThan(0);
      const starts = fus.filter((p) => p.payload[2] & 0x80).length;
      const ends = fus.filter((p) => p.payload[2] & 0x40).length;
      expect(starts).toBeGreaterThan(0);
      expect(Math.abs(starts - ends)).toBeLessThanOrEqual(1); // the last one may still be in flight
      // The original type travels in the FU header: the IDR (IDR_N_LP) and, here, x265's long SEI.
      expect(fus.filter((p) => p.payload[2] & 0x80).map((p) => p.payload[2] & 0x3f)).toContain(20);
    } finally {
      c.close();
    }
  });

  it('TEARDOWN ends the stream', async () => {
    const cam = fleet.cameras.find((x) => x.spec.fixture === 'h265')!;
    const c = await RtspTestClient.open(cam.rtspUrl, { username: cam.spec.username, password: cam.spec.password });
    try {
      await c.play();
      expect(cam.activeStreams()).toBe(1);
      const t = await c.request('TEARDOWN');
      expect(t.status).toBe(200);
      expect(cam.activeStreams()).toBe(0);
    } finally {
      c.close();
    }
  });

  it('unknown paths get 404 and requests without a session get 454', async () => {
    const cam = fleet.cameras[0];
    const creds = { username: cam.spec.username, password: cam.spec.password };
    const c = await RtspTestClient.open(cam.rtspUrl, creds);
    try {
      expect((await c.request('DESCRIBE', cam.rtspUrl.replace('stream1', 'nope'))).status).toBe(404);
      expect((await c.request('PLAY', cam.rtspUrl, { Session: 'DEADBEEF' })).status).toBe(454);
    } finally {
      c.close();
    }
  });
});
