// What every bench prints: exactly one JSON object on stdout, `{ bench, goals, ...figures }`, where `goals` lists
// each goal the bench is held to as `{ goal, value, met }`. Readers (and the lead comparing runs) look at `goals`
// first; the rest is the evidence. Progress and errors go to stderr, so stdout stays one parseable document.

export type GoalValue = number | boolean | string | null;

export interface Goal {
  /** What is promised, e.g. "<= 0.8" or "= 0 at 1000 writes". */
  goal: string;
  /** What this run measured; null when it measured nothing (skipped, or no samples). */
  value: GoalValue;
  /** null when not judged: nothing measured, or a run smaller than the size the goal is stated for. */
  met: boolean | null;
}

export type Goals = Record<string, Goal>;

const measured = (value: GoalValue | undefined): value is Exclude<GoalValue, null> =>
  value !== undefined && value !== null && !(typeof value === 'number' && !Number.isFinite(value));

export function atMost(value: number | null | undefined, limit: number): Goal {
  return measured(value) ? { goal: `<= ${limit}`, value, met: value <= limit } : { goal: `<= ${limit}`, value: null, met: null };
}

export function atLeast(value: number | null | undefined, limit: number): Goal {
  return measured(value) ? { goal: `>= ${limit}`, value, met: value >= limit } : { goal: `>= ${limit}`, value: null, met: null };
}

export function equals(value: GoalValue | undefined, expected: Exclude<GoalValue, null>): Goal {
  return measured(value) ? { goal: `= ${expected}`, value, met: value === expected } : { goal: `= ${expected}`, value: null, met: null };
}

/**
 * Goals stated for a size ("100 streams"): each goal says so, and a run that did not reach that size (a quick
 * run with small options) keeps its values but leaves them unjudged, since a goal met at 1 stream says nothing
 * about 100.
 */
export function statedAt(goals: Goals, size: string, reached: boolean): Goals {
  return Object.fromEntries(Object.entries(goals).map(([name, g]) =>
    [name, { goal: `${g.goal} at ${size}`, value: g.value, met: reached ? g.met : null }]));
}

let printed = false;

/** Prints the bench's one JSON object; a second call is a bug in the bench, so it throws instead of printing. */
export function printReport(bench: string, goals: Goals, figures: Record<string, unknown>): void {
  if (printed) throw new Error(`bench ${bench}: the report was already printed`);
  printed = true;
  process.stdout.write(`${JSON.stringify({ bench, goals, ...figures }, null, 2)}\n`);
}
