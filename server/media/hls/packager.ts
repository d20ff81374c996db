// Live HLS packager: access units in, a live window of segment metadata, our own media playlist and "publish"
// events out. mediabunny's live HlsOutputFormat cuts segments on key frames and muxes them (MPEG-TS or CMAF). One
// mediabunny Output lives for one "epoch" (one set of codec parameters on one continuous timeline); a reconnect or
// an SPS change starts a new epoch (pitfall 7). The playlist is written here, not by mediabunny, because it must
// survive epochs: media sequence numbers keep counting, EXT-X-DISCONTINUITY marks the epoch change, and segment
// names stay unique. The packager keeps no segment bodies: each finished segment is handed out once in a Publish
// (with the names that left the window, pitfall 10), so it can be transferred to the thread that serves it.
//
// LL-HLS parts (MPEG-TS, `parts: true`): after a session's first GOP the muxer keeps cutting a file at every key
// frame and at every `cut` picture the relay marks (~PART_TARGET_SEC apart), as it does for the quick-start pieces;
// each file is published at once as a partial segment (EXT-X-PART), and the whole segment (key frame to key frame,
// whole GOPs up to the target, as before) is published when its last part is, as the concatenation of its parts
// (MPEG-TS files concatenate: each starts with PAT/PMT and flags its first packet per PID as a discontinuity, so the
// continuity counters may restart). So a player that plays parts gets media every ~0.5 s instead of every GOP,
// and everything that wants whole segments (`added`, snapshots, players without LL-HLS) still gets them.
import {
  CmafOutputFormat, EncodedAudioPacketSource, EncodedPacket, EncodedVideoPacketSource,
  HlsOutputFormat, NullTarget, Output, PathedTarget, type Target,
} from 'mediabunny';
import { G711ToFlac, type G711Audio } from '../audio/g711-flac';
import type { AacConfig } from '../rtsp/aac';
import type { VideoCodec } from '../types';
import { ReorderAwareTsFormat, type ReorderState } from './reorder-ts-format';
import { initName, partName, segmentName } from './segment-names';
import { SegmentTarget } from './segment-target';
import { adtsTemplate, TsCutter, type CutFile } from './ts-cutter';

export type SegmentFormat = 'mpegts' | 'cmaf';

export const isG711 = (a: AacConfig | G711Audio | null | undefined): a is G711Audio => a != null && 'law' in a;

export interface EpochSpec {
  video: { codec: VideoCodec; codecString: string; width: number; height: number; fps: number };
  /** AAC as sent; G.711 is decoded and carried as FLAC, which only CMAF can hold: such an epoch is CMAF whatever
   * the configured format (see formatOf). */
  audio: AacConfig | G711Audio | null;
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
  /** The LL-HLS parts it was made of, while they are still listed (see PARTS_KEPT). */
  parts?: Part[];
  /** Wall clock (ms) when its first picture arrived: EXT-X-PROGRAM-DATE-TIME. */
  at: number;
}

interface Part {
  name: string;
  duration: number;
  /** Starts with a key frame (EXT-X-PART INDEPENDENT=YES). */
  independent: boolean;
}

/** The segment being built from parts: published parts so far and their bytes, gathered in pooled chunks. */
interface OpenSegment {
  /** The mediabunny file number of its first part: the segment is named after it. */
  n: number;
  parts: Part[];
  body: SegmentTarget;
  /** Seconds since the last key frame in it (the GOP so far), to decide whether the next GOP still fits. */
  sinceKey: number;
  at: number;
}

/** LL-HLS parts are about this long, seconds: the relay splits each GOP into parts of whole pictures, as many as
 * keep them near this (see Relay.planParts); the playlist advertises the longest. Shorter than the first quick-start
 * piece (0.5 s) on purpose: a cold player starts playing as soon as it holds that piece, so its lead over the newest
 * picture is the piece's length, and each later part arrives a part's length after the one before; the lead left
 * when it arrives is the piece minus the part. With 0.5 s parts that was ~0 (a 13-picture part after a 13-picture
 * piece), and any delivery jitter stalled the video; with ~0.25 s parts ~0.24 s of jitter is absorbed, and the
 * first frame comes no later. */
export const PART_TARGET_SEC = 0.25;
/** Target durations of complete segments whose parts stay listed (and served) besides the open one: a player that
 * fetched parts of a segment just before it completed still finds them (RFC 8216bis keeps parts for at least 3
 * target durations back, ours with a 1 s target: the open segment plus two whole ones, or ~2 s of pieces). */
const PARTS_KEPT = 2;

export interface PublishedFile {
  name: string;
  body: Uint8Array;
  /** A quick-start piece: it does not start with a key frame and decodes only after its predecessor. */
  dependent?: true;
  /** Seconds, for media segments (absent for an init segment): what the recorder indexes. */
  duration?: number;
  /** A segment made of LL-HLS parts: their names, in order; its body is their concatenation (the serving side may
   * serve the parts as views of it from now on). */
  parts?: string[];
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
  /** Whole segments (and a CMAF init) that joined the playlist: what recording and snapshots use. */
  added: PublishedFile[];
  dropped: string[];
  /** LL-HLS parts that joined the playlist (MPEG-TS with `parts` only); each is also inside its segment once that
   * segment is in `added`. */
  parts?: PublishedFile[];
  /** Part names no longer listed. */
  droppedParts?: string[];
  /** The newest media sequence number and part index (-1: none of the open segment yet) the playlist holds, for
   * blocking playlist reloads (`_HLS_msn`, `_HLS_part`). */
  edge?: { msn: number; part: number };
  /** First publish of this packager: anything a consumer holds from an earlier packager is stale. */
  first: boolean;
  resume: ResumePoint;
}

interface Epoch {
  id: number;
  output: Output;
  video: EncodedVideoPacketSource;
  audio: EncodedAudioPacketSource | null;
  /** G.711 → FLAC for this epoch's audio track. */
  flac: G711ToFlac | null;
  format: SegmentFormat;
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
  /** While probing (and always with parts), mediabunny cuts a file at every key-typed packet: per file, in order,
   * whether it starts with a real key frame or at a cut, and whether it is an LL-HLS part (else a segment of its
   * own: a quick-start piece or, past the list's end, a whole segment). */
  fileStarts: Map<number, { key: boolean; part: boolean }>;
  /** Files started so far while cutting at every key-typed packet (mediabunny numbers them from 1 likewise). */
  files: number;
  open: OpenSegment | null;
  /** A part started with a key frame in this epoch: cuts may start parts from now on. */
  partKeySeen: boolean;
  /** The part target the relay cuts to (seconds), once the probe ended; 0 before. */
  partTarget: number;
  /** With parts (MPEG-TS, AAC or no audio): our own file cutter (ts-cutter.ts) instead of a mediabunny Output,
   * which then stays null. */
  cutter: TsCutter | null;
  /** Wall clock (ms) of media time 0 of this epoch (set with the first picture), and the media time where the next
   * adopted file starts: each segment's EXT-X-PROGRAM-DATE-TIME. */
  wallBase: number;
  mediaAt: number;
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
  /** LL-HLS parts after the first GOP (MPEG-TS only; ignored for CMAF). */
  parts?: boolean;
  /** With parts: cut the files with our own MPEG-TS cutter (ts-cutter.ts, the default) instead of mediabunny's
   * HLS muxer (an Output per file); false only to compare the two. */
  cutter?: boolean;
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
  /** LL-HLS parts after the first GOP (MPEG-TS only). */
  private withParts: boolean;
  /** Parts adopted before the playlist could be published (no whole segment yet); they go with the first publish. */
  private unsentParts: PublishedFile[] = [];
  /** Listed part names that left the playlist since the last publish (an abandoned open segment's). */
  private leftParts: string[] = [];
  bytesOut = 0;
  segmentCount = 0;

  constructor(private readonly opts: PackagerOptions) {
    this.withParts = opts.parts === true && opts.segmentFormat === 'mpegts';
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
    // G.711 audio goes out as FLAC, which MPEG-TS cannot carry (and hls.js could not transmux): CMAF then.
    const fmt: SegmentFormat = isG711(spec.audio) ? 'cmaf' : this.opts.segmentFormat;
    this.withParts = this.opts.parts === true && fmt === 'mpegts';
    const ext = EXT[fmt];
    const segmentFormat = fmt === 'cmaf' ? new CmafOutputFormat() : new ReorderAwareTsFormat(this.reorder, this.opts.fastTs ?? true);
    const pending = new Map<string, Uint8Array>();
    const epoch: Epoch = {
      id, spec, pending, initPending: null, offset: null, first: true, failed: false, lastVideoPts: 0,
      probing, fileStarts: new Map(), files: 0, open: null, partKeySeen: false, partTarget: 0, wallBase: 0, mediaAt: 0, cutter: null,
      output: null as unknown as Output, video: null as unknown as EncodedVideoPacketSource, audio: null, flac: null, format: fmt, started: Promise.resolve(),
    };
    // With parts every file is a part or a quick-start piece: our cutter writes them without an Output per file.
    const adts = spec.audio && !isG711(spec.audio) ? adtsTemplate(spec.audio.config) : null;
    if (this.withParts && this.opts.cutter !== false && (spec.audio === null || adts !== null)) {
      epoch.cutter = new TsCutter({
        codec: spec.video.codec, adts, reorder: this.reorder,
        onFile: (file) => {
          if (this.epoch === epoch) this.adopt(epoch, segmentName(id, file.n, ext), file.n, file.duration, file);
        },
      });
      this.targetDuration = Math.max(this.targetDuration, Math.ceil(spec.targetDuration - 1e-3));
      this.epoch = epoch;
      return;
    }
    const format = new HlsOutputFormat({
      segmentFormat,
      live: true,
      // mediabunny's own list only feeds its playlist text, which we parse for durations; keep it short.
      maxLiveSegmentCount: 3,
      // With parts every file is a part (or a quick-start piece): the segments are put together here.
      targetDuration: probing || this.withParts ? CUT_AT_EVERY_KEY : spec.targetDuration,
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
      epoch.flac = isG711(spec.audio) ? new G711ToFlac(spec.audio) : null;
      epoch.audio = new EncodedAudioPacketSource(epoch.flac ? 'flac' : 'aac');
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
  refineEpoch(fps: number, targetDuration: number, endedAtKey = true, partTarget = PART_TARGET_SEC): void {
    const epoch = this.epoch;
    if (!epoch) return;
    epoch.spec = { ...epoch.spec, video: { ...epoch.spec.video, fps }, targetDuration };
    this.targetDuration = Math.max(this.targetDuration, Math.ceil(targetDuration - 1e-3));
    epoch.probing = false;
    if (this.withParts) {
      epoch.partTarget = partTarget;
      // The muxer keeps cutting at every key-typed packet; the file the key frame that ended the probe started is
      // the first part of the first whole segment (a probe cut short mid-GOP waits for the next key frame).
      const last = epoch.fileStarts.get(epoch.files);
      if (endedAtKey && last?.key) {
        last.part = true;
        epoch.partKeySeen = true;
      }
      return;
    }
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
      epoch.mediaAt = this.nextStart;
      epoch.wallBase = Date.now() - this.nextStart * 1000;
    }
    // Not in CMAF, which would flag the picture as a sync sample; only while probing or with parts, when every cut
    // is kept; a part never starts a segment, so none before the first key frame after the probe.
    if (cut && (epoch.format !== 'mpegts' || !(epoch.probing || (this.withParts && epoch.partKeySeen)))) cut = false;
    if ((key || cut) && (epoch.probing || this.withParts)) {
      const part = this.withParts && !epoch.probing;
      if (part && key) epoch.partKeySeen = true;
      epoch.fileStarts.set(++epoch.files, { key, part });
    }
    const ts = pts + epoch.offset;
    epoch.lastVideoPts = Math.max(epoch.lastVideoPts, ts);
    if (epoch.cutter) {
      epoch.first = false;
      epoch.cutter.addVideo(ts, key, cut, data);
      return;
    }
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
    if (!epoch || epoch.failed || !(epoch.audio || epoch.cutter) || !epoch.spec.audio || epoch.offset === null) return;
    const ts = pts + epoch.offset;
    // Audio before the first key frame would stretch the first segment backwards; the muxer wants nothing before it.
    if (ts < this.nextStart) return;
    if (epoch.cutter) { epoch.cutter.addAudio(ts, data); return; }
    if (!epoch.audio) return;
    const a = epoch.spec.audio;
    const audio = epoch.audio;
    if (epoch.flac) {
      const flac = epoch.flac;
      for (const f of flac.encode(data, ts)) {
        const meta = audioMetaSent.has(audio) ? undefined
          : { decoderConfig: { codec: 'flac', sampleRate: a.sampleRate, numberOfChannels: a.channels, description: flac.description } };
        audioMetaSent.add(audio);
        this.enqueue(epoch, () => audio.add(new EncodedPacket(f.data, 'key', f.pts, f.duration), meta));
      }
      return;
    }
    if (isG711(a)) return;
    const packet = new EncodedPacket(data, 'key', ts, 1024 / a.sampleRate);
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
    // The playlist lists finished files with their measured durations; adopt the ones we have bodies for.
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = /^#EXTINF:([\d.]+),/.exec(lines[i]!);
      if (!m) continue;
      const name = lines[i + 1]?.trim() ?? '';
      const body = epoch.pending.get(name);
      if (!body) continue;
      epoch.pending.delete(name);
      const n = Number(/-(\d+)\.\w+$/.exec(name)?.[1]);
      this.adopt(epoch, name, n, Number(m[1]), body);
    }
  }

  /** A finished file joins: as an LL-HLS part of the open segment (which it may complete), or as a segment of its
   * own (a quick-start piece, or any file without parts). `file` is mediabunny's body or our cutter's file, which
   * is written straight into the open segment's pooled chunks, its part body copied out of them once. */
  private adopt(epoch: Epoch, name: string, n: number, duration: number, file: Uint8Array | CutFile): void {
    const start = epoch.fileStarts.get(n) ?? { key: true, part: false };
    epoch.fileStarts.delete(n);
    const at = Math.round(epoch.wallBase + epoch.mediaAt * 1000);
    epoch.mediaAt += duration;
    const added: PublishedFile[] = [];
    const parts: PublishedFile[] = [];
    if (epoch.initPending) {
      added.push(epoch.initPending);
      this.inits.set(epoch.id, { name: epoch.initPending.name, bytes: epoch.initPending.body.byteLength });
      epoch.initPending = null;
    }
    if (start.part) {
      const open = epoch.open ??= { n, parts: [], body: new SegmentTarget(), sinceKey: 0, at };
      const part: Part = { name: partName(epoch.id, n), duration, independent: start.key };
      if (start.key) open.sinceKey = 0;
      open.sinceKey += duration;
      open.parts.push(part);
      let body: Uint8Array;
      if (file instanceof Uint8Array) {
        // Copied before the part's own buffer is handed out (and maybe transferred to another thread).
        open.body.append(file);
        body = file;
      } else {
        const from = open.body.byteLength;
        const into = open.body;
        file.write({ write: (d) => into.append(d) });
        body = open.body.copy(from, open.body.byteLength);
      }
      parts.push({ name: part.name, body });
      this.bytesOut += body.byteLength;
      // The file after this one already started (it is what closed this one): a key frame ends the segment here
      // unless another GOP as long as the last one still fits in the target (whole GOPs up to the target).
      const next = epoch.fileStarts.get(n + 1);
      const openDuration = open.parts.reduce((sum, p) => sum + p.duration, 0);
      if (next?.key && openDuration + open.sinceKey > epoch.spec.targetDuration + 0.05) {
        const segBody = open.body.take();
        const segName = segmentName(epoch.id, open.n, '.ts');
        added.push({ name: segName, body: segBody, duration: openDuration, parts: open.parts.map((p) => p.name) });
        this.pushSegment(epoch, { name: segName, epoch: epoch.id, duration: openDuration, bytes: segBody.byteLength, discontinuity: false, independent: true, parts: open.parts, at: open.at });
        epoch.open = null;
      }
    } else {
      let body: Uint8Array;
      if (file instanceof Uint8Array) body = file;
      else {
        const t = new SegmentTarget();
        file.write({ write: (d) => t.append(d) });
        body = t.take();
      }
      const independent = start.key;
      added.push(independent ? { name, body, duration } : { name, body, dependent: true, duration });
      // With parts, a quick-start piece is listed as the one part of its own segment too (same URI): hls.js plays
      // parts only when the part list reaches back behind what it has buffered, so a list that began after the
      // pieces would have it wait out the first whole segment (a stall a GOP long).
      const asPart = this.withParts ? [{ name, duration, independent }] : undefined;
      this.pushSegment(epoch, { name, epoch: epoch.id, duration, bytes: body.byteLength, discontinuity: false, independent, at, ...(asPart ? { parts: asPart } : {}) });
      this.bytesOut += body.byteLength;
    }
    this.publish(added, parts);
  }

  /** A whole segment joins the window: it is the first of its epoch after another epoch's (a discontinuity). */
  private pushSegment(epoch: Epoch, segment: Segment): void {
    segment.discontinuity = this.segmentCount > 0 && !this.segments.some((s) => s.epoch === epoch.id);
    this.segments.push(segment);
    this.segmentCount++;
  }

  private publish(added: PublishedFile[], parts: PublishedFile[]): void {
    const droppedParts = this.leftParts;
    this.leftParts = [];
    const dropped = this.trim(droppedParts);
    const playlist = this.playlist();
    if (playlist === null) {
      // Parts before any whole segment (a first GOP replayed video-only): no playlist a player could start with yet.
      this.unsentParts.push(...parts);
      return;
    }
    const allParts = this.unsentParts.length ? [...this.unsentParts, ...parts] : parts;
    this.unsentParts = [];
    const first = !this.published;
    this.published = true;
    this.opts.onPublish?.({
      playlist, added, dropped, first, resume: this.resumePoint(), edge: this.edge(),
      ...(allParts.length ? { parts: allParts } : {}),
      ...(droppedParts.length ? { droppedParts } : {}),
    });
  }

  /** Newest media sequence number and part index listed (see Publish.edge). */
  private edge(): { msn: number; part: number } {
    const next = this.mediaSequence + this.segments.length;
    const open = this.epoch?.open;
    if (open) return { msn: next, part: open.parts.length - 1 };
    const last = this.segments[this.segments.length - 1];
    // Listed as parts until the next part comes (see playlist()).
    if (this.withParts && last?.parts && last.parts.length > 1 && this.segments.length > 1) return { msn: next - 1, part: last.parts.length - 1 };
    return { msn: next, part: -1 };
  }

  /** Shrinks the window to windowSize; returns the names that left it and adds parts no longer listed to
   * `droppedParts` (those of segments older than the last PARTS_KEPT). */
  private trim(droppedParts: string[]): string[] {
    const dropped: string[] = [];
    // By duration, not count: quick-start pieces after the first are part-sized (Relay), and hls.js plays parts
    // only while the part list reaches back behind what it holds, so the pieces' parts stay as long as whole
    // segments' would (PARTS_KEPT target durations), and so does the window while pieces are listed.
    let kept = 0;
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const s = this.segments[i]!;
      if (!s.parts) continue;
      if (kept >= PARTS_KEPT * this.targetDuration - 0.05) {
        for (const p of s.parts) if (p.name !== s.name) droppedParts.push(p.name);
        delete s.parts;
      } else kept += s.duration;
    }
    let total = 0;
    for (const s of this.segments) total += s.duration;
    while (this.segments.length > this.opts.windowSize) {
      if (this.segments.some((s) => !s.independent) && total - this.segments[0]!.duration < this.opts.windowSize * this.targetDuration - 0.05) break;
      const left = this.segments.shift()!;
      total -= left.duration;
      if (left.parts) for (const p of left.parts) if (p.name !== left.name) droppedParts.push(p.name);
      dropped.push(left.name);
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
    old.cutter?.discard();
    if (old.open) {
      // Its segment will never be complete: the parts leave the playlist with the next publish.
      for (const p of old.open.parts) this.leftParts.push(p.name);
      old.open.body.discard();
      old.open = null;
    }
    // Cancel, not finalize: a partial segment would have a short, misleading duration.
    if (old.cutter) return;
    void old.started.then(() => old.output.cancel()).catch(() => {});
  }

  /** Media playlist, or null until the first segment exists. URIs are relative so the HTTP layer can add tokens.
   * With parts the playlist offers blocking reloads (the live route holds `_HLS_msn`/`_HLS_part` requests until
   * the playlist has them) and carries the LL-HLS part tags: PART-INF, the parts of the last segments, and
   * those of the segment being built after the last EXTINF. No EXT-X-PRELOAD-HINT: hls.js does not use it, and a
   * hinted URI must be served before it exists (a blocking segment request), which nothing here needs yet. */
  playlist(): string | null {
    if (this.segments.length === 0) return null;
    // Per segment: a G.711 camera's epochs are CMAF even where the configured format is MPEG-TS.
    const cmaf = this.segments.some((s) => s.name.endsWith('.m4s'));
    const maxSeg = Math.max(...this.segments.map((s) => Math.round(s.duration)));
    const target = Math.max(this.targetDuration, maxSeg);
    // PART-INF once parts can be listed (after the first GOP); it must cover every part listed, so the longest
    // target of the epochs whose parts are still listed.
    let partTarget = 0;
    if (this.withParts) {
      partTarget = this.epoch?.partTarget ?? 0;
      for (const s of this.segments) if (s.parts) for (const p of s.parts) partTarget = Math.max(partTarget, p.duration);
      if (partTarget > 0) partTarget = Math.ceil(partTarget * 1000 - 0.5) / 1000;
    }
    let out = '#EXTM3U\n'
      + `#EXT-X-VERSION:${cmaf || this.withParts ? 6 : 3}\n`
      + `#EXT-X-TARGETDURATION:${target}\n`
      + (partTarget > 0
        ? `#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=${(3 * partTarget).toFixed(3)}\n#EXT-X-PART-INF:PART-TARGET=${partTarget.toFixed(3)}\n`
        : this.withParts ? '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES\n' : '')
      + `#EXT-X-MEDIA-SEQUENCE:${this.mediaSequence}\n`
      + (this.discontinuitySequence > 0 ? `#EXT-X-DISCONTINUITY-SEQUENCE:${this.discontinuitySequence}\n` : '')
      + (this.independent() ? '#EXT-X-INDEPENDENT-SEGMENTS\n' : '');
    let lastEpoch = -1;
    // A segment made of parts is listed whole (EXTINF) only together with the first part after it: a playlist
    // ending on a whole segment with no part after it has hls.js take that segment for its open one (its
    // fragmentHint gets the same sequence number) and lose its part timeline.
    const open = this.epoch?.open;
    const last = this.segments[this.segments.length - 1]!;
    const holdLast = !open && this.withParts && last.parts !== undefined && last.parts.length > 1 && this.segments.length > 1;
    for (const s of this.segments) {
      if (s.discontinuity) out += '#EXT-X-DISCONTINUITY\n';
      if (s.name.endsWith('.m4s') && s.epoch !== lastEpoch) out += `#EXT-X-MAP:URI="${initName(s.epoch)}"\n`;
      lastEpoch = s.epoch;
      if (s.parts) out += partLines(s.parts);
      if (s === last && holdLast) break;
      out += `#EXTINF:${s.duration.toFixed(3)},\n${s.name}\n`;
    }
    if (open) {
      if (lastEpoch !== this.epoch!.id) out += '#EXT-X-DISCONTINUITY\n';
      out += partLines(open.parts);
    }
    return out;
  }

  /** Every listed segment starts with a key frame, and no quick-start piece is on its way (the tag would come and
   * go between two reloads of the first second). */
  private independent(): boolean {
    const e = this.epoch;
    if (e) for (const f of e.fileStarts.values()) if (!f.key && !f.part) return false;
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
    this.leftParts = [];
    this.unsentParts = [];
    this.segments = [];
    this.inits.clear();
  }
}

function partLines(parts: Part[]): string {
  let out = '';
  for (const p of parts) out += `#EXT-X-PART:DURATION=${p.duration.toFixed(3)},URI="${p.name}"${p.independent ? ',INDEPENDENT=YES' : ''}\n`;
  return out;
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
