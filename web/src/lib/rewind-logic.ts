// Live rewind (回看) of a wall tile, pure parts: the playback playlist address, mapping wall-clock time to the
// player's timeline through the playlist's EXT-X-PROGRAM-DATE-TIME (gaps between recorded spans collapse in the
// player, so only the fragments' dates are reliable), and the positions of the rewind bar.

/** The rewind ring the server keeps per running relay (config recording.ringSec, default 5 min). */
export const REWIND_WINDOW_MS = 5 * 60_000;
/** Where a rewind starts when the control opens. */
export const REWIND_START_MS = 30_000;
export const JUMPS_S = [-30, -10, 10, 30] as const;
export const SPEEDS = [0.5, 1, 2, 4, 8] as const;

export const playbackUrl = (cameraId: number, fromMs: number, toMs: number, stream?: 'main' | 'sub'): string =>
  `/playback/${cameraId}/index.m3u8?from=${encodeURIComponent(new Date(fromMs).toISOString())}&to=${encodeURIComponent(new Date(toMs).toISOString())}${stream ? `&stream=${stream}` : ''}`;

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

/** The player time showing wall-clock `atMs`, or null when the loaded playlist does not hold it. A moment in a gap
 * plays from the next fragment after it. */
export function playerTimeAt(fragments: DatedFragment[], atMs: number): number | null {
  for (const f of fragments) {
    if (f.programDateTime === null) continue;
    const end = f.programDateTime + f.duration * 1000;
    if (atMs < f.programDateTime) return f.start; // in a gap before this fragment
    if (atMs < end) return f.start + (atMs - f.programDateTime) / 1000;
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
