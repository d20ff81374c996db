// Which local days hold video, for the playback day picker: recorded intervals (wall-clock ms) cut at local
// midnights. The caller's UTC offset comes from the browser (the county and its operators share one zone, but a
// server set to UTC must not move 00:00–08:00 Beijing time to the day before).

export interface DayCoverage {
  /** Local calendar day, YYYY-MM-DD. */
  day: string;
  /** Seconds of video in it (overlaps counted once). */
  seconds: number;
}

const DAY_MS = 86_400_000;

/** Local midnight (as UTC ms) of a YYYY-MM-DD day in a zone `offsetMin` minutes east of UTC. */
export function localMidnight(day: string, offsetMin: number): number {
  return Date.parse(`${day}T00:00:00Z`) - offsetMin * 60_000;
}

const dayOf = (ms: number, offsetMin: number): string => new Date(ms + offsetMin * 60_000).toISOString().slice(0, 10);

/** Days from `fromDay` to `toDay` (inclusive) with any video, in order, each with its covered seconds. */
export function recordedDays(intervals: ReadonlyArray<{ startMs: number; endMs: number }>, fromDay: string, toDay: string, offsetMin: number): DayCoverage[] {
  const from = localMidnight(fromDay, offsetMin);
  const to = localMidnight(toDay, offsetMin) + DAY_MS;
  const sorted = intervals
    .map((i) => ({ a: Math.max(i.startMs, from), b: Math.min(i.endMs, to) }))
    .filter((i) => i.b > i.a)
    .sort((x, y) => x.a - y.a);
  const covered = new Map<string, number>();
  let reached = -Infinity; // end of what is already counted: overlapping files (ring and record) count once
  for (const { a, b } of sorted) {
    let start = Math.max(a, reached);
    while (start < b) {
      const nextMidnight = localMidnight(dayOf(start, offsetMin), offsetMin) + DAY_MS;
      const end = Math.min(b, nextMidnight);
      const day = dayOf(start, offsetMin);
      covered.set(day, (covered.get(day) ?? 0) + (end - start));
      start = end;
    }
    reached = Math.max(reached, b);
  }
  return [...covered].map(([day, ms]) => ({ day, seconds: Math.round(ms / 1000) }));
}
