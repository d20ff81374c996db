// The serving side of one camera's live HLS: the latest playlist and the bodies it names, kept where HTTP requests
// are answered (the gateway's main thread) so a playlist or segment request never waits on a relay thread.
// Fed by packager Publish events, which arrive either directly (in-process relays) or as worker messages whose
// segment bodies were transferred, not copied.
import { contentTypeOf, type Publish, type ResumePoint } from './hls/packager';
import { epochOfSegment, initName } from './hls/segment-names';

export interface ServedFile {
  body: Uint8Array;
  contentType: string;
}

/** The newest media segment (it starts with a key frame), with its epoch's init segment when it is CMAF. */
export interface LatestSegment {
  name: string;
  body: Uint8Array;
  format: 'mpegts' | 'cmaf';
  init?: Uint8Array;
}

/** A blocking playlist reload's wish: media sequence number `msn` complete, or its part `part` listed. */
export interface BlockUntil {
  msn: number;
  part?: number;
}

export class LiveWindow {
  private files = new Map<string, Uint8Array>();
  private text: string | null = null;
  private resumeAt: ResumePoint | null = null;
  /** Names the last publish took out of the playlist; their bodies go with the next publish. */
  private leaving: string[] = [];
  /** Quick-start pieces held (no key frame at their start): never offered as the latest segment for snapshots. */
  private dependent = new Set<string>();
  private edgeAt: { msn: number; part: number } | null = null;
  /** Part names whose body is now a view of their segment's. */
  private views = new Set<string>();

  /** Null until the first segment exists. */
  get playlist(): string | null { return this.text; }

  /** Where a replacement packager should continue (after a worker restart), or null before the first segment. */
  get resume(): ResumePoint | null { return this.resumeAt; }

  apply(p: Publish): void {
    // A new packager (relay restarted on a fresh worker) starts its own window: what we hold is not in its
    // playlist any more. Players see the media sequence move on with a discontinuity.
    if (p.first) { this.files.clear(); this.leaving = []; this.dependent.clear(); this.views.clear(); }
    // What left the playlist stays one more publish, for a player that fetched the previous playlist a moment
    // ago and asks for its oldest segment (or part) now (ffmpeg's delete_segments keeps one likewise).
    for (const name of this.leaving) { this.files.delete(name); this.dependent.delete(name); this.views.delete(name); }
    this.leaving = p.droppedParts ? [...p.dropped, ...p.droppedParts] : p.dropped;
    if (p.parts) for (const f of p.parts) this.files.set(f.name, f.body);
    for (const f of p.added) {
      this.files.set(f.name, f.body);
      if (f.dependent) this.dependent.add(f.name);
      // A segment made of parts: its parts are served as views of it from now on, so the bytes are held once.
      if (f.parts) {
        let at = 0;
        for (const name of f.parts) {
          const part = this.files.get(name);
          if (!part || at + part.byteLength > f.body.byteLength) break;
          this.files.set(name, f.body.subarray(at, at + part.byteLength));
          this.views.add(name);
          at += part.byteLength;
        }
      }
    }
    this.text = p.playlist;
    this.resumeAt = p.resume;
    this.edgeAt = p.edge ?? null;
  }

  /** Whether the playlist already answers a blocking reload for `until` (always, for a packager without edges).
   * Asked for a whole segment, a playlist with its first part answers too: a player asks for the next segment
   * while it has seen no parts yet (hls.js after the quick-start pieces), and would otherwise wait out a whole GOP
   * that it could be playing part by part; once it sees parts it asks for them. */
  holds(until: BlockUntil): boolean {
    const e = this.edgeAt;
    if (!e || until.msn < e.msn) return true;
    return until.msn === e.msn && (until.part ?? 0) <= e.part;
  }

  /** A blocking reload asking further ahead than this many segments is answered at once (RFC 8216bis §6.2.5.2 even
   * calls it a client error): nothing would come within the wait. */
  tooFarAhead(until: BlockUntil): boolean {
    return this.edgeAt !== null && until.msn > this.edgeAt.msn + 2;
  }

  file(name: string): ServedFile | undefined {
    const body = this.files.get(name);
    return body ? { body, contentType: contentTypeOf(name) } : undefined;
  }

  /** For snapshots: the segment starting with a key frame added last (the map keeps insertion order), undefined
   * before the first. */
  /** For a consumer joining late (the H.264 transcode): the newest segment starting with a key frame and every
   * segment after it, in order, so quick-start pieces that depend on it are not skipped. */
  latestRun(): LatestSegment[] {
    const names = [...this.files.keys()].filter((k) => epochOfSegment(k) !== undefined);
    let from = -1;
    names.forEach((n, i) => { if (!this.dependent.has(n)) from = i; });
    if (from < 0) return [];
    return names.slice(from).map((name) => {
      const body = this.files.get(name)!;
      if (name.endsWith('.ts')) return { name, body, format: 'mpegts' as const };
      return { name, body, format: 'cmaf' as const, init: this.files.get(initName(epochOfSegment(name)!)) };
    });
  }

  latest(): LatestSegment | undefined {
    let name: string | undefined;
    for (const key of this.files.keys()) if (epochOfSegment(key) !== undefined && !this.dependent.has(key)) name = key;
    if (!name) return undefined;
    const body = this.files.get(name)!;
    if (name.endsWith('.ts')) return { name, body, format: 'mpegts' };
    const init = this.files.get(initName(epochOfSegment(name)!));
    return init ? { name, body, format: 'cmaf', init } : undefined;
  }

  /** Parts served as views of their segment are counted with the segment. */
  get bytesHeld(): number {
    let n = 0;
    for (const [name, b] of this.files) if (!this.views.has(name)) n += b.byteLength;
    return n;
  }

  clear(): void {
    this.files.clear();
    this.leaving = [];
    this.dependent.clear();
    this.views.clear();
    this.text = null;
    this.edgeAt = null;
  }
}
