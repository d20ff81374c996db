// Snapshots without Fastify: a running relay's newest segment → ffmpeg → JPEG (checked by ffprobe), the camera's
// own snapshot over HTTP with Digest or Basic, and the bounds (concurrency, cache, deadline, size, content type).
// Simulator indexes reserved for this file: 3500–3519.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpAuth } from '../../scripts/simulator/rtsp/auth';
import type { SimCamera } from '../../scripts/simulator/index';
import { SnapshotError } from '../../server/media/errors';
import { FrameGrabber, SnapshotService, findFfmpeg } from '../../server/media/snapshot';
import { fetchSnapshot } from '../../server/media/snapshot-fetch';
import { HAVE_FFPROBE, probe } from './helpers/ffprobe';
import { camera, managerFor, segmentNames, until } from './helpers/sim';

const H264 = 3500; // 1280x720
const H265 = 3515; // 640x360 HEVC (index % 50 === 15)
const CMAF = 3501;
const ONVIF = 3502;
const SLOW = 3503;
const DROPS = 3504;
const FFMPEG = findFfmpeg();
const cams = new Map<number, SimCamera>();

beforeAll(async () => {
  for (const i of [H264, H265, CMAF, ONVIF, SLOW, DROPS]) cams.set(i, await camera(i));
});
afterAll(async () => {
  await Promise.all([...cams.values()].map((c) => c.close()));
});

const errorOf = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (err: unknown) => err as SnapshotError);

async function probeJpeg(jpeg: Buffer) {
  const r = await probe(jpeg, '.jpg');
  return r.streams[0];
}

describe.skipIf(!FFMPEG || !HAVE_FFPROBE)('snapshot from a running relay (ffmpeg)', () => {
  const { manager } = managerFor(cams);
  const cmaf = managerFor(cams, { segmentFormat: 'cmaf' }).manager;
  afterAll(() => {
    manager.close();
    cmaf.close();
  });
  const live = async (m: typeof manager, id: number) => until(async () => segmentNames(await m.playlist(id, 'viewer')).length >= 1 && m.latestSegment(id), 200);

  it('decodes the newest key frame of H.264 into a JPEG at most 640 px wide, and H.265 at its own size', async () => {
    const grabber = new FrameGrabber(FFMPEG!, { maxWidth: 640 });
    const jpeg = await grabber.grab(await live(manager, H264));
    expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(await probeJpeg(jpeg)).toMatchObject({ codec_name: 'mjpeg', width: 640, height: 360 });
    const hevc = await grabber.grab(await live(manager, H265));
    expect(await probeJpeg(hevc)).toMatchObject({ codec_name: 'mjpeg', width: 640, height: 360 });
  });

  it('decodes a CMAF segment with its init segment', async () => {
    const segment = await live(cmaf, CMAF);
    expect(segment.format).toBe('cmaf');
    const jpeg = await new FrameGrabber(FFMPEG!, { maxWidth: 320 }).grab(segment);
    expect(await probeJpeg(jpeg)).toMatchObject({ codec_name: 'mjpeg', width: 320, height: 180 });
  });

  it('runs no more ffmpeg processes at once than allowed, queueing the rest', async () => {
    const segment = await live(manager, H264);
    const grabber = new FrameGrabber(FFMPEG!, { maxConcurrent: 2 });
    const jpegs = await Promise.all(Array.from({ length: 6 }, () => grabber.grab(segment)));
    for (const j of jpegs) expect(j[0]).toBe(0xff);
    expect(grabber.stats()).toMatchObject({ spawned: 6, peak: 2, running: 0, queued: 0, failed: 0 });
  });

  it('refuses beyond the queue instead of queueing without end', async () => {
    const segment = await live(manager, H264);
    const grabber = new FrameGrabber(FFMPEG!, { maxConcurrent: 1, maxQueued: 1 });
    const results = await Promise.allSettled([grabber.grab(segment), grabber.grab(segment), grabber.grab(segment)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect(((results[2] as PromiseRejectedResult).reason as SnapshotError).reason).toBe('busy');
  });

  it('a garbage segment fails as "decoder failed", without ffmpeg\'s words', async () => {
    const grabber = new FrameGrabber(FFMPEG!);
    const err = await errorOf(grabber.grab({ name: 's0-0.ts', format: 'mpegts', body: new Uint8Array(188 * 20).fill(0x47) }));
    expect(err).toBeInstanceOf(SnapshotError);
    expect(err.reason).toBe('decoder failed');
  });

  it('the service prefers the running relay, caches for a while and shares one attempt between callers', async () => {
    await live(manager, H264);
    const grabber = new FrameGrabber(FFMPEG!);
    let asked = 0;
    const service = new SnapshotService({
      latestSegment: (id) => manager.latestSegment(id),
      snapshotSource: async () => { asked++; return null; },
      grabber,
    });
    const [a, b] = await Promise.all([service.snapshot(H264), service.snapshot(H264)]);
    expect(a.source).toBe('relay');
    expect(b).toBe(a);
    expect(await service.snapshot(H264)).toBe(a);
    expect(grabber.stats().spawned).toBe(1);
    expect(asked).toBe(0);
  });

  it('a relay that lost its camera offers no segment: its window holds pictures that are getting old', async () => {
    await live(manager, DROPS);
    cams.get(DROPS)!.setFault({ kind: 'offline' });
    try {
      await until(() => manager.list().find((s) => s.relayId === DROPS)?.state === 'reconnecting');
      expect(manager.latestSegment(DROPS)).toBeUndefined();
    } finally {
      cams.get(DROPS)!.setFault({ kind: 'none' });
    }
  });

  it('looking for a segment never starts a relay', () => {
    const before = manager.size;
    expect(manager.latestSegment(ONVIF)).toBeUndefined();
    expect(manager.size).toBe(before);
  });
});

describe('the camera\'s own snapshot over HTTP', () => {
  const target = (i: number, password?: string) => {
    const c = cams.get(i)!;
    return { url: c.snapshotUrl, username: c.spec.username, password: password ?? c.spec.password };
  };

  it('answers the camera\'s Digest challenge (offered before Basic) and returns its JPEG', async () => {
    const cam = cams.get(ONVIF)!;
    const before = cam.stats().auth.digest;
    const jpeg = await fetchSnapshot(target(ONVIF));
    expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(cam.stats().auth.digest).toBe(before + 1);
  });

  it('a wrong password is "unauthorized", and the error carries no credential or address', async () => {
    const err = await errorOf(fetchSnapshot(target(ONVIF, 'not-the-password')));
    expect(err.reason).toBe('unauthorized');
    expect(err.message).not.toMatch(/not-the-password|127\.|snapshot\.jpg/);
    const none = await errorOf(fetchSnapshot({ url: cams.get(ONVIF)!.snapshotUrl }));
    expect(none.reason).toBe('unauthorized');
  });

  it('bounds the answer: deadline, size cap', async () => {
    const slow = cams.get(SLOW)!;
    slow.setFault({ kind: 'slow', delayMs: 3000 });
    try {
      expect((await errorOf(fetchSnapshot(target(SLOW), { timeoutMs: 300 }))).reason).toBe('timeout');
    } finally {
      slow.setFault({ kind: 'none' });
    }
    expect((await errorOf(fetchSnapshot(target(ONVIF), { maxBytes: 1000 }))).reason).toBe('too large');
  });

  describe('against other HTTP servers on loopback', () => {
    let server: Server;
    let base = '';
    const auth = new HttpAuth('basic-only', () => ({ username: 'admin', password: 'pw-basic' }));
    let jpeg: Buffer;
    beforeAll(async () => {
      jpeg = await fetchSnapshot(target(ONVIF));
      server = createServer((req, res) => {
        if (req.url === '/html') return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
        if (req.url === '/redirect') return res.writeHead(302, { location: 'http://127.0.0.1:1/x.jpg' }).end();
        const result = auth.check('GET', req.headers.authorization);
        if (result !== 'basic') return res.writeHead(401, { 'www-authenticate': 'Basic realm="basic-only"' }).end();
        res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const address = server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('uses Basic when that is all the camera offers', async () => {
      const got = await fetchSnapshot({ url: `${base}/snap.jpg`, username: 'admin', password: 'pw-basic' });
      expect(got.equals(jpeg)).toBe(true);
    });

    it('refuses an answer that is not image/jpeg, and does not follow redirects', async () => {
      expect((await errorOf(fetchSnapshot({ url: `${base}/html` }))).reason).toBe('not a jpeg');
      expect((await errorOf(fetchSnapshot({ url: `${base}/redirect` }))).reason).toBe('http 302');
    });
  });

  it('the service falls back to the camera when no relay runs, and says why when there is nothing', async () => {
    const service = new SnapshotService({
      latestSegment: () => undefined,
      snapshotSource: async (id) => (id === ONVIF ? target(ONVIF) : null),
      grabber: FFMPEG ? new FrameGrabber(FFMPEG) : null,
    });
    expect((await service.snapshot(ONVIF)).source).toBe('onvif');
    expect((await errorOf(service.snapshot(H264))).reason).toBe('no source');
  });

  it('a failure is answered again for a while rather than hammering the camera', async () => {
    let now = 1_000_000;
    let asked = 0;
    const service = new SnapshotService({
      latestSegment: () => undefined,
      snapshotSource: async () => { asked++; return target(ONVIF, 'wrong'); },
      grabber: null,
      failureCacheMs: 5_000,
      now: () => now,
    });
    expect((await errorOf(service.snapshot(ONVIF))).reason).toBe('unauthorized');
    expect((await errorOf(service.snapshot(ONVIF))).reason).toBe('unauthorized');
    expect(asked).toBe(1);
    now += 5_001;
    await errorOf(service.snapshot(ONVIF));
    expect(asked).toBe(2);
  });

  it('finds ffmpeg on PATH or says there is none', () => {
    expect(findFfmpeg('/nonexistent-dir')).toBeNull();
    if (FFMPEG) expect(FFMPEG.endsWith('/ffmpeg')).toBe(true);
  });
});
