// Live rewind (回看) of a wall tile, pure parts: the playback playlist address, mapping wall-clock time to the
// player's timeline through the playlist's EXT-X-PROGRAM-DATE-TIME (gaps between recorded spans collapse in the
// player, so only the fragments' dates are reliable), and the positions of the rewind bar.

/** The rewind ring the server keeps per running relay (config recording.ringSec, default 5 min). */
export const REWIND_WINDOW_MS = 5 * 60_000;
/** Where a rewind starts when the control opens. */
export const REWIND_START_MS = 30_000;
export const JUMPS_S = [-30, -10, 10, 30] as const;
export const SPEEDS = [0.5, 1, 2, 4, 8] as const;

/** A day's playback plays this much per playlist (a whole day would be ~40,000 lines); the next loads at its end. */
export const DAY_WINDOW_MS = 30 * 60_000;
/** Days the picker offers (the server answers up to 62). */
export const PICKER_DAYS = 31;
/** Frame step when paused (most cameras send 25 frames/s). */
export const FRAME_S = 1 / 25;

/** What a tile shows of the past: the live rewind window (day null) or one local day's recording. */
export interface PastView {
  /** The bar's range, wall-clock ms. */
  fromMs: number;
  toMs: number;
  /** Where the player starts. */
  startMs: number;
  day: string | null;
}

/** The rewind window of the last minutes, starting REWIND_START_MS back. */
export const rewindView = (nowMs: number): PastView => ({ fromMs: nowMs - REWIND_WINDOW_MS, toMs: nowMs, startMs: nowMs - REWIND_START_MS, day: null });

/** One local day (up to now if it is today), starting at its midnight; `offsetMin` east of UTC. */
export function dayView(day: string, offsetMin: number, nowMs: number): PastView {
  const fromMs = Date.parse(`${day}T00:00:00Z`) - offsetMin * 60_000;
  return { fromMs, toMs: Math.min(fromMs + 86_400_000, nowMs), startMs: fromMs, day };
}

/** The view showing `wallMs`: the rewind window while the moment is in it, else its day. */
export function pastViewAt(wallMs: number, nowMs: number, offsetMin: number): PastView {
  if (nowMs - wallMs < REWIND_WINDOW_MS - 15_000) return { ...rewindView(nowMs), startMs: wallMs };
  return { ...dayView(localDay(wallMs, offsetMin), offsetMin, nowMs), startMs: wallMs };
}

/** The range the player's playlist covers: the whole rewind window, or a day's next half hour from the start. */
export const playerWindow = (v: PastView): { fromMs: number; toMs: number } =>
  v.day === null ? { fromMs: Math.min(v.fromMs, v.startMs), toMs: v.toMs } : { fromMs: v.startMs, toMs: Math.min(v.startMs + DAY_WINDOW_MS, v.toMs) };

/** Local YYYY-MM-DD of an instant, `offsetMin` east of UTC. */
export const localDay = (ms: number, offsetMin: number): string => new Date(ms + offsetMin * 60_000).toISOString().slice(0, 10);

/** The first recorded moment at or after `atMs`, or null when nothing follows. */
export function nextRecorded(spans: { start: string; end: string }[], atMs: number): number | null {
  for (const s of spans) {
    const a = Date.parse(s.start);
    const b = Date.parse(s.end);
    if (atMs < b) return Math.max(a, atMs);
  }
  return null;
}

/** "14:03:27", the moment shown of a day's playback, local time. */
export const clockTime = (ms: number, offsetMin: number): string => new Date(ms + offsetMin * 60_000).toISOString().slice(11, 19);

export const daysUrl = (cameraId: number, fromDay: string, toDay: string, offsetMin: number): string =>
  `/api/recordings/${cameraId}/days?from=${fromDay}&to=${toDay}&tzOffset=${offsetMin}`;

export const playbackUrl = (cameraId: number, fromMs: number, toMs: number, stream?: 'main' | 'sub'): string =>
  `/playback/${cameraId}/index.m3u8?from=${encodeURIComponent(new Date(fromMs).toISOString())}&to=${encodeURIComponent(new Date(toMs).toISOString())}${stream ? `&stream=${stream}` : ''}`;

/** Where a tile's past comes from: the server's recording and rewind ring (服务器录像), or the camera's own recording
 * on its NVR/SD card (设备录像, ONVIF Profile G replay or the network's playback URL). */
export type PastSource = 'server' | 'device';

/** Device replay from `fromMs` (a live-style playlist dated from there; a seek outside what is loaded reopens it). */
export const devicePlaybackUrl = (cameraId: number, fromMs: number, toMs: number, scale = 1): string =>
  `/playback/${cameraId}/device/index.m3u8?from=${encodeURIComponent(new Date(fromMs).toISOString())}&to=${encodeURIComponent(new Date(Math.max(toMs, fromMs + 1000)).toISOString())}${scale !== 1 ? `&scale=${scale}` : ''}`;

/** What the camera's own recording holds in a range (≤ 48 h). */
export const deviceTimelineUrl = (cameraId: number, fromMs: number, toMs: number): string =>
  `/api/recordings/${cameraId}/device?from=${encodeURIComponent(new Date(fromMs).toISOString())}&to=${encodeURIComponent(new Date(toMs).toISOString())}`;

/** A clip around a moment (remuxed MP4 download, ≤ 30 min on the server). */
export const CLIP_AROUND_MS = 30_000;
export const clipUrl = (cameraId: number, fromMs: number, toMs: number): string =>
  `/api/recordings/${cameraId}/clip.mp4?from=${encodeURIComponent(new Date(fromMs).toISOString())}&to=${encodeURIComponent(new Date(toMs).toISOString())}`;

export const timelineUrl = (cameraId: number, fromMs: number, toMs: number): string =>
  `/api/recordings/${cameraId}/timeline?from=${encodeURIComponent(new Date(fromMs).toISOString())}&to=${encodeURIComponent(new Date(toMs).toISOString())}`;

/** What the player needs of a loaded fragment (hls.js Fragment has these). */
export interface DatedFragment {
  start: number;
  duration: number;
  programDateTime: number | null;
}

/** The player time showing wall-clock `atMs`, or null when the loaded playlist does not hold it (before its first
 * fragment or after its last: the caller loads another playlist). A moment in a gap between two fragments plays
 * from the next one. */
export function playerTimeAt(fragments: DatedFragment[], atMs: number): number | null {
  let inside = false;
  for (const f of fragments) {
    if (f.programDateTime === null) continue;
    const end = f.programDateTime + f.duration * 1000;
    if (atMs < f.programDateTime) return inside ? f.start : null;
    if (atMs < end) return f.start + (atMs - f.programDateTime) / 1000;
    inside = true;
  }
  return null;
}

/** Wall-clock time shown at player time `t`, or null outside the fragments. */
export function wallTimeAt(fragments: DatedFragment[], t: number): number | null {
  for (const f of fragments) {
    if (f.programDateTime === null) continue;
    if (t >= f.start && t < f.start + f.duration + 1e-3) return f.programDateTime + (t - f.start) * 1000;
  }
  return null;
}

export interface BarSpan {
  left: number;
  width: number;
}

/** Spans as fractions (0..1) of a bar covering [fromMs, toMs]. */
export function barSpans(spans: { start: string; end: string }[], fromMs: number, toMs: number): BarSpan[] {
  const total = toMs - fromMs;
  if (total <= 0) return [];
  return spans
    .map((s) => ({ a: Math.max(fromMs, Date.parse(s.start)), b: Math.min(toMs, Date.parse(s.end)) }))
    .filter((s) => s.b > s.a)
    .map((s) => ({ left: (s.a - fromMs) / total, width: (s.b - s.a) / total }));
}

/** The wall time at a fraction of the bar, kept out of the last 2 s (that is live). */
export const timeAtFraction = (fraction: number, fromMs: number, toMs: number): number =>
  fromMs + Math.min(1, Math.max(0, fraction)) * (toMs - fromMs);

/** "-1:25" behind live, for the bar's label. */
export function behindLive(atMs: number, nowMs: number): string {
  const s = Math.max(0, Math.round((nowMs - atMs) / 1000));
  return `-${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
