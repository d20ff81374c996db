// One definition of a percentile for every bench, so that a p50 quoted in one README is the same statistic as in
// another: nearest rank, the value at index ceil(p/100 · n) − 1 of the values sorted ascending (clamped to the
// list). It is always one of the measured values, never an interpolation. (bench:relay used to take index
// floor(p/100 · n), one rank higher whenever p/100 · n is whole: its p50 of 100 first playlists was the 51st.)

/** The p-th percentile (0–100) of `values` by nearest rank; NaN for no values. `values` is not reordered. */
export function percentile(values: ArrayLike<number>, p: number): number {
  return rank(sorted(values), p);
}

export type Summary = { n: number; max: number } & Record<`p${number}`, number>;

/**
 * Count, the given percentiles and the maximum, each rounded to `digits` decimals (none: as measured); null for
 * no values. Sorts once: this is the form for many samples (latencies of thousands of requests).
 */
export function summary(values: ArrayLike<number>, ps: readonly number[] = [50, 95, 99], digits?: number): Summary | null {
  if (values.length === 0) return null;
  const s = sorted(values);
  const round = digits === undefined ? (x: number) => x : (x: number) => +x.toFixed(digits);
  const out: Record<string, number> = { n: s.length };
  for (const p of ps) out[`p${p}`] = round(rank(s, p));
  out.max = round(s[s.length - 1]!);
  return out as Summary;
}

function sorted(values: ArrayLike<number>): Float64Array {
  // A typed array sorts numerically (a plain array's default sort compares strings) and leaves the input alone.
  return Float64Array.from(values).sort();
}

function rank(s: Float64Array, p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be 0–100, got ${p}`);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
