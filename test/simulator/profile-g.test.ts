// Profile G on a simulated camera through the `onvif` npm client (a third-party peer): the SD card's recording
// (GetRecordings, GetRecordingSummary, GetRecordingInformation), GetReplayUri, and the replay RTSP session that
// starts at the asked wall-clock moment (`Range: clock=`, snapped to the key frame before it) and honours `Scale`.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCamera, planCamera, startCamera } from '../../scripts/simulator/index';
import { clockTime, parseClockRange } from '../../scripts/simulator/rtsp/server';
import { RtspTestClient, until } from './rtsp-client';

type Cb<T> = (err: Error | null, v: T, xml?: string) => void;
interface CamLike {
  getRecordings(cb: Cb<{ recordingToken: string } | Array<{ recordingToken: string }>>): void;
  getRecordingSummary(cb: Cb<{ dataFrom: string; dataUntil: string; numberRecordings: number }>): void;
  getReplayUri(opts: { recordingToken: string }, cb: Cb<string>): void;
  uri: Record<string, unknown>;
}
const { Cam } = createRequire(import.meta.url)('onvif') as {
  Cam: new (o: Record<string, unknown>, cb: (this: CamLike, err: Error | null) => void) => CamLike;
};
const call = <T>(fn: (cb: Cb<T>) => void) =>
  new Promise<T>((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));

// This file's own simulator range: 4500–4509.
let cam: SimCamera;
let c: CamLike;
const opened: RtspTestClient[] = [];
beforeAll(async () => {
  cam = await startCamera(planCamera({ index: 4500, name: '回放测试', network: 'skynet', orgUnitCode: '339901001' }));
  c = await new Promise<CamLike>((resolve, reject) => {
    new Cam({ hostname: cam.spec.host, port: cam.spec.onvifPort, username: cam.spec.username, password: cam.spec.password, timeout: 10_000 },
      function (err) { if (err) reject(err); else resolve(this); });
  });
});
afterAll(async () => {
  for (const o of opened) o.close();
  await cam?.close();
});

async function replay(headers: Record<string, string>): Promise<RtspTestClient> {
  const r = await RtspTestClient.open(cam.recording.replayUrl, { username: cam.spec.username, password: cam.spec.password });
  opened.push(r);
  await r.play(headers);
  return r;
}

/** Milliseconds of media between RTP-Info's origin and the first video packet. */
function firstVideoOffsetMs(r: RtspTestClient): number {
  const origin = Number(/url=[^;,]*trackID=0;seq=\d+;rtptime=(\d+)/.exec(r.lastPlay!.header('rtp-info')!)![1]);
  const first = r.packets.find((p) => p.channel === 0)!;
  return (((first.timestamp - origin) >>> 0) / 90);
}

describe('simulated camera, ONVIF Profile G', () => {
  it('advertises recording, search and replay, and holds one recording of the last 24 h', async () => {
    expect(Object.keys(c.uri)).toEqual(expect.arrayContaining(['recording', 'search', 'replay']));
    const items = await call<{ recordingToken: string } | Array<{ recordingToken: string }>>((cb) => c.getRecordings(cb));
    const list = Array.isArray(items) ? items : [items];
    expect(list.map((i) => i.recordingToken)).toEqual(['Recording_1']);
    const summary = await call<{ dataFrom: string; dataUntil: string; numberRecordings: number }>((cb) => c.getRecordingSummary(cb));
    expect(Date.parse(summary.dataFrom)).toBe(cam.recording.startMs);
    expect(Math.abs(Date.parse(summary.dataUntil) - Date.now())).toBeLessThan(5_000);
    expect(Date.parse(summary.dataUntil) - Date.parse(summary.dataFrom)).toBeGreaterThan(23.9 * 3600_000);
    const uri = await call<string>((cb) => c.getReplayUri({ recordingToken: 'Recording_1' }, cb));
    expect(uri).toBe(cam.recording.replayUrl);
    await expect(call<string>((cb) => c.getReplayUri({ recordingToken: 'nope' }, cb))).rejects.toThrow();
  });

  it('replays from the key frame at or before the asked moment and says so in Range', async () => {
    // The fixture is 3 s with a key frame every second; 1.5 s into a loop the GOP started 1.0 s in.
    const asked = cam.recording.startMs + 3600_000 + 1_500;
    const r = await replay({ Range: `clock=${clockTime(asked)}-` });
    expect(parseClockRange(r.lastPlay!.header('range')!)).toBe(asked - 500);
    expect(await until(() => r.packets.some((p) => p.channel === 0))).toBe(true);
    expect(firstVideoOffsetMs(r)).toBeCloseTo(1_000, 0);
  });

  it('sends faster with Scale', async () => {
    const r = await replay({ Range: `clock=${clockTime(cam.recording.startMs + 60_000)}-`, Scale: '4' });
    expect(r.lastPlay!.header('scale')).toBe('4');
    expect(await until(() => r.packets.some((p) => p.channel === 0))).toBe(true);
    const t0 = Date.now();
    const first = r.packets.find((p) => p.channel === 0)!.timestamp;
    // 4 s of media arrives in about 1 s of wall time (real time would take 4 s).
    expect(await until(() => r.packets.some((p) => p.channel === 0 && ((p.timestamp - first) >>> 0) >= 4 * 90_000), 3_000)).toBe(true);
    expect(Date.now() - t0).toBeLessThan(2_500);
  });

  it('refuses a moment outside the recording with 457', async () => {
    const r = await RtspTestClient.open(cam.recording.replayUrl, { username: cam.spec.username, password: cam.spec.password });
    opened.push(r);
    await expect(r.play({ Range: `clock=${clockTime(cam.recording.startMs - 60_000)}-` })).rejects.toThrow('PLAY 457');
    expect(r.lastPlay!.status).toBe(457);
  });
});
