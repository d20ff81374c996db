// Live HLS packager: access units in, a live window of segment metadata, our own media playlist and "publish"
// events out. mediabunny's live HlsOutputFormat cuts segments on key frames and muxes them (MPEG-TS or CMAF). One
// mediabunny Output lives for one "epoch" (one set of codec parameters on one continuous timeline); a reconnect or
// an SPS change starts a new epoch (pitfall 7). The playlist is written here, not by mediabunny, because it must
// survive epochs: media sequence numbers keep counting, EXT-X-DISCONTINUITY marks the epoch change, and segment
// names stay unique. The packager keeps no segment bodies: each finished segment is handed out once in a Publish
// (with the names that left the window, pitfall 10), so it can be transferred to the thread that serves it.
import {
  CmafOutputFormat, EncodedAudioPacketSource, EncodedPacket, EncodedVideoPacketSource,
  HlsOutputFormat, NullTarget, Output, PathedTarget, type Target,
} from 'mediabunny';
import type { AacConfig } from '../rtsp/aac';
import type { VideoCodec } from '../types';
import { ReorderAwareTsFormat, type ReorderState } from './reorder-ts-format';
import { initName, segmentName } from './segment-names';
import { SegmentTarget } from './segment-target';

export type SegmentFormat = 'mpegts' | 'cmaf';

export interface EpochSpec {
  video: { codec: VideoCodec; codecString: string; width: number; height: number; fps: number };
  audio: AacConfig | null;
  /** Seconds; must be >= the camera's GOP or segments overrun the advertised duration (pitfall 8). */
  targetDuration: number;
}

interface Segment {
  name: string;
  epoch: number;
  duration: number;
  bytes: number;
  discontinuity: boolean;
  /** Starts with a key frame. False for the quick-start pieces of a first GOP (see addVideo's `cut`). */
  independent: boolean;
}

export interface PublishedFile {
  name: string;
  body: Uint8Array;
  /** A quick-start piece: it does not start with a key frame and decodes only after its predecessor. */
  dependent?: true;
  /** Seconds, for media segments (absent for an init segment): what the recorder indexes. */
  duration?: number;
}

/** Where a successor packager continues so viewers see one stream: names stay unique, sequence numbers and
 * timestamps move forward, and the switch counts as a discontinuity (used when a relay is moved or restarted). */
export interface ResumePoint {
  epoch: number;
  mediaSequence: number;
  discontinuitySequence: number;
  nextStart: number;
}

/** One change of the live window: the new playlist, files that joined it (init first) and names that left it. */
export interface Publish {
  playlist: string;
  added: PublishedFile[];
  dropped: string[];
  /** First publish of this packager: anything a consumer holds from an earlier packager is stale. */
  first: boolean;
  resume: ResumePoint;
}

interface Epoch {
  id: number;
  output: Output;
  video: EncodedVideoPacketSource;
  audio: EncodedAudioPacketSource | null;
  spec: EpochSpec;
  /** Added to session timestamps so each epoch continues the previous one's clock. */
  offset: number | null;
  started: Promise<void>;
  /** Segment bodies finalized by mediabunny, waiting for their duration from the next playlist write. */
  pending: Map<string, Uint8Array>;
  /** The init segment (CMAF), published together with the epoch's first media segment. */
  initPending: PublishedFile | null;
  first: boolean;
  failed: boolean;
  lastVideoPts: number;
  /** Cutting at every key frame and `cut` picture until refineEpoch. */
  probing: boolean;
  /** While probing, mediabunny cuts at every key-typed packet: whether each segment so far starts with a real key
   * frame (true) or at a quick-start cut (false), in order; segments past its end start with key frames. */
  segmentStarts: boolean[];
  adopted: number;
}

/** mediabunny's segment target while an epoch probes: it then cuts at every key-typed packet the moment it arrives
 * (any later packet is past start + target, and it closes a segment at the first key packet it finds). */
const CUT_AT_EVERY_KEY = 0.001;

export interface PackagerOptions {
  segmentFormat: SegmentFormat;
  /** Segments kept in the playlist (and in memory). */
  windowSize: number;
  /** Called when mediabunny rejects input: the owner should start a new epoch at the next key frame. */
  onError?: (err: Error) => void;
  /** The live window changed (a segment joined it). */
  onPublish?: (publish: Publish) => void;
  /** Continue from another packager's state (see ResumePoint). */
  resume?: ResumePoint;
  /** Our PES/TS packet writer instead of mediabunny's (same bytes, fewer calls); off only to compare the two. */
  fastTs?: boolean;
}

const EXT = { mpegts: '.ts', cmaf: '.m4s' } as const;
export const CONTENT_TYPES: Record<string, string> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
  '.m4s': 'video/iso.segment',
  '.mp4': 'video/mp4',
};

export class LivePackager {
  private epoch: Epoch | null = null;
  private epochCount = 0;
  private segments: Segment[] = [];
  private inits = new Map<number, { name: string; bytes: number }>();
  private mediaSequence = 0;
  private discontinuitySequence = 0;
  private nextStart = 1; // first epoch starts at 1 s so B-frame DTS (PTS minus reorder delay) stays positive
  private published = false;
  private targetDuration = 1;
  private chain: Promise<void> = Promise.resolve();
  private queued = 0;
  private readonly reorder: ReorderState = { reorderDelay: 0, patched: false };
  bytesOut = 0;
  segmentCount = 0;

  constructor(private readonly opts: PackagerOptions) {
    const r = opts.resume;
    if (r) {
      this.epochCount = r.epoch;
      this.mediaSequence = r.mediaSequence;
      // The switch is a discontinuity between the predecessor's last segment and our first; with the predecessor's
      // segments no longer listed, RFC 8216 counts it in the discontinuity sequence instead of a tag.
      this.discontinuitySequence = r.discontinuitySequence + 1;
      this.nextStart = r.nextStart;
    }
  }

  /** State a successor needs to continue this stream (see ResumePoint). */
  resumePoint(): ResumePoint {
    let dseq = this.discontinuitySequence;
    for (const s of this.segments) if (s.discontinuity) dseq++;
    const live = this.epoch?.offset != null ? this.epoch.lastVideoPts + 1 : 0;
    return {
      epoch: this.epochCount,
      mediaSequence: this.mediaSequence + this.segments.length,
      discontinuitySequence: dseq,
      nextStart: Math.max(this.nextStart, live),
    };
  }

  get hasEpoch(): boolean { return this.epoch !== null && !this.epoch.failed; }
  get reorderDelay(): number { return this.reorder.reorderDelay; }
  /** Operations waiting for mediabunny; the owner drops input if this grows (a wedged muxer must not eat memory). */
  get backlog(): number { return this.queued; }

  /**
   * Begin a new muxer. Frames of the previous epoch not yet in a finished segment are discarded. A `probing` epoch
   * (the first GOP of a session, whose length is not known yet) cuts at every key frame and at every `cut` picture
   * until `refineEpoch` gives it its target.
   */
  startEpoch(spec: EpochSpec, probing = false): void {
    this.endEpoch();
    const id = ++this.epochCount;
    const ext = EXT[this.opts.segmentFormat];
    const segmentFormat = this.opts.segmentFormat === 'cmaf' ? new CmafOutputFormat() : new ReorderAwareTsFormat(this.reorder, this.opts.fastTs ?? true);
    const pending = new Map<string, Uint8Array>();
    const epoch: Epoch = {
      id, spec, pending, initPending: null, offset: null, first: true, failed: false, lastVideoPts: 0,
      probing, segmentStarts: [], adopted: 0,
      output: null as unknown as Output, video: null as unknown as EncodedVideoPacketSource, audio: null, started: Promise.resolve(),
    };
    const format = new HlsOutputFormat({
      segmentFormat,
      live: true,
      // mediabunny's own list only feeds its playlist text, which we parse for durations; keep it short.
      maxLiveSegmentCount: 3,
      targetDuration: probing ? CUT_AT_EVERY_KEY : spec.targetDuration,
      getPlaylistPath: () => 'media.m3u8',
      getSegmentPath: (info) => segmentName(id, info.n, ext),
      getInitPath: () => initName(id),
      onInit: (target) => {
        const body = bodyOf(target);
        if (body) epoch.initPending = { name: initName(id), body };
      },
      onSegment: (target, info) => {
        const body = bodyOf(target);
        if (body) pending.set(segmentName(id, info.n, ext), body);
      },
      onPlaylist: (text) => this.onMediabunnyPlaylist(epoch, text),
    });
    const target = new PathedTarget('index.m3u8', (req) =>
      // Playlists are rewritten by us; only segment and init bytes are worth keeping.
      req.path.endsWith('.m3u8') ? new NullTarget() : new SegmentTarget());
    epoch.output = new Output({ format, target });
    epoch.video = new EncodedVideoPacketSource(spec.video.codec === 'h264' ? 'avc' : 'hevc');
    epoch.output.addVideoTrack(epoch.video, { frameRate: spec.video.fps > 0 ? spec.video.fps : undefined });
    if (spec.audio) {
      epoch.audio = new EncodedAudioPacketSource('aac');
      epoch.output.addAudioTrack(epoch.audio);
    }
    this.targetDuration = Math.max(this.targetDuration, Math.ceil(spec.targetDuration - 1e-3));
    epoch.started = this.enqueue(epoch, () => epoch.output.start());
    this.epoch = epoch;
  }

  /** The current epoch's frame rate and GOP, measured after it started (see Relay.startProbe): frame durations
   * follow the measured rate, the playlist advertises a target that covers the GOP, and the muxer, which cut at
   * every key frame while probing, now cuts at the last key frame within the target (segments of whole GOPs, more
   * than one when the GOP is shorter than the target). Call it after adding the key frame that ended the probe:
   * the change is queued behind the frames already given, so that key frame still closes the probe's last segment. */
  refineEpoch(fps: number, targetDuration: number): void {
    const epoch = this.epoch;
    if (!epoch) return;
    epoch.spec = { ...epoch.spec, video: { ...epoch.spec.video, fps }, targetDuration };
    this.targetDuration = Math.max(this.targetDuration, Math.ceil(targetDuration - 1e-3));
    epoch.probing = false;
    void this.enqueue(epoch, async () => {
      // mediabunny 1.61 reads its HLS muxer's target on every packet; test/media/packager.test.ts notices a change.
      const muxer = (epoch.output as unknown as { _muxer?: { targetSegmentDuration?: number } })._muxer;
      if (muxer && typeof muxer.targetSegmentDuration === 'number') muxer.targetSegmentDuration = targetDuration;
    });
  }

  /**
   * `pts` in session seconds. The first frame of an epoch must be a key frame. `cut` (MPEG-TS only, while probing)
   * starts a new segment at a picture that is not a key frame: the quick start of a session, whose first playlist
   * need not wait for a whole GOP. The caller picks a picture that follows every earlier one in presentation order,
   * so no B-frame crosses the cut. Such a segment decodes only after its predecessor, as a player plays them (like
   * ffmpeg's `-hls_flags split_by_time`); the playlist then omits EXT-X-INDEPENDENT-SEGMENTS.
   */
  addVideo(pts: number, key: boolean, data: Uint8Array, cut = false): void {
    const epoch = this.epoch;
    if (!epoch || epoch.failed) return;
    if (epoch.offset === null) {
      if (!key) return;
      epoch.offset = this.nextStart - pts;
    }
    // Not in CMAF, which would flag the picture as a sync sample; only while probing, when every cut is kept.
    if (cut && (this.opts.segmentFormat !== 'mpegts' || !epoch.probing)) cut = false;
    if ((key || cut) && epoch.probing) epoch.segmentStarts.push(key);
    const ts = pts + epoch.offset;
    epoch.lastVideoPts = Math.max(epoch.lastVideoPts, ts);
    const frameDur = epoch.spec.video.fps > 0 ? 1 / epoch.spec.video.fps : 0.04;
    const packet = new EncodedPacket(data, key || cut ? 'key' : 'delta', ts, frameDur);
    const meta = epoch.first
      ? { decoderConfig: { codec: epoch.spec.video.codecString, codedWidth: epoch.spec.video.width, codedHeight: epoch.spec.video.height } }
      : undefined;
    epoch.first = false;
    this.enqueue(epoch, () => epoch.video.add(packet, meta));
  }

  addAudio(pts: number, data: Uint8Array): void {
    const epoch = this.epoch;
    if (!epoch || epoch.failed || !epoch.audio || !epoch.spec.audio || epoch.offset === null) return;
    const ts = pts + epoch.offset;
    // Audio before the first key frame would stretch the first segment backwards; the muxer wants nothing before it.
    if (ts < this.nextStart) return;
    const a = epoch.spec.audio;
    const packet = new EncodedPacket(data, 'key', ts, 1024 / a.sampleRate);
    const audio = epoch.audio;
    const meta = audioMetaSent.has(audio) ? undefined
      : { decoderConfig: { codec: a.codecString, sampleRate: a.sampleRate, numberOfChannels: a.channels, description: a.config } };
    audioMetaSent.add(audio);
    this.enqueue(epoch, () => audio.add(packet, meta));
  }

  private enqueue(epoch: Epoch, op: () => Promise<void>): Promise<void> {
    this.queued++;
    const run = this.chain.then(async () => {
      if (epoch.failed || this.epoch !== epoch) return;
      try {
        await op();
      } catch (err) {
        epoch.failed = true;
        this.opts.onError?.(err instanceof Error ? err : new Error(String(err)));
      }
    }).finally(() => { this.queued--; });
    this.chain = run;
    return run;
  }

  private onMediabunnyPlaylist(epoch: Epoch, text: string): void {
    // The playlist lists finished segments with their measured durations; adopt the ones we have bodies for.
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = /^#EXTINF:([\d.]+),/.exec(lines[i]!);
      if (!m) continue;
      const name = lines[i + 1]?.trim() ?? '';
      const body = epoch.pending.get(name);
      if (!body) continue;
      epoch.pending.delete(name);
      const firstOfEpoch = !this.segments.some((s) => s.epoch === epoch.id);
      const added: PublishedFile[] = [];
      if (epoch.initPending) {
        added.push(epoch.initPending);
        this.inits.set(epoch.id, { name: epoch.initPending.name, bytes: epoch.initPending.body.byteLength });
        epoch.initPending = null;
      }
      const independent = epoch.segmentStarts[epoch.adopted++] ?? true;
      const duration = Number(m[1]);
      added.push(independent ? { name, body, duration } : { name, body, dependent: true, duration });
      this.segments.push({ name, epoch: epoch.id, duration: Number(m[1]), bytes: body.byteLength, discontinuity: firstOfEpoch && this.segmentCount > 0, independent });
      this.segmentCount++;
      this.bytesOut += body.byteLength;
      const dropped = this.trim();
      const first = !this.published;
      this.published = true;
      this.opts.onPublish?.({ playlist: this.playlist()!, added, dropped, first, resume: this.resumePoint() });
    }
  }

  /** Shrinks the window to windowSize; returns the names that left it. */
  private trim(): string[] {
    const dropped: string[] = [];
    while (this.segments.length > this.opts.windowSize) {
      dropped.push(this.segments.shift()!.name);
      this.mediaSequence++;
      // The next segment's discontinuity tag leaves with the segment before it; count it as RFC 8216 requires.
      if (this.segments[0]?.discontinuity) {
        this.segments[0].discontinuity = false;
        this.discontinuitySequence++;
      }
    }
    for (const [id, init] of this.inits) {
      if (!this.segments.some((s) => s.epoch === id) && id !== this.epoch?.id) {
        this.inits.delete(id);
        dropped.push(init.name);
      }
    }
    return dropped;
  }

  private endEpoch(): void {
    const old = this.epoch;
    if (!old) return;
    this.epoch = null;
    if (old.offset !== null) this.nextStart = old.lastVideoPts + 1; // a visible gap is better than overlap
    old.pending.clear();
    old.initPending = null;
    // Cancel, not finalize: a partial segment would have a short, misleading duration.
    void old.started.then(() => old.output.cancel()).catch(() => {});
  }

  /** Media playlist, or null until the first segment exists. URIs are relative so the HTTP layer can add tokens. */
  playlist(): string | null {
    if (this.segments.length === 0) return null;
    const cmaf = this.opts.segmentFormat === 'cmaf';
    const maxSeg = Math.max(...this.segments.map((s) => Math.round(s.duration)));
    const target = Math.max(this.targetDuration, maxSeg);
    let out = '#EXTM3U\n'
      + `#EXT-X-VERSION:${cmaf ? 6 : 3}\n`
      + `#EXT-X-TARGETDURATION:${target}\n`
      + `#EXT-X-MEDIA-SEQUENCE:${this.mediaSequence}\n`
      + (this.discontinuitySequence > 0 ? `#EXT-X-DISCONTINUITY-SEQUENCE:${this.discontinuitySequence}\n` : '')
      + (this.independent() ? '#EXT-X-INDEPENDENT-SEGMENTS\n' : '');
    let lastEpoch = -1;
    for (const s of this.segments) {
      if (s.discontinuity) out += '#EXT-X-DISCONTINUITY\n';
      if (cmaf && s.epoch !== lastEpoch) out += `#EXT-X-MAP:URI="${initName(s.epoch)}"\n`;
      lastEpoch = s.epoch;
      out += `#EXTINF:${s.duration.toFixed(3)},\n${s.name}\n`;
    }
    return out;
  }

  /** Every listed segment starts with a key frame, and no quick-start piece is on its way (the tag would come and
   * go between two reloads of the first second). */
  private independent(): boolean {
    const e = this.epoch;
    if (e && e.segmentStarts.indexOf(false, e.adopted) >= 0) return false;
    return this.segments.every((s) => s.independent);
  }

  /** Bytes of the live window (bounded by windowSize segments); the bodies themselves live with the consumer. */
  get bytesHeld(): number {
    let n = 0;
    for (const s of this.segments) n += s.bytes;
    for (const i of this.inits.values()) n += i.bytes;
    return n;
  }

  close(): void {
    this.endEpoch();
    this.segments = [];
    this.inits.clear();
  }
}

/** Audio decoder config must accompany only the first packet of a source. */
const audioMetaSent = new WeakSet<EncodedAudioPacketSource>();

function bodyOf(target: Target): Uint8Array | null {
  return target instanceof SegmentTarget ? target.body : null;
}

export function contentTypeOf(name: string): string {
  if (name.endsWith('.ts')) return CONTENT_TYPES['.ts']!;
  if (name.endsWith('.m4s')) return CONTENT_TYPES['.m4s']!;
  if (name.endsWith('.mp4')) return CONTENT_TYPES['.mp4']!;
  return 'application/octet-stream';
}
