// WHEP through the gateway with a werift client in node: a simulated H.264 camera → relay (worker thread) → access
// units tapped to the main thread → RTP over WebRTC on loopback. Checks that pictures arrive and start decodable
// (SPS, PPS, IDR), the cap's refusal, scope (other township 404), residents refused, H.265 refused, DELETE.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, type RtpPacket } from 'werift';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planCamera, rtspUrl, startCamera, type SimCamera } from '../../scripts/simulator';
import type { FixtureName } from '../../server/demo/camera-plan';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';

// Simulator indexes reserved for this file: 3180–3181 (the e2e uses demo cameras 180–189).
const H264_INDEX = 3180;
const H265_INDEX = 3181;

interface Client {
  pc: RTCPeerConnection;
  offer: string;
  packets: RtpPacket[];
  /** Resolves with the NAL types of the first picture (up to its marker bit) once one has arrived. */
  firstPicture: Promise<number[]>;
  pictures(): number;
}

async function client(): Promise<Client> {
  const pc = new RTCPeerConnection({
    iceServers: [], iceUseIpv6: false, iceInterfaceAddresses: { udp4: '127.0.0.1' }, iceAdditionalHostAddresses: ['127.0.0.1'],
    codecs: { video: [new RTCRtpCodecParameters({ mimeType: 'video/H264', clockRate: 90_000, parameters: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f' })], audio: [] },
  });
  pc.addTransceiver('video', { direction: 'recvonly' });
  const packets: RtpPacket[] = [];
  let markers = 0;
  const firstPicture = new Promise<number[]>((resolve) => {
    pc.onTrack.subscribe((track: MediaStreamTrack) => {
      track.onReceiveRtp.subscribe((rtp) => {
        packets.push(rtp);
        if (rtp.header.marker && ++markers === 1) {
          resolve(packets.map((p) => {
            const t = p.payload[0]! & 0x1f;
            return t === 28 ? p.payload[1]! & 0x1f : t; // FU-A: the fragmented NAL's own type
          }));
        }
      });
    });
  });
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise<void>((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    pc.iceGatheringStateChange.subscribe((s) => { if (s === 'complete') resolve(); });
  });
  return { pc, offer: pc.localDescription!.sdp, packets, firstPicture, pictures: () => markers };
}

describe('WHEP low-latency path', () => {
  let t: TestApp;
  let county: Login, chengguan: Login, dongcheng: Login;
  let h264: SimCamera, h265: SimCamera;
  let h264Id: number, h265Id: number;
  const clients: Client[] = [];

  beforeAll(async () => {
    t = await buildTestApp({ webrtc: { maxSessions: 1, bindAddress: '127.0.0.1', announceAddress: '' } });
    [county, chengguan, dongcheng] = await Promise.all([login(t.app, ...DEMO.county), login(t.app, ...DEMO.chengguan), login(t.app, ...DEMO.dongcheng)]);
    const unit = (await t.app.repos.orgUnits.findByCode('339901002'))!;
    const add = async (index: number, fixture?: FixtureName) => {
      const spec = { ...planCamera({ index, name: `低延时${index}`, network: 'skynet', orgUnitCode: unit.code }), ...(fixture ? { fixture } : {}) };
      const cam = await startCamera(spec);
      const id = await t.app.repos.cameras.insert({
        network: 'skynet', externalId: `WEBRTC${index}`, name: spec.name, orgUnitId: unit.id, sourceKind: 'rtsp',
        endpoint: rtspUrl(spec), streamUrl: rtspUrl(spec), credentials: { username: spec.username, password: spec.password },
      });
      return [cam, id] as const;
    };
    [h264, h264Id] = await add(H264_INDEX);
    [h265, h265Id] = await add(H265_INDEX, 'h265');
  }, 30_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.pc.close()));
    await t.close();
    await Promise.all([h264.close(), h265.close()]);
  });

  const post = (cameraId: number, login: Login | null, sdp: string) => t.app.inject({
    method: 'POST', url: `/api/live/${cameraId}/whep`, payload: sdp,
    headers: { 'content-type': 'application/sdp', ...(login ? login.headers : {}) },
  });

  it('answers an offer with 201, an SDP answer and a Location; H.264 pictures arrive starting with SPS, PPS, IDR', async () => {
    const c = await client();
    clients.push(c);
    const res = await post(h264Id, dongcheng, c.offer);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['content-type']).toContain('application/sdp');
    expect(res.headers.location).toMatch(/^\/api\/live\/whep\/[0-9a-f-]{36}$/);
    expect(res.body).toMatch(/^v=0/);
    expect(res.body).toMatch(/a=candidate:.* 127\.0\.0\.1 /);
    expect(res.body).not.toMatch(/typ srflx|typ relay/); // host candidates only
    await c.pc.setRemoteDescription({ type: 'answer', sdp: res.body });
    const types = await c.firstPicture;
    expect(types.slice(0, 3)).toEqual([7, 8, 5]);
    await expect.poll(() => c.pictures(), { timeout: 10_000 }).toBeGreaterThan(10);
    expect(t.app.lowLatency.list()).toEqual([expect.objectContaining({ cameraId: h264Id, state: 'connected' })]);
  }, 30_000);

  it('keeps the HLS segments of a tapped relay intact (the tap copies units, it never moves the relay\'s bytes)', async () => {
    // A whole 1 s GOP segment cut while the tap ran (the first pieces of a session are shorter).
    const fullSegment = async () => {
      const playlist = await t.app.inject({ url: `/live/${h264Id}/index.m3u8`, headers: { cookie: county.cookie } });
      const lines = playlist.body.split('\n');
      const i = lines.findLastIndex((l) => l.startsWith('#EXTINF:1.000'));
      return i >= 0 ? lines[i + 1]! : null;
    };
    await expect.poll(fullSegment, { timeout: 10_000 }).not.toBeNull();
    const last = (await fullSegment())!;
    const seg = await t.app.inject({ url: `/live/${h264Id}/${last}`, headers: { cookie: county.cookie } });
    expect(seg.statusCode).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), 'whep-seg-'));
    try {
      writeFileSync(join(dir, 'seg.ts'), seg.rawPayload);
      const out = execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', join(dir, 'seg.ts')], { encoding: 'utf8' });
      expect(out.trim().split('\n')[0]).toBe('25'); // every picture of the 1 s GOP at 25 fps decodes
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a second session over the cap with 503 naming the limit', async () => {
    const c = await client();
    clients.push(c);
    const res = await post(h264Id, county, c.offer);
    expect(res.statusCode).toBe(503);
    expect(res.json().message).toMatch(/limit 1/);
    expect(res.headers['retry-after']).toBeDefined();
  });

  it('ends a session on DELETE by its owner only; the relay keeps running for HLS', async () => {
    const [{ id }] = t.app.lowLatency.list();
    expect((await t.app.inject({ method: 'DELETE', url: `/api/live/whep/${id}`, headers: county.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/live/whep/${id}`, headers: dongcheng.headers })).statusCode).toBe(200);
    expect(t.app.lowLatency.size).toBe(0);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/live/whep/${id}`, headers: dongcheng.headers })).statusCode).toBe(404);
  });

  it('hides a camera outside the caller\'s area (404) and refuses callers without a staff session', async () => {
    const c = await client();
    clients.push(c);
    const other = await post(h264Id, chengguan, c.offer);
    expect(other.statusCode).toBe(404);
    const anonymous = await post(h264Id, null, c.offer);
    expect(anonymous.statusCode).toBe(401);
    // A resident's viewer token opens HLS, never this path.
    const token = await t.app.inject({ method: 'POST', url: `/api/live/${h264Id}/whep?v=${'x'.repeat(40)}`, payload: c.offer, headers: { 'content-type': 'application/sdp' } });
    expect(token.statusCode).toBe(401);
  });

  it('refuses an H.265 camera with a reason (the tile stays on HLS)', async () => {
    const c = await client();
    clients.push(c);
    const res = await post(h265Id, county, c.offer);
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toMatch(/H\.265/);
  }, 30_000);

  it('refuses a body that is not SDP', async () => {
    const res = await post(h264Id, county, 'hello world, not sdp');
    expect(res.statusCode).toBe(400);
  });
});
