// Malformed device input: simulated cameras that answer with broken SDP, broken RTSP responses or broken RTP
// (scripts/simulator/malformed.ts). Through the real gateway: each fault leaves a recorded reason (the camera's
// status reason, the probe's error), the process and a healthy camera's relay keep going, and once the fault is
// cleared the camera plays again. Simulator indexes 3600–3649 are this file's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RtspProbeResult } from '../../server/contracts/catalogue';
import { interrogate, InterrogationError } from '../../server/discovery/onvif/interrogate';
import { onvifXAddr, parseFault, planCamera, rtspUrl, startCamera, type Fault, type SimCamera } from '../../scripts/simulator';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';

type Malformed = Extract<Fault, { variant: string }>;
const SDP: Malformed[] = (['garbage', 'no-media', 'absurd-fmtp'] as const).map((variant) => ({ kind: 'bad-sdp', variant }));
const RTSP: Malformed[] = (['status-line', 'no-cseq', 'huge-headers', 'truncated'] as const).map((variant) => ({ kind: 'bad-rtsp', variant }));
const RTP: Malformed[] = (['version', 'padding', 'extension', 'short', 'oversized', 'fua-no-start'] as const).map((variant) => ({ kind: 'bad-rtp', variant }));

const HEALTHY_INDEX = 3600;
/** Plain H.264 fixtures only (indexes ≡ 0 mod 5 get AAC, B-frames, HEVC or PCMA): fua-no-start assumes H.264. */
const FAULTY_INDEXES = Array.from({ length: 40 }, (_, i) => 3601 + i).filter((i) => i % 5 !== 0);

const label = (f: Malformed) => `${f.kind}:${f.variant}`;

describe('malformed device input', () => {
  let t: TestApp;
  let county: Login;
  const cams = new Map<string, { cam: SimCamera; id: number }>();
  let healthy: { cam: SimCamera; id: number };

  beforeAll(async () => {
    t = await buildTestApp({ media: { idleTimeoutSec: 120, stallTimeoutSec: 3, maxRelays: 32, segmentFormat: 'mpegts' } });
    county = await login(t.app, ...DEMO.county);
    const unit = (await t.app.repos.orgUnits.findByCode('339901002'))!;
    const add = async (index: number) => {
      const spec = planCamera({ index, name: `畸形输入${index}`, network: 'skynet', orgUnitCode: unit.code });
      const cam = await startCamera(spec);
      const id = await t.app.repos.cameras.insert({
        network: 'skynet', externalId: `MALFORMED${index}`, name: spec.name, orgUnitId: unit.id, sourceKind: 'rtsp',
        endpoint: rtspUrl(spec), streamUrl: rtspUrl(spec), credentials: { username: spec.username, password: spec.password },
      });
      return { cam, id };
    };
    healthy = await add(HEALTHY_INDEX);
    const faults = [...SDP, ...RTSP, ...RTP];
    for (const [i, f] of faults.entries()) cams.set(label(f), await add(FAULTY_INDEXES[i]));
    const first = await playlist(healthy.id);
    expect(first.statusCode).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await Promise.all([healthy?.cam.close(), ...[...cams.values()].map((c) => c.cam.close())]);
  });

  const playlist = (id: number) => t.app.inject({ url: `/live/${id}/index.m3u8`, headers: { cookie: county.cookie } });
  const mediaSequence = (body: string) => Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(body)?.[1] ?? -1);

  /** Polls the playlist as a viewer would (polls also bring a reconnect forward) until `done`. */
  async function pollUntil(id: number, done: (status: number) => boolean, limit = 240): Promise<number> {
    for (let i = 0; i < limit; i++) {
      const res = await playlist(id);
      if (done(res.statusCode)) return res.statusCode;
      await new Promise((r) => setTimeout(r, 250));
    }
    return -1;
  }

  /**
   * `plays`: faults a relay can rightly play through (nonsense fmtp while the parameter sets come in-band, as the
   * relay takes them from the stream); they must not fail the camera. The others must fail it with a reason.
   */
  async function relayFaults(faults: Malformed[], plays: string[] = []) {
    const before = await playlist(healthy.id);
    const seqBefore = mediaSequence(before.body);
    const reasons: Record<string, string | null> = {};
    // All of one group at once: several broken relays side by side, on the same worker as the healthy one.
    await Promise.all(faults.map(async (f) => {
      const { cam, id } = cams.get(label(f))!;
      cam.setFault(f);
      await cam.settled();
      if (plays.includes(label(f))) {
        expect(await pollUntil(id, (s) => s === 200), `${label(f)} should play`).toBe(200);
        await expect.poll(async () => (await t.app.repos.cameras.byId(id))!.status, { timeout: 30_000 }).toBe('online');
        return;
      }
      const status = await pollUntil(id, (s) => s === 502);
      expect(status, `${label(f)}: the camera's playlist should answer 502`).toBe(502);
      await expect.poll(async () => (await t.app.repos.cameras.byId(id))!.status, { timeout: 30_000 }).toBe('offline');
      reasons[label(f)] = (await t.app.repos.cameras.byId(id))!.statusReason;
    }));
    console.log(`malformed-devices reasons: ${JSON.stringify(reasons)}`);
    // Every broken camera has a reason on record, in the words the relay reports (server/media/README.md).
    for (const f of faults.filter((x) => !plays.includes(label(x)))) expect(reasons[label(f)], label(f)).toMatch(/^(timeout|stalled|closed|protocol error|not found|unsupported codec .+)$/);

    // The healthy relay never noticed: still served, still advancing, and never restarted (a dead worker restarts it).
    await expect.poll(async () => mediaSequence((await playlist(healthy.id)).body), { timeout: 30_000 }).toBeGreaterThan(seqBefore);
    const relays = (await t.app.inject({ url: '/api/live/relays', headers: county.headers })).json<Array<{ cameraId: number; state: string; reconnects: number }>>();
    expect(relays.find((r) => r.cameraId === healthy.id)).toMatchObject({ state: 'online', reconnects: 0 });
    expect((await t.app.inject({ url: '/api/health' })).statusCode).toBe(200);

    // Cleared: each camera plays again and is recorded online.
    await Promise.all(faults.map(async (f) => {
      const { cam, id } = cams.get(label(f))!;
      cam.setFault({ kind: 'none' });
      await cam.settled();
      const status = await pollUntil(id, (s) => s === 200);
      expect(status, `${label(f)}: the camera should play again`).toBe(200);
      await expect.poll(async () => (await t.app.repos.cameras.byId(id))!.status, { timeout: 30_000 }).toBe('online');
    }));
    return reasons;
  }

  it('broken SDP (garbage, no m= lines, absurd fmtp): a reason, the rest keep playing, recovery', async () => {
    const reasons = await relayFaults(SDP, ['bad-sdp:absurd-fmtp']);
    expect(reasons).toMatchObject({ 'bad-sdp:garbage': expect.stringMatching(/^unsupported codec none/), 'bad-sdp:no-media': expect.stringMatching(/^unsupported codec none/) });
    // The size comes from the in-band SPS, not from the nonsense in the SDP.
    expect(await t.app.repos.cameras.byId(cams.get('bad-sdp:absurd-fmtp')!.id)).toMatchObject({ codec: 'h264', width: 1280, height: 720 });
    expect(reasons['bad-sdp:no-media']).toMatch(/protocol error|unsupported codec/);
  }, 180_000);

  it('broken RTSP responses (status line, no CSeq, 1 MiB header, truncated): a reason, the rest keep playing, recovery', async () => {
    const reasons = await relayFaults(RTSP);
    // A 1 MiB head is cut off at the relay's cap; a status line or CSeq the client cannot match is refused at once
    // (it used to wait for the timeout); half an answer then EOF is a closed connection.
    expect(reasons).toMatchObject({ 'bad-rtsp:huge-headers': 'protocol error', 'bad-rtsp:truncated': 'closed', 'bad-rtsp:status-line': 'protocol error', 'bad-rtsp:no-cseq': 'protocol error' });
  }, 180_000);

  it('broken RTP (version, padding, extension, short, oversized, FU-A without start): a reason, the rest keep playing, recovery', async () => {
    const reasons = await relayFaults(RTP);
    // Every broken packet is dropped (none reaches the muxer), so the camera is silent: stalled.
    for (const f of RTP) expect(reasons[label(f)], label(f)).toBe('stalled');
  }, 180_000);

  it('the RTSP probe reports broken SDP and broken responses as an error kind (never a 500), and succeeds once cleared', async () => {
    const results: Record<string, RtspProbeResult> = {};
    const checks: Record<string, { status: string; reason: string | null }> = {};
    for (const f of [...SDP, ...RTSP]) {
      const { cam } = cams.get(label(f))!;
      cam.setFault(f);
      await cam.settled();
      const res = await t.app.inject({
        method: 'POST', url: '/api/discovery/rtsp/probe', headers: county.headers,
        payload: { url: rtspUrl(cam.spec), credentials: { username: cam.spec.username, password: cam.spec.password }, timeoutMs: 3000 },
      });
      expect(res.statusCode, `${label(f)}: ${res.body}`).toBe(200);
      results[label(f)] = res.json<RtspProbeResult>();
      expect(res.body).not.toContain(cam.spec.password);
      // The health check (one OPTIONS) records broken responses as the camera's reason; SDP is not its business.
      const { id } = cams.get(label(f))!;
      const check = await t.app.inject({ method: 'POST', url: `/api/health-checks/cameras/${id}`, headers: county.headers });
      expect(check.statusCode, `${label(f)} health check: ${check.body}`).toBe(200);
      checks[label(f)] = check.json<{ status: string; reason: string | null }>();
      cam.setFault({ kind: 'none' });
      await cam.settled();
      const again = await t.app.inject({
        method: 'POST', url: '/api/discovery/rtsp/probe', headers: county.headers,
        payload: { url: rtspUrl(cam.spec), credentials: { username: cam.spec.username, password: cam.spec.password }, timeoutMs: 3000 },
      });
      expect(again.json<RtspProbeResult>(), `${label(f)} cleared`).toMatchObject({ ok: true, video: { codec: 'h264', width: 1280, height: 720 } });
    }
    const kinds = Object.fromEntries(Object.entries(results).map(([k, r]) => [k, r.ok ? 'ok' : r.error]));
    expect(kinds).toMatchObject({
      'bad-sdp:garbage': 'no-video',
      'bad-sdp:no-media': 'no-video',
      'bad-rtsp:status-line': 'not-rtsp',
      'bad-rtsp:huge-headers': 'bad-response',
      'bad-rtsp:truncated': 'bad-response',
    });
    // A camera whose fmtp is nonsense still has video: the probe says so and does not invent a size.
    expect(results['bad-sdp:absurd-fmtp']).toMatchObject({ ok: true, video: { codec: 'h264', width: null, height: null } });
    // No CSeq: the relay could not play it, so the probe does not pass it either.
    expect(results['bad-rtsp:no-cseq']).toMatchObject({ ok: false, error: 'bad-response', message: expect.stringContaining('CSeq') });
    for (const r of Object.values(results)) if (!r.ok) expect(r.message).toBeTruthy();
    console.log(`malformed-devices health checks: ${JSON.stringify(checks)}`);
    for (const f of RTSP) {
      expect(checks[label(f)], label(f)).toMatchObject({ status: 'offline', reason: expect.stringMatching(/\S/) });
      expect((await t.app.repos.cameras.byId(cams.get(label(f))!.id))!.statusReason, label(f)).toBe(checks[label(f)].reason);
    }
    for (const f of SDP) expect(checks[label(f)], label(f)).toMatchObject({ status: 'online' });
    // Cleared, the check finds each camera online again.
    for (const f of RTSP) {
      const check = await t.app.inject({ method: 'POST', url: `/api/health-checks/cameras/${cams.get(label(f))!.id}`, headers: county.headers });
      expect(check.json(), label(f)).toMatchObject({ status: 'online' });
    }
  }, 120_000);

  it('ONVIF interrogation of a device answering garbage SOAP fails with a kind, then succeeds once cleared', async () => {
    const { cam } = cams.get('bad-sdp:garbage')!;
    const target = { xaddr: onvifXAddr(cam.spec), username: cam.spec.username, password: cam.spec.password, timeoutMs: 3000 };
    cam.setFault({ kind: 'garbage-soap' });
    await cam.settled();
    const err = await interrogate(target).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InterrogationError);
    expect((err as InterrogationError).kind).toBeTruthy();
    expect((err as Error).message).not.toContain(cam.spec.password);
    cam.setFault({ kind: 'none' });
    await cam.settled();
    const facts = await interrogate(target);
    expect(facts.streamUri).toContain(cam.spec.host);
  }, 60_000);

  it('the control endpoint accepts the malformed faults by variant and names the allowed ones otherwise', () => {
    expect(parseFault({ kind: 'bad-rtp', variant: 'short' })).toEqual({ kind: 'bad-rtp', variant: 'short' });
    expect(() => parseFault({ kind: 'bad-sdp', variant: 'nope' })).toThrow(/garbage, no-media, absurd-fmtp/);
    expect(() => parseFault({ kind: 'bad-rtsp' })).toThrow(/fault.variant/);
  });
});
