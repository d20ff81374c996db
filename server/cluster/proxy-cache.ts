// What a node keeps of the streams it serves from their owners (issue #22). Without it every viewer's playlist poll
// and segment on a non-owner node is one HTTP request to the owner: at 1,000 residents on node B that was ~2,000
// proxied requests a second, and node B's one core spent itself on fetch (bench:cluster, segment p99 1.2 s against
// 12 ms on one node). With it a node asks the owner once per playlist version and once per segment, however many of
// its viewers want them — the way an edge server of a CDN (or ZLMediaKit's cluster "edge" mode) serves a stream it
// pulled once from the origin.
//
// Concurrent asks for the same thing share one request (the promise is cached, not only the answer); failures and
// 404s are not kept, so the next ask tries again. Framework-free.
import type { ServedFile } from '../media/live-window';

export interface ProxyCacheOptions {
  /** A playlist answer is reused this long: a fraction of a segment, so viewers see a new segment at most this late. */
  playlistTtlMs?: number;
  /** Segments never change once named; kept while a live window could still list them (a few target durations). */
  segmentTtlMs?: number;
  /** Upper bound on segments kept (oldest go first), whatever the TTL: memory stays bounded with many streams. */
  maxSegments?: number;
}

interface Entry<T> {
  value: Promise<T>;
  at: number;
}

export class ProxyCache {
  private readonly playlists = new Map<string, Entry<string>>();
  private readonly segments = new Map<string, Entry<ServedFile | undefined>>();
  private readonly playlistTtlMs: number;
  private readonly segmentTtlMs: number;
  private readonly maxSegments: number;

  constructor(o: ProxyCacheOptions = {}) {
    this.playlistTtlMs = o.playlistTtlMs ?? 250;
    this.segmentTtlMs = o.segmentTtlMs ?? 10_000;
    this.maxSegments = o.maxSegments ?? 4_000;
  }

  /** `key` names the owner, the relay and any blocking-reload position (_HLS_msn/_HLS_part) of the request. */
  playlist(key: string, load: () => Promise<string>): Promise<string> {
    return this.through(this.playlists, key, this.playlistTtlMs, load, () => true, 1_000);
  }

  /** `key` names the owner, the relay and the segment: a relay restarted elsewhere reuses names, not keys. */
  segment(key: string, load: () => Promise<ServedFile | undefined>): Promise<ServedFile | undefined> {
    return this.through(this.segments, key, this.segmentTtlMs, load, (v) => v !== undefined, this.maxSegments);
  }

  private through<T>(map: Map<string, Entry<T>>, key: string, ttlMs: number, load: () => Promise<T>, keep: (v: T) => boolean, max: number): Promise<T> {
    const now = Date.now();
    const hit = map.get(key);
    if (hit && now - hit.at < ttlMs) return hit.value;
    const value = load();
    const entry = { value, at: now };
    map.delete(key);
    map.set(key, entry);
    value.then((v) => { if (!keep(v) && map.get(key) === entry) map.delete(key); }, () => { if (map.get(key) === entry) map.delete(key); });
    // Map order is insertion order: the first entries are the oldest. Expired ones go too, so a quiet stream's
    // segments do not wait for the bound.
    for (const [k, e] of map) {
      if (map.size <= max && now - e.at < ttlMs) break;
      map.delete(k);
    }
    return value;
  }
}
