// Synchronised playback of every tile of a layout (多画面同步回放), pure parts: one wall clock all tiles follow.
// The clock is an anchor (wall time shown at a moment of the page's own clock) plus rate and pause; each tile
// reads the moment it should show and seeks when it drifted more than the tolerance (buffering, a slower camera).

export interface SyncClock {
  /** Bumped at each start: tiles enter playback once per session. */
  session: number;
  /** Wall-clock time shown at `baseNowMs`. */
  baseWallMs: number;
  baseNowMs: number;
  rate: number;
  paused: boolean;
}

/** A tile this far from the clock seeks to it; nearer it plays on (a seek costs a buffer refill). */
export const SYNC_TOLERANCE_MS = 1_000;
/** Between two corrections of one tile, so a tile that is still buffering is not sent seeking again. */
export const SYNC_SETTLE_MS = 2_500;

export const clockAt = (c: SyncClock, nowMs: number): number => (c.paused ? c.baseWallMs : c.baseWallMs + (nowMs - c.baseNowMs) * c.rate);

export const startClock = (session: number, wallMs: number, nowMs: number): SyncClock => ({ session, baseWallMs: wallMs, baseNowMs: nowMs, rate: 1, paused: false });

export const seekClock = (c: SyncClock, wallMs: number, nowMs: number): SyncClock => ({ ...c, baseWallMs: wallMs, baseNowMs: nowMs });

export const pauseClock = (c: SyncClock, paused: boolean, nowMs: number): SyncClock => ({ ...c, baseWallMs: clockAt(c, nowMs), baseNowMs: nowMs, paused });

export const rateClock = (c: SyncClock, rate: number, nowMs: number): SyncClock => ({ ...c, baseWallMs: clockAt(c, nowMs), baseNowMs: nowMs, rate });

/** Whether a tile showing `shownMs` should seek to the clock's `targetMs`. */
export const drifted = (shownMs: number, targetMs: number): boolean => Math.abs(shownMs - targetMs) > SYNC_TOLERANCE_MS;
