// Wall layout state as a pure reducer: which camera sits in which tile, and how tiles are laid out.
// Slots are fixed at 16; a layout shows the first N. Cameras beyond N stay stored (hidden, not playing)
// so going 16 → 1 → 16 brings the wall back.

export type LayoutId = '1' | '4' | '9' | '16' | '1+5';
export const LAYOUTS: readonly LayoutId[] = ['1', '4', '9', '16', '1+5'];
export const MAX_SLOTS = 16;

export interface TileCamera {
  id: number;
  name: string;
  network: string;
  orgUnitId: number;
}

export interface WallState {
  layout: LayoutId;
  slots: Array<TileCamera | null>;
  /** The tile that receives the next double-clicked camera when none is empty. */
  selected: number;
  /** A tile blown up to the whole wall (double-click), the others keep playing underneath; null = grid. */
  focused: number | null;
}

export type WallAction =
  | { type: 'place'; camera: TileCamera; slot?: number }
  | { type: 'remove'; slot: number }
  | { type: 'swap'; from: number; to: number }
  | { type: 'select'; slot: number }
  | { type: 'layout'; layout: LayoutId }
  | { type: 'focus'; slot: number | null }
  | { type: 'clear' }
  /** Replace the whole wall (tour page, accepted push, saved layout); missing tiles are empty. */
  | { type: 'load'; slots: ReadonlyArray<TileCamera | null>; layout?: LayoutId };

export interface Cell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
}

export interface Geometry {
  cols: number;
  rows: number;
  cells: Cell[];
}

const square = (n: number): Geometry => {
  const cells: Cell[] = [];
  for (let i = 0; i < n * n; i++) cells.push({ row: Math.floor(i / n) + 1, col: (i % n) + 1, rowSpan: 1, colSpan: 1 });
  return { cols: n, rows: n, cells };
};

/** CSS-grid placement (1-based) of each tile. 1+5: a 2×2 main view top-left, five small views around it on a 3×3 grid. */
export function layoutGeometry(layout: LayoutId): Geometry {
  switch (layout) {
    case '1':
      return square(1);
    case '4':
      return square(2);
    case '9':
      return square(3);
    case '16':
      return square(4);
    case '1+5':
      return {
        cols: 3,
        rows: 3,
        cells: [
          { row: 1, col: 1, rowSpan: 2, colSpan: 2 },
          { row: 1, col: 3, rowSpan: 1, colSpan: 1 },
          { row: 2, col: 3, rowSpan: 1, colSpan: 1 },
          { row: 3, col: 1, rowSpan: 1, colSpan: 1 },
          { row: 3, col: 2, rowSpan: 1, colSpan: 1 },
          { row: 3, col: 3, rowSpan: 1, colSpan: 1 },
        ],
      };
  }
}

export const capacity = (layout: LayoutId): number => layoutGeometry(layout).cells.length;

export function initialWall(layout: LayoutId = '4'): WallState {
  return { layout, slots: Array<TileCamera | null>(MAX_SLOTS).fill(null), selected: 0, focused: null };
}

export function visibleSlots(state: WallState): Array<TileCamera | null> {
  return state.slots.slice(0, capacity(state.layout));
}

const inRange = (slot: number, limit: number) => Number.isInteger(slot) && slot >= 0 && slot < limit;

export function wallReducer(state: WallState, action: WallAction): WallState {
  const cap = capacity(state.layout);
  switch (action.type) {
    case 'place': {
      const { camera } = action;
      const current = state.slots.findIndex((c) => c?.id === camera.id);
      if (action.slot === undefined) {
        if (current >= 0 && current < cap) return { ...state, selected: current };
        const slots = [...state.slots];
        if (current >= 0) slots[current] = null; // was hidden beyond the layout: bring it forward
        const empty = slots.slice(0, cap).findIndex((c) => c === null);
        const target = empty >= 0 ? empty : state.selected;
        slots[target] = camera;
        // Step the selection on so repeated double-clicks fill the wall tile by tile once it is full.
        return { ...state, slots, selected: empty >= 0 ? target : (target + 1) % cap };
      }
      if (!inRange(action.slot, cap)) return state;
      const slots = [...state.slots];
      if (current >= 0 && current !== action.slot) slots[current] = slots[action.slot]; // moving: swap places
      slots[action.slot] = camera;
      return { ...state, slots, selected: action.slot };
    }
    case 'remove': {
      if (!inRange(action.slot, MAX_SLOTS) || state.slots[action.slot] === null) return state;
      const slots = [...state.slots];
      slots[action.slot] = null;
      const focused = state.focused === action.slot ? null : state.focused;
      return { ...state, slots, focused, selected: action.slot < cap ? action.slot : state.selected };
    }
    case 'swap': {
      const { from, to } = action;
      if (!inRange(from, cap) || !inRange(to, cap) || from === to) return state;
      const slots = [...state.slots];
      [slots[from], slots[to]] = [slots[to], slots[from]];
      return { ...state, slots, selected: to, focused: null };
    }
    case 'select':
      return inRange(action.slot, cap) ? { ...state, selected: action.slot } : state;
    case 'layout': {
      if (action.layout === state.layout) return state;
      const placed = state.slots.filter((c): c is TileCamera => c !== null);
      const slots = [...placed, ...Array<TileCamera | null>(MAX_SLOTS - placed.length).fill(null)];
      return { layout: action.layout, slots, selected: Math.min(state.selected, capacity(action.layout) - 1), focused: null };
    }
    case 'focus': {
      if (action.slot === null) return state.focused === null ? state : { ...state, focused: null };
      if (!inRange(action.slot, cap) || state.slots[action.slot] === null) return state;
      const focused = state.focused === action.slot ? null : action.slot; // double-click again to go back
      return { ...state, focused, selected: action.slot };
    }
    case 'clear':
      return initialWall(state.layout);
    case 'load': {
      const layout = action.layout ?? state.layout;
      const slots = initialWall().slots;
      action.slots.slice(0, MAX_SLOTS).forEach((c, i) => (slots[i] = c));
      return { layout, slots, selected: 0, focused: null };
    }
  }
}

/** The smallest square layout that shows `count` cameras (a pushed set of cameras picks its own layout). */
export function layoutForCount(count: number): LayoutId {
  if (count <= 1) return '1';
  if (count <= 4) return '4';
  if (count <= 9) return '9';
  return '16';
}

/** Camera ids in tile order for the visible layout, empty tiles as null (what a saved layout stores). */
export function wallCameraIds(state: WallState): Array<number | null> {
  return visibleSlots(state).map((c) => c?.id ?? null);
}

/** Tolerant restore from localStorage: anything malformed yields a fresh wall. */
export function parseWall(raw: string | null): WallState {
  if (!raw) return initialWall();
  try {
    const data = JSON.parse(raw) as Partial<WallState>;
    if (!data || !LAYOUTS.includes(data.layout as LayoutId) || !Array.isArray(data.slots)) return initialWall();
    const slots = initialWall().slots;
    data.slots.slice(0, MAX_SLOTS).forEach((c, i) => {
      if (c && typeof c.id === 'number' && typeof c.name === 'string' && typeof c.network === 'string') {
        slots[i] = { id: c.id, name: c.name, network: c.network, orgUnitId: Number(c.orgUnitId) || 0 };
      }
    });
    const layout = data.layout as LayoutId;
    const selected = inRange(Number(data.selected), capacity(layout)) ? Number(data.selected) : 0;
    return { layout, slots, selected, focused: null };
  } catch {
    return initialWall();
  }
}

/** Small tiles play the sub-stream (子码流): a 1×1 cell of a 9- or 16-tile wall is ~427 px wide on a 1920 px
 * screen, where 640x360 looks the same as 720p at a quarter of the bytes and decoding. Big and focused tiles,
 * and every tile of smaller layouts, play the main stream. */
export function tileStream(layout: LayoutId, slot: number, focused: number | null): 'main' | 'sub' {
  const geometry = layoutGeometry(layout);
  const cell = geometry.cells[slot];
  if (!cell || focused === slot || geometry.cells.length < 9) return 'main';
  return cell.rowSpan * cell.colSpan === 1 ? 'sub' : 'main';
}
