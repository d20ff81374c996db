// Faults behave as documented (scripts/simulator/README.md). Every wait below is bounded and only waits for a
// condition; nothing asserts how fast the simulator is.
import { connect as tcpConnect } from 'node:net';
import { createRequire } from 'node:module';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type SimCamera, planCamera, startCamera } from '../../scripts/simulator/index';
import { loadFixture } from '../../scripts/simulator/fixtures';
import { RtspTestClient, sleep, until } from './rtsp-client';

// This file's own range: 1300–1399. simFixture(): 1300 h264, 1305 h264-aac, 1315 h265.
const started: SimCamera[] = [];
async function camera(index: number, opts?: { sessionTimeoutSec?: number }): Promise<SimCamera> {
  const c = await startCamera(planCamera({ index, name: `fault-${index}`, network: 'skynet', orgUnitCode: '339901' }), opts);
  started.push(c);
  return c;
}
const clients: RtspTestClient[] = [];
async function client(cam: SimCamera, password = cam.spec.password): Promise<RtspTestClient> {
  const c = await RtspTestClient.open(cam.rtspUrl, { username: cam.spec.username, password });
  clients.push(c);
  return c;
}
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});
afterAll(async () => {
  await Promise.all(started.map((c) => c.close()));
});

function tcpProbe(host: string, port: number): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const s = tcpConnect({ host, port });
    s.once('connect', () => { s.destroy(); resolve('connected'); });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

interface CamLike { getDeviceInformation(cb: (err: Error | null) => void): void }
const { Cam } = createRequire(import.meta.url)('onvif') as {
  Cam: new (o: Record<string, unknown>, cb: (this: CamLike, err: Error | null) => void) => CamLike;
};
function onvifConnect(cam: SimCamera, password = cam.spec.password): Promise<void> {
  return new Promise((resolve, reject) => {
    new Cam({ hostname: cam.spec.host, port: cam.spec.onvifPort, username: cam.spec.username, password, timeout: 5000 },
      (err) => (err ? reject(err) : resolve()));
  });
}

/** H.264 SPS NAL units seen on the video channel (single NAL unit packets; SPS is never fragmented). */
const spsOf = (c: RtspTestClient) => c.packets.filter((p) => p.channel === 0 && (p.payload[0] & 0x1f) === 7).map((p) => p.payload);

describe('faults', () => {
  it('offline refuses RTSP and ONVIF connections; back to none accepts them again', async () => {
    const cam = await camera(1300);
    const c = await client(cam);
    await c.play();
    cam.setFault({ kind: 'offline' });
    expect(await c.waitClosed()).toBe(true); // the open session is dropped
    expect(await tcpProbe(cam.spec.host, cam.spec.rtspPort)).toBe('ECONNREFUSED');
    expect(await tcpProbe(cam.spec.host, cam.spec.onvifPort)).toBe('ECONNREFUSED');
    await expect(onvifConnect(cam)).rejects.toThrow(/ECONNREFUSED/);
    expect(cam.activeStreams()).toBe(0);
    cam.setFault({ kind: 'none' });
    await cam.settled();
    expect(await tcpProbe(cam.spec.host, cam.spec.rtspPort)).toBe('connected');
    await onvifConnect(cam);
  });

  it('stall stops RTP but keeps TCP and RTSP up; recovery resumes at a keyframe', async () => {
    const cam = await camera(1301);
    const c = await client(cam);
    await c.play();
    expect(await until(() => c.packets.length > 50)).toBe(true);
    cam.setFault({ kind: 'stall' });
    await sleep(100); // let a tick that was already due go out
    const frozen = c.packets.length;
    await sleep(1000);
    expect(c.packets.length).toBe(frozen);
    expect(c.closed).toBe(false);
    expect((await c.request('GET_PARAMETER')).status).toBe(200);
    expect(cam.activeStreams()).toBe(1);
    cam.setFault({ kind: 'none' });
    const resumed = () => c.packets.slice(frozen).filter((p) => p.channel === 0);
    expect(await until(() => resumed().length > 0)).toBe(true);
    expect(resumed()[0].payload[0] & 0x1f).toBe(7); // SPS of the next IDR
  });

  it('wrong-password rejects every credential: RTSP 401, ONVIF NotAuthorized, snapshot 401', async () => {
    const cam = await camera(1302);
    cam.setFault({ kind: 'wrong-password' });
    const c = await client(cam);
    expect((await c.request('DESCRIBE')).status).toBe(401);
    await expect(onvifConnect(cam)).rejects.toThrow(/NotAuthorized|not Authorized/i);
    const basic = 'Basic ' + Buffer.from(`${cam.spec.username}:${cam.spec.password}`).toString('base64');
    expect((await fetch(cam.snapshotUrl, { headers: { Authorization: basic } })).status).toBe(401);
    cam.setFault({ kind: 'none' });
    expect((await c.request('DESCRIBE')).status).toBe(200);
  });

  it('garbage-soap answers 200 with bytes that are not XML, and the onvif client fails', async () => {
    const cam = await camera(1303);
    cam.setFault({ kind: 'garbage-soap' });
    const res = await fetch(cam.onvifXAddr, {
      method: 'POST', headers: { 'Content-Type': 'application/soap+xml' },
      body: '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>',
    });
    expect(res.status).toBe(200);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.length).toBeGreaterThan(0);
    expect(body.toString('latin1').trimStart().startsWith('<')).toBe(false);
    await expect(onvifConnect(cam)).rejects.toThrow();
  });

  it('slow delays responses (a 60 s delay outlasts a 300 ms client deadline; none answers at once)', async () => {
    const cam = await camera(1304);
    const soap = () => fetch(cam.onvifXAddr, {
      method: 'POST', headers: { 'Content-Type': 'application/soap+xml' }, signal: AbortSignal.timeout(300),
      body: '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>',
    });
    cam.setFault({ kind: 'slow', delayMs: 60_000 });
    await expect(soap()).rejects.toThrow();
    const c = await client(cam);
    c.responseTimeoutMs = 300;
    await expect(c.request('OPTIONS')).rejects.toThrow(/no response/);
    cam.setFault({ kind: 'none' });
    expect((await soap()).status).toBe(200);
  });

  it('silent-audio announces audio in the SDP but sends none (fixture with and without audio)', async () => {
    for (const index of [1305, 1306]) {
      const cam = await camera(index);
      cam.setFault({ kind: 'silent-audio' });
      const c = await client(cam);
      const sdp = await c.play();
      expect(sdp).toMatch(/m=audio 0 RTP\/AVP 97/);
      expect(sdp).toMatch(/config=[0-9a-f]{4}/);
      expect(await until(() => c.packets.filter((p) => p.marker && p.channel === 0).length >= 30)).toBe(true);
      expect(c.packets.filter((p) => p.channel === 2)).toHaveLength(0);
      c.close();
    }
  });

  it('without faults the AAC camera does send audio (the silent-audio check above can fail)', async () => {
    const cam = started.find((c) => c.spec.index === 1305) ?? (await camera(1305));
    cam.setFault({ kind: 'none' });
    const c = await client(cam);
    await c.play();
    expect(await until(() => c.packets.some((p) => p.channel === 2 && p.payloadType === 97))).toBe(true);
  });

  it('flapping drops connections, refuses for a while, then accepts again', async () => {
    const cam = await camera(1307);
    const c = await client(cam);
    await c.play();
    cam.setFault({ kind: 'flapping', periodSec: 1 });
    expect(await c.waitClosed(5000)).toBe(true);
    expect(await tcpProbe(cam.spec.host, cam.spec.rtspPort)).toBe('ECONNREFUSED');
    expect(await until(() => cam.stats().online, 5000)).toBe(true);
    await cam.settled();
    expect(await tcpProbe(cam.spec.host, cam.spec.rtspPort)).toBe('connected');
    cam.setFault({ kind: 'none' });
  });

  it('sps-change switches the video to another resolution mid-stream, timestamps continuing', async () => {
    const cam = await camera(1308);
    cam.setFault({ kind: 'sps-change', afterSec: 1 });
    const c = await client(cam);
    await c.play();
    const original = loadFixture('h264').video.fmtp;
    expect(await until(() => new Set(spsOf(c).map((b) => b.toString('base64'))).size >= 2)).toBe(true);
    const sps = [...new Set(spsOf(c).map((b) => b.toString('base64')))];
    expect(original).toContain(sps[0]);
    expect(original).not.toContain(sps[1]);
    expect(loadFixture('h264-alt').video.fmtp).toContain(sps[1]);
    const frames = c.packets.filter((p) => p.channel === 0 && p.marker);
    for (let i = 1; i < frames.length; i++) expect((frames[i].timestamp - frames[i - 1].timestamp) >>> 0).toBe(3600);
  });

  it('an idle session times out and its connection is closed', async () => {
    const cam = await camera(1309, { sessionTimeoutSec: 1 });
    const c = await client(cam);
    const d = await c.request('DESCRIBE');
    const s = await c.request('SETUP', `${d.header('content-base')}trackID=0`, { Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1' });
    expect(s.header('session')).toMatch(/;timeout=1$/);
    expect(await c.waitClosed(5000)).toBe(true);
  });

  it('GET_PARAMETER keep-alives (also to *) hold a session past its timeout', async () => {
    const cam = await camera(1310, { sessionTimeoutSec: 1 });
    const c = await client(cam);
    await c.play();
    for (let i = 0; i < 8; i++) {
      await sleep(300);
      expect((await c.request('GET_PARAMETER', i % 2 ? '*' : cam.rtspUrl)).status).toBe(200);
    }
    expect(c.closed).toBe(false);
    expect(cam.activeStreams()).toBe(1);
  });
});
