// Probing an RTSP camera without ONVIF: OPTIONS, then DESCRIBE; the SDP gives the codecs and audio, the SPS in
// it the resolution. A failure is one clear kind (unauthorized, refused, timeout, not-rtsp, …) and a message.
import type { RtspProbeResult } from '../../contracts/catalogue';
import { type RtspCredentials, RtspConnection, RtspProbeError } from './client';
import { parseSdp, type SdpMedia } from './sdp';
import { h264PictureSize, h265PictureSize } from '../../protocol/sps';

export { RtspProbeError } from './client';
export type { RtspCredentials } from './client';

/** The URL as it may be shown and stored: no user:password@. */
export function cleanUrl(raw: string): string {
  const u = new URL(raw);
  u.username = '';
  u.password = '';
  return u.toString();
}

/** Credentials given separately win over any user:pass@ in the URL. */
function credentialsOf(url: URL, given?: RtspCredentials): RtspCredentials | undefined {
  if (given) return given;
  if (url.username) return { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
  return undefined;
}

function videoOf(m: SdpMedia): NonNullable<RtspProbeResult['video']> {
  const b64 = (s: string | undefined) => (s ? Buffer.from(s, 'base64') : undefined);
  let size: { width: number; height: number } | null = null;
  let codec = m.encoding.toLowerCase();
  if (m.encoding === 'H264') {
    codec = 'h264';
    const sps = b64(m.fmtp['sprop-parameter-sets']?.split(',')[0]);
    if (sps) size = h264PictureSize(sps);
  } else if (m.encoding === 'H265' || m.encoding === 'HEVC') {
    codec = 'h265';
    const sps = b64(m.fmtp['sprop-sps']);
    if (sps) size = h265PictureSize(sps);
  }
  return { codec, width: size?.width ?? null, height: size?.height ?? null, fps: m.framerate };
}

function audioOf(m: SdpMedia): NonNullable<RtspProbeResult['audio']> {
  const names: Record<string, string> = { 'MPEG4-GENERIC': 'aac', 'MP4A-LATM': 'aac', PCMA: 'pcma', PCMU: 'pcmu', G726: 'g726', OPUS: 'opus' };
  return { codec: names[m.encoding] ?? m.encoding.toLowerCase(), sampleRate: m.clockRate, channels: m.channels ?? (m.clockRate ? 1 : null) };
}

export interface ProbeOptions {
  credentials?: RtspCredentials;
  timeoutMs?: number;
}

export async function probeRtsp(rawUrl: string, opts: ProbeOptions = {}): Promise<RtspProbeResult> {
  const started = performance.now();
  const url = new URL(rawUrl);
  const shown = cleanUrl(rawUrl);
  const creds = credentialsOf(url, opts.credentials);
  const deadline = Date.now() + (opts.timeoutMs ?? 5000);
  const ms = () => Math.round(performance.now() - started);
  let conn: RtspConnection | undefined;
  try {
    conn = await RtspConnection.open(url, deadline);
    const options = await conn.request('OPTIONS', shown, creds);
    const server = options.headers.get('server')?.[0];
    const describe = await conn.request('DESCRIBE', shown, creds, { Accept: 'application/sdp' });
    if (describe.status === 404) throw new RtspProbeError('not-found', `no stream at ${url.pathname} (404)`, 404);
    if (describe.status !== 200) throw new RtspProbeError('bad-response', `DESCRIBE answered ${describe.status} ${describe.reason}`, describe.status);
    const media = parseSdp(describe.body);
    const video = media.find((m) => m.type === 'video');
    if (!video) throw new RtspProbeError('no-video', 'the SDP announces no video stream', 200);
    const audio = media.find((m) => m.type === 'audio');
    return {
      ok: true, url: shown, status: describe.status, auth: conn.authScheme, ...(server ? { server } : {}),
      video: videoOf(video), audio: audio ? audioOf(audio) : null, ms: ms(),
    };
  } catch (err) {
    if (!(err instanceof RtspProbeError)) throw err;
    return { ok: false, url: shown, error: err.kind, message: err.message, ...(err.status ? { status: err.status } : {}), ms: ms() };
  } finally {
    conn?.close();
  }
}

/** The cheapest liveness check: one OPTIONS (authenticated if challenged). Resolves, or throws RtspProbeError. */
export async function rtspAlive(rawUrl: string, credentials: RtspCredentials | undefined, timeoutMs: number): Promise<void> {
  const url = new URL(rawUrl);
  const conn = await RtspConnection.open(url, Date.now() + timeoutMs);
  try {
    const res = await conn.request('OPTIONS', cleanUrl(rawUrl), credentialsOf(url, credentials));
    if (res.status >= 400) throw new RtspProbeError(res.status === 404 ? 'not-found' : 'bad-response', `OPTIONS answered ${res.status} ${res.reason}`, res.status);
  } finally {
    conn.close();
  }
}
