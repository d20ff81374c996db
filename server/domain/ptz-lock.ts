// Who steers a PTZ camera (云台控制权). Pure: the PTZ service keeps the holders and the clock, the web shows the badge
// and offers the take-over button from the same rules.
//
// - One controller per camera. Whoever calls first while it is free holds it; every command refreshes it.
// - A holder idle for LOCK_IDLE_MS (60 s) has lost it: the next caller gets it as if it were free.
// - A higher level (county > township > village; compounds count as villages) may take over explicitly; the
//   previous holder learns who took it. Equal or lower levels are refused and told who steers.
// - A camera moving whose controller sent nothing for MOVE_SILENCE_MS (1 s) is stopped by the server: the web sends
//   keep-alives while a key or button is held, so silence means a lost stop, a closed tab or a dead network.
import type { OrgLevel } from '../contracts/api';

export const LOCK_IDLE_MS = 60_000;
export const MOVE_SILENCE_MS = 1_000;
/** How often the web repeats a held move (well inside MOVE_SILENCE_MS, so one late packet does not stop it). */
export const MOVE_KEEPALIVE_MS = 300;
/** Velocities are ONVIF's generic spaces: -1…1 for pan, tilt and zoom. */
export const VELOCITY_MAX = 1;
export const PRESET_NAME_MAX = 32;
/** A preset tour (巡航): up to 32 presets, each held 3 s – 1 h (a real head needs a few seconds to travel). */
export const TOUR_STEPS_MAX = 32;
export const TOUR_DWELL_MIN_SEC = 3;
export const TOUR_DWELL_MAX_SEC = 3600;

export type PtzLevel = 'county' | 'township' | 'village';

export interface PtzController {
  userId: number;
  /** Display name, for "being steered by …". */
  name: string;
  level: PtzLevel;
}

export interface PtzHolder extends PtzController {
  /** ms since epoch: when this control session began, and the last command in it. */
  since: number;
  lastActive: number;
}

export type LockDecision =
  | { kind: 'granted'; holder: PtzHolder; previous?: { holder: PtzHolder; reason: 'idle' | 'taken-over' } }
  | { kind: 'refused'; holder: PtzHolder; reason: 'held' | 'not-higher' };

export function ptzLevel(level: OrgLevel): PtzLevel {
  return level === 'county' ? 'county' : level === 'township' ? 'township' : 'village';
}

const RANK: Record<PtzLevel, number> = { county: 0, township: 1, village: 2 };

/** Whether `a` is strictly above `b` (county above township above village). */
export function outranks(a: PtzLevel, b: PtzLevel): boolean {
  return RANK[a] < RANK[b];
}

export function lockExpired(holder: PtzHolder, now: number): boolean {
  return now - holder.lastActive >= LOCK_IDLE_MS;
}

/**
 * The lock after `caller` asks for it at `now`. Commands ask without `takeOver` (they get a free or expired lock,
 * or keep their own); the take-over button asks with it.
 */
export function decideLock(current: PtzHolder | undefined, caller: PtzController, now: number, takeOver = false): LockDecision {
  const fresh: PtzHolder = { ...caller, since: now, lastActive: now };
  if (!current) return { kind: 'granted', holder: fresh };
  if (current.userId === caller.userId) return { kind: 'granted', holder: { ...current, ...caller, lastActive: now } };
  if (lockExpired(current, now)) return { kind: 'granted', holder: fresh, previous: { holder: current, reason: 'idle' } };
  if (!takeOver) return { kind: 'refused', holder: current, reason: 'held' };
  if (!outranks(caller.level, current.level)) return { kind: 'refused', holder: current, reason: 'not-higher' };
  return { kind: 'granted', holder: fresh, previous: { holder: current, reason: 'taken-over' } };
}

/** Whether the caller may press the take-over button against this holder (the web's rule for showing it). */
export function canTakeOver(holder: PtzHolder | undefined, caller: PtzController, now: number): boolean {
  return !!holder && holder.userId !== caller.userId && !lockExpired(holder, now) && outranks(caller.level, holder.level);
}

/** A camera still moving whose last move command is older than MOVE_SILENCE_MS must be stopped. */
export function silentTooLong(lastMoveAt: number, now: number): boolean {
  return now - lastMoveAt > MOVE_SILENCE_MS;
}

/** A move that asks for no motion at all is a stop. */
export function isStill(v: { pan: number; tilt: number; zoom: number }): boolean {
  return v.pan === 0 && v.tilt === 0 && v.zoom === 0;
}
