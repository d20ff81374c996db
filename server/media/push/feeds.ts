// The relay side of a pushed stream: FLV tags forwarded from the RTMP ingest (main thread, 'feed' messages) are
// turned into the same access units and AAC frames an RTSP session delivers, behind the same RtspSession shape, so
// the relay, packager, live window, recorder and share links do not know a camera pushes rather than being pulled.
// One PushFeeds per relay host (worker thread or main thread); a relay whose source URL is `push:…` opens here.
import { RtspError } from '../errors';
import type { RtspHandlers, RtspOpenOptions, RtspSession } from '../rtsp/session';
import type { AacConfig } from '../rtsp/aac';
import type { RelayId, UnavailableReason, VideoTrackDesc, AudioTrackDesc } from '../types';
import { AvcTagReader, FLV_AUDIO, FLV_VIDEO, audioTagKind, parseAacTagConfig, parseAvcConfig, readAacFrame, videoCodecName, videoTagKind, type AvcConfig, type FlvTag } from './flv';

/** A source URL that names a pushed stream rather than a camera to pull from. */
export function isPushSource(url: string): boolean {
  return url.startsWith('push:');
}

const VIDEO: VideoTrackDesc = { kind: 'video', codec: 'h264', rtpCodec: 'H264', payloadType: 96, clockRate: 1000, fmtp: {} };

interface Open {
  handlers: RtspHandlers;
  opts: RtspOpenOptions;
  resolve: (s: RtspSession) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** What one relay's feed knows: the latest configs (they arrive once, at publish start, and are replayed by the
 * ingest when a relay starts) and the session consuming it, if any. */
class Feed {
  avc: AvcConfig | null = null;
  aac: AacConfig | null = null;
  unsupported: string | null = null;
  ended: UnavailableReason | null = null;
  /** An AAC config tag was seen, maybe empty: ffmpeg sends an empty one first and the real one after the first
   * key frame, so the session waits for it (at most HOLD_MS of video) rather than starting without audio. */
  audioAnnounced = false;
  held: FlvTag[] | null = null;
  open: Open | null = null;
  session: PushSession | null = null;
}

const HOLD_MS = 1_000;

class PushSession implements RtspSession {
  readonly video = VIDEO;
  readonly audio: (AudioTrackDesc & { spec: AacConfig }) | null;
  readonly ignoredAudio = null;
  bytesIn = 0;
  closed = false;
  private readonly reader: AvcTagReader;
  private origin: number | null = null;

  constructor(avc: AvcConfig, aac: AacConfig | null, private readonly handlers: RtspHandlers, opts: RtspOpenOptions, private readonly onClosed: () => void) {
    this.reader = new AvcTagReader(avc, opts.accessUnitDelimiter ?? false);
    this.audio = aac ? { kind: 'audio', codec: 'aac', rtpCodec: 'MPEG4-GENERIC', payloadType: 97, clockRate: aac.sampleRate, channels: aac.channels, fmtp: {}, spec: aac } : null;
  }

  /** A coded video or audio tag. The timeline starts at the first key frame this session sees. */
  push(tag: FlvTag): void {
    this.bytesIn += tag.data.length;
    if (tag.type === FLV_VIDEO) {
      if (this.origin === null) {
        if (videoTagKind(tag.data) !== 'key') return;
        this.origin = tag.time;
      }
      const unit = this.reader.read(tag, this.origin);
      if (unit) this.handlers.onVideo(unit);
    } else if (this.audio && this.origin !== null && tag.time >= this.origin) {
      this.handlers.onAudio(readAacFrame(tag, this.origin));
    }
  }

  end(reason: UnavailableReason): void {
    if (this.closed) return;
    this.closed = true;
    this.onClosed();
    this.handlers.onClose(reason);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClosed();
  }
}

export class PushFeeds {
  private readonly feeds = new Map<RelayId, Feed>();

  /** `waiting(relayId)`: a relay of this host whose open failed and now waits out a backoff; data arrived for it,
   * so it may try again now (RelayRunner passes Relay.retryNow). */
  constructor(private readonly retry: (relayId: RelayId) => void = () => {}) {}

  private feed(relayId: RelayId): Feed {
    let f = this.feeds.get(relayId);
    if (!f) { f = new Feed(); this.feeds.set(relayId, f); }
    return f;
  }

  /** The opener a relay with a `push:` source uses: resolves once a key frame (after the configs) arrives. */
  opener(relayId: RelayId) {
    return (_source: unknown, handlers: RtspHandlers, opts: RtspOpenOptions): Promise<RtspSession> => {
      const f = this.feed(relayId);
      f.open?.reject(new RtspError('closed'));
      f.session?.close();
      return new Promise<RtspSession>((resolve, reject) => {
        if (f.ended) { reject(new RtspError(f.ended)); return; }
        if (f.unsupported) { reject(new RtspError(`unsupported codec ${f.unsupported}`)); return; }
        // A device that publishes sends a key frame at least every GOP: wait that long (the request timeout).
        const timer = setTimeout(() => {
          if (f.open?.timer !== timer) return;
          f.open = null;
          reject(new RtspError('not publishing'));
        }, opts.timeoutMs);
        timer.unref();
        f.open = { handlers, opts, resolve, reject, timer };
      });
    };
  }

  /** Tags forwarded by the ingest, in order. */
  deliver(relayId: RelayId, tags: FlvTag[]): void {
    const f = this.feed(relayId);
    f.ended = null;
    for (const tag of tags) {
      if (tag.type === FLV_VIDEO) {
        const kind = videoTagKind(tag.data);
        if (kind === 'config') { f.avc = parseAvcConfig(tag.data) ?? f.avc; f.unsupported = null; continue; }
        if (kind === 'other') { f.unsupported = videoCodecName(tag.data); continue; }
        if (kind === 'key' && f.open && f.avc && !f.held) {
          if (f.audioAnnounced && !f.aac) { f.held = [tag]; continue; }
          this.begin(f);
        }
      } else if (tag.type === FLV_AUDIO) {
        const kind = audioTagKind(tag.data);
        if (kind === 'config') {
          f.audioAnnounced = true;
          f.aac = parseAacTagConfig(tag.data) ?? f.aac;
          if (f.aac && f.held && f.open) this.begin(f);
          continue;
        }
        if (kind === 'other') continue; // G.711/MP3 over RTMP: video only, as for RTSP (pitfall 5)
      } else continue;
      if (f.held) {
        f.held.push(tag);
        if (tag.type === FLV_VIDEO && tag.time - f.held[0]!.time >= HOLD_MS && f.open) this.begin(f);
        continue;
      }
      f.session?.push(tag);
    }
    if (!f.open && !f.session && f.avc) this.retry(relayId);
  }

  private begin(f: Feed): void {
    const open = f.open!;
    const held = f.held ?? [];
    f.held = null;
    f.open = null;
    clearTimeout(open.timer);
    const session: PushSession = new PushSession(f.avc!, f.aac, open.handlers, open.opts, () => {
      if (f.session === session) f.session = null;
    });
    f.session = session;
    open.handlers.onPlay?.(session);
    for (const tag of held) if (!session.closed) session.push(tag);
    open.resolve(session);
  }

  /** The publisher went away (or its key was revoked): the session ends with `reason`, later opens fail with
   * 'not publishing' until it is back. */
  end(relayId: RelayId, reason: UnavailableReason): void {
    const f = this.feeds.get(relayId);
    if (!f) return;
    f.avc = null;
    f.aac = null;
    f.audioAnnounced = false;
    f.held = null;
    f.ended = 'not publishing';
    if (f.open) { clearTimeout(f.open.timer); f.open.reject(new RtspError('not publishing')); f.open = null; }
    f.session?.end(reason);
  }

  /** The relay stopped on this host: forget its feed. */
  forget(relayId: RelayId): void {
    const f = this.feeds.get(relayId);
    if (!f) return;
    if (f.open) { clearTimeout(f.open.timer); f.open = null; }
    f.held = null;
    f.session?.close();
    this.feeds.delete(relayId);
  }
}
