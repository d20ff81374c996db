// Where a camera's own recording (NVR/SD card, 设备录像) can be found and replayed from. Two ways, in this order:
//  - ONVIF Profile G through the `onvif` client: GetRecordings (tokens), GetRecordingSummary (what the device holds
//    overall), GetRecordingInformation per recording (its earliest/latest moment), GetReplayUri (an RTSP address
//    that plays from `Range: clock=` at `Scale`);
//  - a per-network RTSP playback URL template (config `networks[].rtspPlaybackTemplate`), for platforms and NVRs
//    that take the start and end in the URL (Hikvision's `/Streaming/tracks/101?starttime=…&endtime=…`).
// A camera with neither is told apart with the reason. Pure protocol code: no Fastify, no database.
import { HttpError } from '../errors';
import { classify } from '../discovery/onvif/interrogate';
import { newOnvifCam } from '../ptz/onvif-ptz';

type Cb<T> = (err: Error | null, value: T, xml?: string) => void;
interface OnvifRecordingCam {
  on(event: 'rawResponse', listener: (xml: string, statusCode: number) => void): void;
  connect(cb: (err: Error | null) => void): void;
  getRecordings(cb: Cb<unknown>): void;
  getReplayUri(opts: { recordingToken: string }, cb: Cb<string>): void;
  _request(opts: { service: string; body: string }, cb: Cb<unknown>): void;
  _envelopeHeader(): string;
  _envelopeFooter(): string;
  uri?: Record<string, unknown>;
}

export interface DeviceTarget {
  /** The ONVIF device service address, without credentials. */
  xaddr: string;
  username?: string;
  password?: string;
}

export interface DeviceSpan {
  /** The ONVIF recording token (replay asks for it). */
  token: string;
  startMs: number;
  endMs: number;
}

/** The device could not be reached or refused: 502 naming the failure kind (never the credentials), 504 on timeout. */
export class DeviceRecordingError extends HttpError {
  constructor(readonly kind: string, message: string) {
    super(kind === 'timeout' ? 504 : 502, `camera recordings: ${message}`);
  }
}

const call = <T>(fn: (cb: Cb<T>) => void) =>
  new Promise<{ value: T; xml: string }>((resolve, reject) => fn((err, value, xml) => (err ? reject(err) : resolve({ value, xml: xml ?? '' }))));

const xmlText = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

/** Every text of elements with this local name (any prefix), in order. */
function texts(xml: string, local: string): string[] {
  return [...xml.matchAll(new RegExp(`<(?:[\\w.-]+:)?${local}\\b[^>]*>([^<]*)</(?:[\\w.-]+:)?${local}>`, 'g'))].map((m) => m[1]!.trim());
}

export class OnvifRecordings {
  constructor(private readonly timeoutMs = 8_000) {}

  /**
   * The device's recordings overlapping [fromMs, toMs), clipped to it, and a replay address for each token.
   * 'unsupported': the device answers but offers no Profile G search/replay.
   */
  async search(t: DeviceTarget, fromMs: number, toMs: number): Promise<{ spans: DeviceSpan[]; replayUri: Map<string, string> } | 'unsupported'> {
    const last: { status?: number; body?: string } = {};
    const cam = newOnvifCam<OnvifRecordingCam>(t, this.timeoutMs);
    cam.on('rawResponse', (xml, status) => { last.status = status; last.body = xml.slice(0, 2000); });
    try {
      await call<void>((cb) => cam.connect((err) => cb(err, undefined)));
      if (!cam.uri?.['recording'] || !cam.uri?.['search'] || !cam.uri?.['replay']) return 'unsupported';
      const { xml: listXml } = await call((cb) => cam.getRecordings(cb));
      const tokens = [...new Set(texts(listXml, 'RecordingToken'))];
      const spans: DeviceSpan[] = [];
      const replayUri = new Map<string, string>();
      for (const token of tokens) {
        // The client's getRecordingInformation reads the wrong response element; ask ourselves.
        const { xml } = await call((cb) => cam._request({
          service: 'search',
          body: cam._envelopeHeader() +
            `<GetRecordingInformation xmlns="http://www.onvif.org/ver10/search/wsdl"><RecordingToken>${xmlText(token)}</RecordingToken></GetRecordingInformation>` +
            cam._envelopeFooter(),
        }, cb));
        const startMs = Date.parse(texts(xml, 'EarliestRecording')[0] ?? '');
        const endMs = Date.parse(texts(xml, 'LatestRecording')[0] ?? '');
        if (!Number.isFinite(startMs) || !Number.isFinite(endMs)) continue;
        const a = Math.max(startMs, fromMs);
        const b = Math.min(endMs, toMs);
        if (b <= a) continue;
        spans.push({ token, startMs: a, endMs: b });
        const { value } = await call<string>((cb) => cam.getReplayUri({ recordingToken: xmlText(token) }, cb));
        if (typeof value === 'string' && /^rtsps?:\/\//.test(value)) replayUri.set(token, stripCredentials(value));
      }
      spans.sort((x, y) => x.startMs - y.startMs);
      return { spans: spans.filter((s) => replayUri.has(s.token)), replayUri };
    } catch (err) {
      if (err instanceof HttpError) throw err;
      const c = classify(err as Error & { code?: string }, last.status, last.body?.slice(0, 200));
      throw new DeviceRecordingError(c.kind, c.message);
    }
  }
}

/** Credentials travel apart from URLs (types.ts StreamSource): a device that puts them in its replay URI loses them. */
function stripCredentials(uri: string): string {
  try {
    const u = new URL(uri);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return uri;
  }
}

/** `Range: clock=` form of an instant: 20261207T101500Z (ms kept only when there are any). */
export function clockTime(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.(\d{3})Z$/, (_, f: string) => (f === '000' ? 'Z' : `.${f}Z`));
}

/**
 * A network's playback URL template, filled in: {host} {port} (of the camera's live RTSP URL), {channel},
 * {startCompact}/{endCompact} (20261207T101500Z), {start}/{end} (ISO 8601). undefined when the live URL is not RTSP.
 */
export function playbackUrlFromTemplate(template: string, liveUrl: string, channel: number, fromMs: number, toMs: number): string | undefined {
  let u: URL;
  try {
    u = new URL(liveUrl);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'rtsp:' && u.protocol !== 'rtsps:') return undefined;
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
  const values: Record<string, string> = {
    host: u.hostname, port: u.port || '554', channel: String(channel),
    startCompact: clockTime(Math.floor(fromMs / 1000) * 1000), endCompact: clockTime(Math.ceil(toMs / 1000) * 1000),
    start: iso(Math.floor(fromMs / 1000) * 1000), end: iso(Math.ceil(toMs / 1000) * 1000),
  };
  return template.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m);
}
