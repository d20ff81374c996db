// One RTSP pull: OPTIONS-less DESCRIBE → SETUP (TCP interleaved) → PLAY, then RTP → access units.
// This is the replaceable RTSP/RTP layer: the relay only sees `RtspOpener`, so node-media-server's client can be
// swapped for another without touching packaging or lifecycle code.
import { RtspError, classifySocketError } from '../errors';
import type { G711Audio } from '../audio/g711-flac';
import { AccessUnitAssembler } from '../h264/access-units';
import type { ParamSets } from '../h264/params';
import type { AudioFrame, AudioTrackDesc, StreamSource, TrackDesc, UnavailableReason, VideoAccessUnit, VideoTrackDesc } from '../types';
import { AacDepacketizer, parseAacConfig, type AacConfig } from './aac';
import { InterleavedReader } from './interleaved';
import { RtspClient, SdpParser, answerChallengesWithOurs, connectWithSharedReads, feedMessage, type NmsRtspClient, type NmsRtspResponse, type NmsSdpMedia } from './nms';
import { newRtpHeader, readRtp } from './rtp';
import { RtpTimeline } from './timeline';

export type SourceVideoUnit = VideoAccessUnit & { params: ParamSets | null };

export interface RtspHandlers {
  onVideo(unit: SourceVideoUnit): void;
  onAudio(frame: AudioFrame): void;
  /** Called once when the session ends for any reason other than close(). */
  onClose(reason: UnavailableReason): void;
  /** PLAY succeeded; called before the first access unit is delivered. */
  onPlay?(session: RtspSession): void;
}

export interface RtspSession {
  readonly video: VideoTrackDesc;
  /** The audio track we forward: AAC (frames as sent) or G.711 (RTP payloads as sent, the packager carries them as
   * FLAC); other codecs are not set up at all, saving their bandwidth. */
  readonly audio: (AudioTrackDesc & { spec: AacConfig | G711Audio }) | null;
  /** Audio announced in the SDP that we ignore, e.g. 'opus' (pitfall 5). */
  readonly ignoredAudio: string | null;
  readonly bytesIn: number;
  close(): void;
}

export interface RtspOpenOptions {
  /** Per request and for the TCP connect. */
  timeoutMs: number;
  /** Deliver video units with a leading access unit delimiter (for MPEG-TS output). */
  accessUnitDelimiter?: boolean;
  /** Set up G.711 (PCMA/PCMU) audio; default true. */
  g711?: boolean;
}

export type RtspOpener = (source: StreamSource, handlers: RtspHandlers, opts: RtspOpenOptions) => Promise<RtspSession>;

function lowerKeys(o: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o ?? {})) out[k.toLowerCase()] = v;
  return out;
}

export function describeTrack(m: NmsSdpMedia): TrackDesc | null {
  const fmtp = lowerKeys(m.fmtp);
  let codec = (m.codec || '').toUpperCase();
  // Static payload types may come without rtpmap.
  if (!codec && m.payloadType === 0) codec = 'PCMU';
  if (!codec && m.payloadType === 8) codec = 'PCMA';
  if (m.type === 'video') {
    const c = codec === 'H264' ? 'h264' : codec === 'H265' || codec === 'HEVC' ? 'h265' : 'other';
    return { kind: 'video', codec: c, rtpCodec: codec || `pt${m.payloadType}`, payloadType: m.payloadType, clockRate: m.clockRate || 90000, fmtp };
  }
  if (m.type === 'audio') {
    const c = codec === 'MPEG4-GENERIC' ? 'aac' : codec === 'PCMA' ? 'pcma' : codec === 'PCMU' ? 'pcmu' : 'other';
    return { kind: 'audio', codec: c, rtpCodec: codec || `pt${m.payloadType}`, payloadType: m.payloadType, clockRate: m.clockRate || 8000, channels: m.channels || 1, fmtp };
  }
  return null;
}

/** The audio we forward, with what the packager needs; null for audio we do not set up. */
function withAudioSpec(t: AudioTrackDesc, g711: boolean): (AudioTrackDesc & { spec: AacConfig | G711Audio }) | null {
  if (t.codec === 'aac') {
    const aac = parseAacConfig(t.fmtp['config']);
    return aac ? { ...t, spec: aac } : null;
  }
  if (g711 && (t.codec === 'pcma' || t.codec === 'pcmu')) {
    const channels = t.channels === 2 ? 2 : 1;
    return { ...t, spec: { law: t.codec, sampleRate: t.clockRate || 8000, channels, codecString: 'flac' } };
  }
  return null;
}

function trackUrl(base: string, control: string | undefined): string {
  if (!control || control === '*') return base;
  if (/^rtsps?:\/\//i.test(control)) return control;
  return base.endsWith('/') ? base + control : `${base}/${control}`;
}

/** rtptime per track URL from the PLAY response, so audio and video share one origin (lip sync without RTCP). */
function parseRtpInfo(header: string | undefined): { url: string; rtptime: number }[] {
  if (!header) return [];
  return header.split(',').map((part) => {
    const url = /url=([^;]+)/.exec(part)?.[1]?.trim() ?? '';
    const t = /rtptime=(\d+)/.exec(part)?.[1];
    return { url, rtptime: t === undefined ? NaN : Number(t) };
  }).filter((x) => Number.isFinite(x.rtptime));
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new RtspError('timeout')), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
  });
}

function checkStatus(res: NmsRtspResponse, step: string): void {
  if (res.statusCode === 200) return;
  if (res.statusCode === 401 || res.statusCode === 403) throw new RtspError('unauthorized');
  if (res.statusCode === 404) throw new RtspError('not found');
  // Only the status code: reason phrases are free text chosen by the camera.
  throw new RtspError('protocol error', `${step} ${res.statusCode}`);
}

export const openRtspSession: RtspOpener = async (source, handlers, opts) => {
  const client: NmsRtspClient = new RtspClient();
  let closed = false;
  let playing = false;
  const early: { channel: number; data: Buffer }[] = [];

  const end = (reason: UnavailableReason) => {
    if (closed) return;
    closed = true;
    client.onCloseCallback = () => {};
    client.onErrorCallback = () => {};
    client.disconnect();
    handlers.onClose(reason);
  };
  let openError: UnavailableReason | null = null;
  client.onErrorCallback = (err) => { openError ??= classifySocketError(err); if (playing) end(openError); };
  client.onCloseCallback = () => { if (playing) end('closed'); else openError ??= 'closed'; };

  // Channel → handler; filled during SETUP. RTP can arrive in the same TCP read as the PLAY response (pitfall 1),
  // before we have read RTP-Info, so packets are parked until PLAY is processed rather than dereferencing state
  // that does not exist yet.
  const channels = new Map<number, (buf: Buffer, start: number, end: number) => void>();
  const reader = new InterleavedReader({
    packet: (channel, buf, start, end) => {
      if (!playing) {
        // Parked packets are copied: the read buffer is reused for the next read.
        if (early.length < 2000) early.push({ channel, data: Buffer.from(buf.subarray(start, end)) });
        return;
      }
      channels.get(channel)?.(buf, start, end);
    },
    // A whole response: NMS parses it, matches its CSeq and decides when to answer a challenge.
    message: (msg) => feedMessage(client, msg),
  });
  // Every byte goes through our framing; `chunk` is the thread's shared read buffer (see connectWithSharedReads).
  const onData = (chunk: Buffer) => {
    if (closed) return;
    client.lastActivityTime = Date.now();
    try {
      reader.push(chunk);
    } catch (err) {
      // Garbage on the wire, or a depacketizing bug on a packet we did not expect: this session ends, the
      // relay reconnects with backoff, and nothing escapes to the thread hosting the other cameras.
      const reason: UnavailableReason = err instanceof RtspError ? err.reason : 'protocol error';
      if (playing) end(reason);
      else { openError ??= reason; client.disconnect(); }
    }
  };

  try {
    const url = new URL(source.url);
    if (url.username || url.password) throw new RtspError('protocol error', 'credentials must not be in the URL');
    if (url.protocol !== 'rtsp:' && url.protocol !== 'rtsps:') throw new RtspError('protocol error', 'not an rtsp: or rtsps: URL');
    await withTimeout(connectWithSharedReads(client, source.url, onData), opts.timeoutMs);
    // Credentials never come from the URL (checked above), so it stays clean in every request line, Digest `uri=`
    // and log message.
    answerChallengesWithOurs(client, { username: source.username ?? '', password: source.password ?? '' });

    const describe = await withTimeout(client.describe(source.url), opts.timeoutMs);
    checkStatus(describe, 'DESCRIBE');
    const sdp = SdpParser.parse(describe.body);
    const tracks = (sdp?.media ?? []).map(describeTrack).filter((t): t is TrackDesc => t !== null);
    // Keyed by kind+payload type, not object identity: the audio descriptor is re-created below with its config.
    const controlOf = new Map<string, string>();
    for (const m of sdp?.media ?? []) controlOf.set(`${m.type}/${m.payloadType}`, m.control);
    const control = (t: TrackDesc) => controlOf.get(`${t.kind}/${t.payloadType}`);
    const video = tracks.find((t): t is VideoTrackDesc => t.kind === 'video');
    if (!video) throw new RtspError('unsupported codec none (no video track)');
    if (video.codec === 'other') throw new RtspError(`unsupported codec ${video.rtpCodec.toLowerCase()}`);
    const announcedAudio = tracks.find((t): t is AudioTrackDesc => t.kind === 'audio') ?? null;
    const audio = announcedAudio ? withAudioSpec(announcedAudio, opts.g711 !== false) : null;
    const ignoredAudio = announcedAudio && !audio ? announcedAudio.codec : null;

    const base = (describe.headers['Content-Base'] ?? describe.headers['Content-Location'] ?? source.url).trim();
    const setupOrder: TrackDesc[] = audio ? [video, audio] : [video];
    const urls = new Map<TrackDesc, string>();
    let channel = 0;
    const channelOf = new Map<TrackDesc, number>();
    for (const t of setupOrder) {
      const u = trackUrl(base, control(t));
      urls.set(t, u);
      const res = await withTimeout(client.setup(u, `RTP/AVP/TCP;unicast;interleaved=${channel}-${channel + 1}`), opts.timeoutMs);
      checkStatus(res, 'SETUP');
      const m = /interleaved=(\d+)/.exec(res.headers['Transport'] ?? '');
      channelOf.set(t, m ? Number(m[1]) : channel);
      channel += 2;
    }

    // Device playback asks the recorder for a wall-clock start and a speed (ONVIF Streaming §6.5: Range clock=, Scale).
    const playHeaders: Record<string, string> = { Range: source.playRange ?? 'npt=0.000-' };
    if (source.scale !== undefined && source.scale !== 1) playHeaders['Scale'] = String(source.scale);
    const play = await withTimeout(client.sendRequest('PLAY', source.url, playHeaders), opts.timeoutMs);
    checkStatus(play, 'PLAY');
    if (openError) throw new RtspError(openError);
    const rtpInfo = parseRtpInfo(play.headers['RTP-Info']);
    const originFor = (t: TrackDesc) => {
      const u = urls.get(t)!;
      const hit = rtpInfo.find((r) => r.url === u || u.endsWith(r.url) || r.url.endsWith(control(t) ?? '\0'));
      // Without RTP-Info for every track, per-track first-packet rebasing is the honest fallback.
      return rtpInfo.length === setupOrder.length && hit ? hit.rtptime : null;
    };

    const vTimeline = new RtpTimeline(video.clockRate, originFor(video));
    const assembler = new AccessUnitAssembler(video.codec, (u) => {
      handlers.onVideo({ pts: vTimeline.toSeconds(u.rtpTimestamp), key: u.key, data: u.data, params: u.params });
    }, video.fmtp, opts.accessUnitDelimiter ?? false);
    const vh = newRtpHeader();
    channels.set(channelOf.get(video)!, (buf, start, end) => {
      if (!readRtp(buf, start, end, vh) || vh.payloadType !== video.payloadType) return;
      assembler.push(buf, vh.payloadStart, vh.payloadEnd, vh.timestamp, vh.sequenceNumber, vh.marker);
    });
    if (audio && !('law' in audio.spec)) {
      const aTimeline = new RtpTimeline(audio.clockRate, originFor(audio));
      const depay = new AacDepacketizer(audio.fmtp);
      const ah = newRtpHeader();
      channels.set(channelOf.get(audio)!, (buf, start, end) => {
        if (!readRtp(buf, start, end, ah) || ah.payloadType !== audio.payloadType) return;
        for (const f of depay.depacketize(buf.subarray(ah.payloadStart, ah.payloadEnd), ah.timestamp)) {
          // Copied (new Uint8Array, not Buffer#slice, which is a view): audio frames wait in the muxer for up to a
          // segment, and the read buffer is reused.
          handlers.onAudio({ pts: aTimeline.toSeconds(f.rtpTimestamp), data: new Uint8Array(f.data) });
        }
      });
    }

    if (audio && 'law' in audio.spec) {
      // G.711: one RTP payload is a run of 8-bit samples, presented at its timestamp (RFC 3551 §4.5.14).
      const aTimeline = new RtpTimeline(audio.clockRate, originFor(audio));
      const ah = newRtpHeader();
      channels.set(channelOf.get(audio)!, (buf, start, end) => {
        if (!readRtp(buf, start, end, ah) || ah.payloadType !== audio.payloadType || ah.payloadEnd <= ah.payloadStart) return;
        // Copied: the read buffer is reused, and the packager decodes it later in its queue.
        handlers.onAudio({ pts: aTimeline.toSeconds(ah.timestamp), data: new Uint8Array(buf.subarray(ah.payloadStart, ah.payloadEnd)) });
      });
    }

    // Keep the RTSP session alive at half its announced timeout (default 60 s).
    const timeoutSec = Number(/timeout=(\d+)/.exec(play.headers['Session'] ?? describe.headers['Session'] ?? '')?.[1] ?? 60);
    client.heartbeatInterval = Math.max(5, timeoutSec / 2) * 1000;
    client.startHeartbeat();

    const session: RtspSession = {
      video,
      audio,
      ignoredAudio,
      get bytesIn() { return reader.bytes; },
      close() {
        if (closed) return;
        closed = true;
        client.onCloseCallback = () => {};
        client.onErrorCallback = () => {};
        // Polite TEARDOWN so the camera frees its session slot; cameras limit concurrent sessions.
        client.teardown(source.url).catch(() => {});
        setImmediate(() => client.disconnect());
      },
    };
    handlers.onPlay?.(session);
    playing = true;
    for (const { channel: ch, data } of early.splice(0)) {
      if (closed) break;
      channels.get(ch)?.(data, 0, data.length);
    }
    return session;
  } catch (err) {
    closed = true;
    client.onCloseCallback = () => {};
    client.onErrorCallback = () => {};
    client.disconnect();
    if (err instanceof RtspError) throw err;
    throw new RtspError(openError ?? classifySocketError(err));
  }
};
