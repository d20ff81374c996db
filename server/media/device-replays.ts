// Device playback (设备回放): a camera's own recording (NVR/SD card) replayed through a relay of its own and served
// as HLS. One replay session per camera, start moment and speed; each runs on a relay id from DEVICE_RELAY_BASE up
// (camera-relays.ts), so it never collides with the camera's live relays, and stops like live when nobody polls.
//
// The relay's playlist is a live one (no dates); this adds EXT-X-PROGRAM-DATE-TIME to every segment, counted from
// the requested start by the segments' media durations (what the camera sent; Scale only sends it faster), and
// prefixes segment URIs with the session, so one playlist route serves them all.
import type { ServedFile } from './live-window';
import { DEVICE_RELAY_BASE } from './camera-relays';
import type { RelayManager } from './relay-manager';
import type { RelayId, StreamSource } from './types';

export interface DeviceReplay {
  /** Opaque id of the session in URLs (`<cameraId>/device/<session>/<segment>`). */
  session: string;
  relayId: RelayId;
  cameraId: number;
  fromMs: number;
  scale: number;
  source: StreamSource;
  /** Media sequence → start (epoch ms) and duration (s), as first seen. */
  dates: Map<number, { startMs: number; duration: number }>;
  lastUsed: number;
}

/** Sessions not polled for this long are forgotten (their relay stopped long before, after the idle timeout). */
const FORGET_MS = 10 * 60_000;

export class DeviceReplays {
  private next = 0;
  private readonly byKey = new Map<string, DeviceReplay>();
  private readonly byRelay = new Map<RelayId, DeviceReplay>();

  constructor(private readonly manager: Pick<RelayManager, 'playlist' | 'segment'>, private readonly now: () => number = Date.now) {}

  /** The session for this camera, start and speed (the same one for every viewer asking the same). */
  open(cameraId: number, fromMs: number, scale: number, source: StreamSource): DeviceReplay {
    this.sweep();
    const key = `${cameraId}:${fromMs}:${scale}`;
    const known = this.byKey.get(key);
    if (known) {
      known.source = source; // credentials or address edited since: the next start uses the new ones
      known.lastUsed = this.now();
      return known;
    }
    const n = this.next++;
    const r: DeviceReplay = {
      session: n.toString(36), relayId: DEVICE_RELAY_BASE + n, cameraId, fromMs, scale, source, dates: new Map(), lastUsed: this.now(),
    };
    this.byKey.set(key, r);
    this.byRelay.set(r.relayId, r);
    return r;
  }

  /** RelayManager's resolveSource for a device relay id; undefined for one no session holds. */
  sourceOf(relayId: RelayId): StreamSource | undefined {
    return this.byRelay.get(relayId)?.source;
  }

  /** The session by its URL id, only for the camera it replays. */
  find(cameraId: number, session: string): DeviceReplay | undefined {
    const n = parseInt(session, 36);
    if (!/^[0-9a-z]{1,10}$/.test(session) || !Number.isSafeInteger(n)) return undefined;
    const r = this.byRelay.get(DEVICE_RELAY_BASE + n);
    return r && r.cameraId === cameraId ? r : undefined;
  }

  /** The dated playlist (starts the relay on the first call, like live). */
  async playlist(r: DeviceReplay, viewerKey: string): Promise<string> {
    r.lastUsed = this.now();
    const text = await this.manager.playlist(r.relayId, viewerKey);
    return datePlaylist(text, r);
  }

  segment(r: DeviceReplay, name: string): ServedFile | undefined {
    r.lastUsed = this.now();
    return this.manager.segment(r.relayId, name);
  }

  private sweep(): void {
    const cutoff = this.now() - FORGET_MS;
    for (const [key, r] of this.byKey) {
      if (r.lastUsed >= cutoff) continue;
      this.byKey.delete(key);
      this.byRelay.delete(r.relayId);
    }
  }
}

/**
 * Dates every segment and prefixes its URI with the session. The first segment ever seen starts at fromMs; each next
 * one where the previous ended (media time). A segment seen without its predecessor (a viewer away longer than the
 * window) follows the last dated one, by the target duration per missing segment: approximate, and it says so only
 * by being off by at most a segment per missed segment.
 */
export function datePlaylist(text: string, r: Pick<DeviceReplay, 'session' | 'fromMs' | 'dates'>): string {
  const lines = text.split('\n');
  let seq = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1] ?? 0);
  const target = Number(/#EXT-X-TARGETDURATION:(\d+)/.exec(text)?.[1] ?? 2);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    line = line.replace(/URI="([^"]+)"/g, (_, u: string) => `URI="${r.session}/${u}"`);
    const inf = /^#EXTINF:([\d.]+),/.exec(line);
    if (inf) {
      out.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(dateOf(r.dates, seq, Number(inf[1]), r.fromMs, target)).toISOString()}`);
      out.push(line);
      const uri = lines[i + 1];
      if (uri !== undefined && uri !== '' && !uri.startsWith('#')) {
        out.push(`${r.session}/${uri}`);
        i++;
      }
      seq++;
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

function dateOf(dates: DeviceReplay['dates'], seq: number, duration: number, fromMs: number, target: number): number {
  const known = dates.get(seq);
  if (known) return known.startMs;
  let startMs = fromMs;
  const prev = dates.get(seq - 1);
  if (prev) startMs = prev.startMs + prev.duration * 1000;
  else if (dates.size > 0) {
    const last = Math.max(...dates.keys());
    const l = dates.get(last)!;
    startMs = l.startMs + l.duration * 1000 + Math.max(0, seq - last - 1) * target * 1000;
  }
  dates.set(seq, { startMs, duration });
  return startMs;
}
