// Main thread: what the RTMP ingest receives for pushed cameras goes to the hosts running their relays, batched
// every FLUSH_MS for all cameras (one message per host, not one per tag or camera: a message's fixed cost, not its
// bytes, is what forwarding costs; HLS latency does not notice 10 ms). The configs and the current GOP are
// kept so a relay that starts while the device publishes (first viewer, worker restart) gets a key frame at once:
// the first playlist of a pushed camera does not wait for the device's next key frame.
import type { RelayId, UnavailableReason } from '../types';
import { FLV_VIDEO, audioTagKind, videoTagKind, type FlvTag } from './flv';

export interface FeedTarget {
  isRunning(relayId: RelayId): boolean;
  /** `movable`: the tags' buffers nobody here keeps, which may be moved to the host instead of copied. */
  feed(feeds: { relayId: RelayId; tags: FlvTag[] }[], movable?: ReadonlySet<ArrayBufferLike>): void;
  feedEnd(relayId: RelayId, reason: UnavailableReason): void;
}

/** A GOP longer than this is not kept whole (a relay then waits for the next key frame, as an RTSP one does). */
const MAX_GOP_TAGS = 2_000;
const MAX_GOP_BYTES = 16 * 1024 * 1024;
const FLUSH_MS = 10;

interface Stream {
  avc: FlvTag | null;
  aac: FlvTag | null;
  gop: FlvTag[];
  gopBytes: number;
  pending: FlvTag[];
}

export class PushFeeder {
  private readonly streams = new Map<RelayId, Stream>();
  private readonly dirty = new Set<RelayId>();
  /** Buffers of pending tags that nothing here keeps (not a config, not in a GOP cache). */
  private movable = new Set<ArrayBufferLike>();
  private flushScheduled = false;

  constructor(private readonly target: FeedTarget) {}

  isPublishing(relayId: RelayId): boolean {
    return this.streams.has(relayId);
  }

  /** A publisher was accepted for this relay: a fresh stream (a second publisher replaces the first). */
  begin(relayId: RelayId): void {
    this.streams.set(relayId, { avc: null, aac: null, gop: [], gopBytes: 0, pending: [] });
  }

  /** One tag, already copied out of the RTMP parser's buffer. */
  tag(relayId: RelayId, tag: FlvTag): void {
    const s = this.streams.get(relayId);
    if (!s) return;
    const running = this.target.isRunning(relayId);
    const video = tag.type === FLV_VIDEO;
    const kind = video ? videoTagKind(tag.data) : audioTagKind(tag.data);
    if (kind === 'config') {
      if (video) { s.avc = tag; s.gop = []; s.gopBytes = 0; } else s.aac = tag;
    } else if (running) {
      // A running relay has the stream already: no GOP kept, and the tag's buffer can be moved, not copied.
      if (s.gop.length > 0) { s.gop = []; s.gopBytes = 0; }
      this.movable.add(tag.data.buffer);
    } else if (kind === 'key') { s.gop = [tag]; s.gopBytes = tag.data.length; }
    else if (s.gop.length > 0) this.keep(s, tag);
    if (!running) return;
    s.pending.push(tag);
    this.dirty.add(relayId);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setTimeout(() => this.flush(), FLUSH_MS);
    }
  }

  private keep(s: Stream, tag: FlvTag): void {
    if (s.gop.length >= MAX_GOP_TAGS || s.gopBytes + tag.data.length > MAX_GOP_BYTES) { s.gop = []; s.gopBytes = 0; return; }
    s.gop.push(tag);
    s.gopBytes += tag.data.length;
  }

  private flush(): void {
    this.flushScheduled = false;
    const feeds: { relayId: RelayId; tags: FlvTag[] }[] = [];
    for (const relayId of this.dirty) {
      const s = this.streams.get(relayId);
      if (!s || s.pending.length === 0) continue;
      feeds.push({ relayId, tags: s.pending });
      s.pending = [];
    }
    this.dirty.clear();
    const movable = this.movable;
    this.movable = new Set();
    if (feeds.length > 0) this.target.feed(feeds, movable);
  }

  /** The publisher left (or was cut off): what is pending goes first, then the end. */
  end(relayId: RelayId, reason: UnavailableReason): void {
    const s = this.streams.get(relayId);
    if (!s) return;
    if (s.pending.length > 0) this.target.feed([{ relayId, tags: s.pending }]);
    this.streams.delete(relayId);
    this.dirty.delete(relayId);
    this.target.feedEnd(relayId, reason);
  }

  /** A relay started on a host (RelayManager.onRelayStart): replay the configs and GOP, or say nobody publishes. */
  relayStarted(relayId: RelayId): void {
    const s = this.streams.get(relayId);
    if (!s) { this.target.feedEnd(relayId, 'not publishing'); return; }
    // Anything pending was meant for the previous run; the replay below holds it (it is part of the GOP).
    s.pending = [];
    this.dirty.delete(relayId);
    const replay = [...(s.avc ? [s.avc] : []), ...(s.aac ? [s.aac] : []), ...s.gop];
    // The GOP goes to the relay for good (it is running now: later tags are not cached, see tag()).
    const movable = new Set(s.gop.map((t) => t.data.buffer));
    s.gop = [];
    s.gopBytes = 0;
    if (replay.length > 0) this.target.feed([{ relayId, tags: replay }], movable);
  }
}
