// Sub-streams (子码流): every simulated camera serves a second, lighter stream on RTSP /stream2 and describes it as
// ONVIF Profile_2. Checked with independent peers: our test RTSP client (DESCRIBE/PLAY, the SPS in the SDP and
// in-band), ffprobe/ffmpeg, and the `onvif` npm client (GetProfiles, GetStreamUri per profile token).
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCamera, loadFixture, planCamera, startCamera, subStreamUrl } from '../../scripts/simulator/index';
import { h264PictureSize } from '../../server/protocol/sps';
import { FFMPEG, HAVE_FFMPEG, probe, run, withCreds } from './ffmpeg';
import { RtspTestClient, until } from './rtsp-client';

interface CamLike {
  getProfiles(cb: (err: Error | null, profiles: Array<Record<string, any>>) => void): void;
  getStreamUri(opts: { protocol: string; profileToken?: string }, cb: (err: Error | null, uri: { uri: string }) => void): void;
}
const { Cam } = createRequire(import.meta.url)('onvif') as {
  Cam: new (o: Record<string, unknown>, cb: (this: CamLike, err: Error | null) => void) => CamLike;
};
const call = <T>(fn: (cb: (err: Error | null, v: T) => void) => void) =>
  new Promise<T>((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));
function connect(cam: SimCamera): Promise<CamLike> {
  return new Promise((resolve, reject) => {
    new Cam({ hostname: cam.spec.host, port: cam.spec.onvifPort, username: cam.spec.username, password: cam.spec.password, timeout: 10_000 }, function (err) {
      if (err) reject(err);
      else resolve(this);
    });
  });
}

// This file's own camera range: 3900–3949. 3900 is a 720p camera (sub: h264-sub); 3905 an AAC camera (640x360
// already: its sub-stream is its own fixture).
let hd: SimCamera;
let aac: SimCamera;
beforeAll(async () => {
  hd = await startCamera(planCamera({ index: 3900, name: 'sub-hd', network: 'skynet', orgUnitCode: '339901' }));
  aac = await startCamera(planCamera({ index: 3905, name: 'sub-aac', network: 'huiyan', orgUnitCode: '339901' }));
});
afterAll(async () => {
  await Promise.all([hd, aac].filter(Boolean).map((c) => c.close()));
});
const creds = (c: SimCamera) => ({ username: c.spec.username, password: c.spec.password });

describe('sub-stream: plan and fixture', () => {
  it('the 720p camera plays h264-sub on /stream2, a 640x360 camera its own fixture; no credentials in the URL', () => {
    expect(hd.spec).toMatchObject({ fixture: 'h264', subFixture: 'h264-sub' });
    expect(aac.spec).toMatchObject({ fixture: 'h264-aac', subFixture: 'h264-aac' });
    expect(hd.subStreamUrl).toBe(`rtsp://${hd.spec.host}:8554/stream2`);
    expect(subStreamUrl(hd.spec)).toBe(hd.subStreamUrl);
    expect(hd.subStreamUrl).not.toMatch(/@/);
  });

  it('h264-sub is H.264 Main 640x360 25 fps, GOP 25, no B-frames, no audio, ~0.4–0.5 Mb/s', () => {
    const f = loadFixture('h264-sub');
    expect(f.video).toMatchObject({ codec: 'H264', width: 640, height: 360, fps: 25, profile: 'Main' });
    expect(f.audio).toBeUndefined();
    expect(f.video.frames.every((fr) => fr.pts === fr.dts)).toBe(true); // no reordering: no B-frames
    const keys = f.video.frames.flatMap((fr, i) => (fr.key ? [i] : []));
    expect(keys).toEqual([0, 25, 50]);
    expect(f.video.bitrateKbps).toBeGreaterThanOrEqual(350);
    expect(f.video.bitrateKbps).toBeLessThanOrEqual(550);
    expect(f.video.bitrateKbps * 3).toBeLessThan(loadFixture('h264').video.bitrateKbps); // well under the main
  });
});

describe('sub-stream: RTSP /stream2', () => {
  it('DESCRIBE gives a 640x360 SDP with its own Content-Base, PLAY streams a 640x360 SPS in-band', async () => {
    const c = await RtspTestClient.open(hd.subStreamUrl, creds(hd));
    try {
      const sdp = await c.play();
      const sprop = /sprop-parameter-sets=([^,;\s]+)/.exec(sdp)?.[1];
      expect(h264PictureSize(Buffer.from(sprop!, 'base64'))).toMatchObject({ width: 640, height: 360 });
      expect(sdp).not.toMatch(/m=audio/);
      expect(hd.activeStreams()).toBe(1);
      await until(() => c.packets.some((p) => p.channel === 0 && (p.payload[0] & 0x1f) === 7), 10_000);
      const sps = c.packets.find((p) => p.channel === 0 && (p.payload[0] & 0x1f) === 7)!;
      expect(h264PictureSize(sps.payload)).toMatchObject({ width: 640, height: 360 });
    } finally {
      c.close();
    }
  });

  it('the main stream on the same camera stays 1280x720 while the sub-stream plays', async () => {
    const sub = await RtspTestClient.open(hd.subStreamUrl, creds(hd));
    const main = await RtspTestClient.open(hd.rtspUrl, creds(hd));
    try {
      await sub.play();
      const sdp = await main.play();
      const sprop = /sprop-parameter-sets=([^,;\s]+)/.exec(sdp)?.[1];
      expect(h264PictureSize(Buffer.from(sprop!, 'base64'))).toMatchObject({ width: 1280, height: 720 });
      expect(hd.activeStreams()).toBe(2);
    } finally {
      sub.close();
      main.close();
    }
  });

  it('asks for credentials like the main stream; an unknown path is 404', async () => {
    const anon = await RtspTestClient.open(hd.subStreamUrl);
    try {
      expect((await anon.request('DESCRIBE')).status).toBe(401);
      expect((await anon.request('DESCRIBE', `rtsp://${hd.spec.host}:8554/stream3`)).status).toBe(404);
    } finally {
      anon.close();
    }
  });

  it('faults apply to the sub-stream too: wrong-password refuses it, offline refuses the connection', async () => {
    try {
      hd.setFault({ kind: 'wrong-password' });
      const c = await RtspTestClient.open(hd.subStreamUrl, creds(hd));
      try {
        expect((await c.request('DESCRIBE')).status).toBe(401);
      } finally {
        c.close();
      }
      hd.setFault({ kind: 'offline' });
      await hd.settled();
      await expect(RtspTestClient.open(hd.subStreamUrl, creds(hd))).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      hd.setFault({ kind: 'none' });
      await hd.settled();
    }
    const back = await RtspTestClient.open(hd.subStreamUrl, creds(hd));
    try {
      expect((await back.request('DESCRIBE')).status).toBe(200);
    } finally {
      back.close();
    }
  });

  it.skipIf(!HAVE_FFMPEG)('ffprobe: /stream2 is h264 640x360 25 fps with no audio; an AAC camera keeps its audio', async () => {
    const r = await probe(withCreds(hd.subStreamUrl, hd.spec.username, hd.spec.password));
    expect(r.stderr).toBe('');
    expect(r.streams).toHaveLength(1);
    expect(r.streams[0]).toMatchObject({ codec_type: 'video', codec_name: 'h264', width: 640, height: 360, r_frame_rate: '25/1' });
    const a = await probe(withCreds(aac.subStreamUrl, aac.spec.username, aac.spec.password));
    expect(a.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
  });

  it.skipIf(!HAVE_FFMPEG)('ffmpeg decodes 3 s of /stream2 with no error', async () => {
    const r = await run(FFMPEG, ['-nostdin', '-v', 'error', '-rtsp_transport', 'tcp', '-i', withCreds(hd.subStreamUrl, hd.spec.username, hd.spec.password),
      '-t', '3', '-progress', 'pipe:1', '-f', 'null', '-']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const frames = Math.max(...[...r.stdout.matchAll(/^frame=(\d+)/gm)].map((m) => Number(m[1])));
    expect(frames).toBeGreaterThanOrEqual(70);
  });
});

describe('sub-stream: ONVIF Profile_2 with the onvif client', () => {
  it('GetProfiles lists the main Profile_1 (1280x720) and the sub Profile_2 (640x360), each with its own encoder', async () => {
    const c = await connect(hd);
    const profiles = await call<Array<Record<string, any>>>((cb) => c.getProfiles(cb));
    expect(profiles.map((p) => p.$.token)).toEqual(['Profile_1', 'Profile_2']);
    const [main, sub] = profiles.map((p) => p.videoEncoderConfiguration);
    expect(main).toMatchObject({ encoding: 'H264', resolution: { width: 1280, height: 720 } });
    expect(sub).toMatchObject({ encoding: 'H264', resolution: { width: 640, height: 360 } });
    expect(sub.$.token).not.toBe(main.$.token);
    expect(sub.rateControl.bitrateLimit).toBeLessThan(main.rateControl.bitrateLimit);
    expect(profiles[1].videoSourceConfiguration.sourceToken).toBe('VideoSource_1'); // one sensor, two encoders
  });

  it('GetStreamUri answers each profile token with its own stream; an unknown token is a fault', async () => {
    const c = await connect(hd);
    const main = await call<{ uri: string }>((cb) => c.getStreamUri({ protocol: 'RTSP', profileToken: 'Profile_1' }, cb));
    const sub = await call<{ uri: string }>((cb) => c.getStreamUri({ protocol: 'RTSP', profileToken: 'Profile_2' }, cb));
    expect(main.uri).toBe(hd.rtspUrl);
    expect(sub.uri).toBe(hd.subStreamUrl);
    await expect(call((cb) => c.getStreamUri({ protocol: 'RTSP', profileToken: 'Profile_9' }, cb))).rejects.toThrow(/profile/i);
  });

  it('an AAC camera describes its audio on both profiles (its sub-stream is its own fixture)', async () => {
    const c = await connect(aac);
    const profiles = await call<Array<Record<string, any>>>((cb) => c.getProfiles(cb));
    expect(profiles).toHaveLength(2);
    for (const p of profiles) {
      expect(p.audioEncoderConfiguration).toMatchObject({ encoding: 'AAC' });
      expect(p.videoEncoderConfiguration.resolution).toEqual({ width: 640, height: 360 });
    }
  });
});
