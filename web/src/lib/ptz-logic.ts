// Pure PTZ helpers for the wall overlay: the pad's directions, keys, and dragging on the picture, as velocities.
export interface Velocity { pan: number; tilt: number; zoom: number }
export type Direction = 'up' | 'down' | 'left' | 'right' | 'up-left' | 'up-right' | 'down-left' | 'down-right' | 'zoom-in' | 'zoom-out';

export const STILL: Velocity = { pan: 0, tilt: 0, zoom: 0 };

const UNIT: Record<Direction, Velocity> = {
  up: { pan: 0, tilt: 1, zoom: 0 },
  down: { pan: 0, tilt: -1, zoom: 0 },
  left: { pan: -1, tilt: 0, zoom: 0 },
  right: { pan: 1, tilt: 0, zoom: 0 },
  'up-left': { pan: -1, tilt: 1, zoom: 0 },
  'up-right': { pan: 1, tilt: 1, zoom: 0 },
  'down-left': { pan: -1, tilt: -1, zoom: 0 },
  'down-right': { pan: 1, tilt: -1, zoom: 0 },
  'zoom-in': { pan: 0, tilt: 0, zoom: 1 },
  'zoom-out': { pan: 0, tilt: 0, zoom: -1 },
};

/** The pad's eight directions in screen order (3×3 grid without the centre). */
export const PAD: ReadonlyArray<Direction | null> = ['up-left', 'up', 'up-right', 'left', null, 'right', 'down-left', 'down', 'down-right'];

const round = (v: number) => Math.round(v * 100) / 100;

/** A direction at a speed (0.1–1). */
export function velocityOf(direction: Direction, speed: number): Velocity {
  const u = UNIT[direction];
  const s = Math.min(1, Math.max(0.1, speed));
  return { pan: round(u.pan * s), tilt: round(u.tilt * s), zoom: round(u.zoom * s) };
}

/** The sum of the keys held (two arrows give a diagonal), clamped to -1…1 per axis. */
export function combine(directions: Iterable<Direction>, speed: number): Velocity {
  const v = { ...STILL };
  for (const d of directions) {
    const u = velocityOf(d, speed);
    v.pan += u.pan;
    v.tilt += u.tilt;
    v.zoom += u.zoom;
  }
  const c = (x: number) => round(Math.min(1, Math.max(-1, x)));
  return { pan: c(v.pan), tilt: c(v.tilt), zoom: c(v.zoom) };
}

/** Keys a focused tile steers with: arrows pan/tilt, + and = zoom in, - and _ zoom out. */
export function keyDirection(key: string): Direction | undefined {
  switch (key) {
    case 'ArrowUp': return 'up';
    case 'ArrowDown': return 'down';
    case 'ArrowLeft': return 'left';
    case 'ArrowRight': return 'right';
    case '+': case '=': case 'Add': return 'zoom-in';
    case '-': case '_': case 'Subtract': return 'zoom-out';
    default: return undefined;
  }
}

/**
 * Dragging on the picture: the offset from where the drag began, as a fraction of the picture's size, becomes a
 * velocity (a quarter of the picture is full speed; a small dead zone ignores a shaking hand). Up on screen is tilt +.
 */
export function dragVelocity(dx: number, dy: number, width: number, height: number, speed: number): Velocity {
  const axis = (d: number, size: number) => {
    const f = size > 0 ? d / (size / 4) : 0;
    if (Math.abs(f) < 0.08) return 0;
    return round(Math.max(-1, Math.min(1, f)) * Math.min(1, Math.max(0.1, speed)));
  };
  return { pan: axis(dx, width), tilt: axis(-dy, height), zoom: 0 };
}

export function sameVelocity(a: Velocity, b: Velocity): boolean {
  return a.pan === b.pan && a.tilt === b.tilt && a.zoom === b.zoom;
}

export function isStill(v: Velocity): boolean {
  return v.pan === 0 && v.tilt === 0 && v.zoom === 0;
}
