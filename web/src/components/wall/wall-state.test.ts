import { describe, expect, it } from 'vitest';
import { capacity, initialWall, layoutForCount, layoutGeometry, parseWall, tileStream, visibleSlots, wallCameraIds, wallReducer, type TileCamera, type WallState } from './wall-state';

const cam = (id: number): TileCamera => ({ id, name: `cam ${id}`, network: 'skynet', orgUnitId: 1 });
const ids = (s: WallState) => visibleSlots(s).map((c) => c?.id ?? null);
const fill = (layout: WallState['layout'], n: number) => {
  let s = wallReducer(initialWall('16'), { type: 'layout', layout: '16' });
  for (let i = 1; i <= n; i++) s = wallReducer(s, { type: 'place', camera: cam(i) });
  return wallReducer(s, { type: 'layout', layout });
};

describe('layout geometry', () => {
  it('gives square grids their tile counts', () => {
    expect(capacity('1')).toBe(1);
    expect(capacity('4')).toBe(4);
    expect(capacity('9')).toBe(9);
    expect(capacity('16')).toBe(16);
    const g = layoutGeometry('16');
    expect(g.cells[5]).toEqual({ row: 2, col: 2, rowSpan: 1, colSpan: 1 });
  });

  it('lays out 1+5 as a 2×2 main view and five small tiles covering a 3×3 grid exactly once', () => {
    const g = layoutGeometry('1+5');
    expect(g.cells).toHaveLength(6);
    expect(g.cells[0]).toEqual({ row: 1, col: 1, rowSpan: 2, colSpan: 2 });
    const covered = new Set<string>();
    for (const c of g.cells) {
      for (let r = c.row; r < c.row + c.rowSpan; r++) {
        for (let k = c.col; k < c.col + c.colSpan; k++) {
          expect(covered.has(`${r},${k}`)).toBe(false);
          covered.add(`${r},${k}`);
        }
      }
    }
    expect(covered.size).toBe(g.cols * g.rows);
  });
});

describe('placing cameras', () => {
  it('fills the first empty tile, then replaces the selected one', () => {
    let s = initialWall('4');
    for (let i = 1; i <= 4; i++) s = wallReducer(s, { type: 'place', camera: cam(i) });
    expect(ids(s)).toEqual([1, 2, 3, 4]);
    s = wallReducer(s, { type: 'select', slot: 2 });
    s = wallReducer(s, { type: 'place', camera: cam(9) });
    expect(ids(s)).toEqual([1, 2, 9, 4]);
    expect(s.selected).toBe(3); // steps on for the next double-click
  });

  it('does not duplicate a camera already on the wall: selects its tile instead', () => {
    let s = fill('4', 3);
    s = wallReducer(s, { type: 'place', camera: cam(2) });
    expect(ids(s)).toEqual([1, 2, 3, null]);
    expect(s.selected).toBe(1);
  });

  it('drops onto a given tile, moving (swapping) when the camera is already shown', () => {
    let s = fill('4', 3);
    s = wallReducer(s, { type: 'place', camera: cam(7), slot: 3 });
    expect(ids(s)).toEqual([1, 2, 3, 7]);
    s = wallReducer(s, { type: 'place', camera: cam(1), slot: 2 });
    expect(ids(s)).toEqual([3, 2, 1, 7]);
  });

  it('ignores drops outside the visible layout', () => {
    const s = fill('4', 1);
    expect(wallReducer(s, { type: 'place', camera: cam(5), slot: 4 })).toBe(s);
  });
});

describe('remove and swap', () => {
  it('removes a camera and selects the freed tile', () => {
    let s = fill('4', 4);
    s = wallReducer(s, { type: 'remove', slot: 1 });
    expect(ids(s)).toEqual([1, null, 3, 4]);
    expect(s.selected).toBe(1);
    s = wallReducer(s, { type: 'place', camera: cam(8) });
    expect(ids(s)).toEqual([1, 8, 3, 4]);
  });

  it('swaps two tiles, including with an empty one', () => {
    let s = fill('4', 3);
    s = wallReducer(s, { type: 'swap', from: 0, to: 2 });
    expect(ids(s)).toEqual([3, 2, 1, null]);
    s = wallReducer(s, { type: 'swap', from: 1, to: 3 });
    expect(ids(s)).toEqual([3, null, 1, 2]);
  });
});

describe('changing layout', () => {
  it('keeps cameras in order, closing gaps', () => {
    let s = fill('9', 5);
    s = wallReducer(s, { type: 'remove', slot: 1 });
    s = wallReducer(s, { type: 'layout', layout: '4' });
    expect(ids(s)).toEqual([1, 3, 4, 5]);
  });

  it('hides cameras beyond the new capacity and brings them back on a larger layout', () => {
    let s = fill('9', 9);
    s = wallReducer(s, { type: 'layout', layout: '1' });
    expect(ids(s)).toEqual([1]);
    s = wallReducer(s, { type: 'layout', layout: '1+5' });
    expect(ids(s)).toEqual([1, 2, 3, 4, 5, 6]);
    s = wallReducer(s, { type: 'layout', layout: '16' });
    expect(ids(s).slice(0, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, null]);
  });

  it('clamps the selection into the new layout', () => {
    let s = fill('16', 16);
    s = wallReducer(s, { type: 'select', slot: 12 });
    s = wallReducer(s, { type: 'layout', layout: '4' });
    expect(s.selected).toBe(3);
  });

  it('brings a hidden camera forward instead of duplicating it', () => {
    let s = fill('1', 3); // 2 and 3 hidden
    s = wallReducer(s, { type: 'layout', layout: '4' });
    s = wallReducer(s, { type: 'remove', slot: 1 });
    s = wallReducer(s, { type: 'layout', layout: '1' });
    s = wallReducer(s, { type: 'place', camera: cam(3) });
    expect(ids(s)).toEqual([3]);
    expect(s.slots.filter((c) => c?.id === 3)).toHaveLength(1);
  });
});

describe('focus (one tile blown up to the whole wall)', () => {
  it('toggles on a filled tile only and clears on layout change, swap or removal', () => {
    let s = fill('4', 2);
    expect(wallReducer(s, { type: 'focus', slot: 3 })).toBe(s); // empty tile
    s = wallReducer(s, { type: 'focus', slot: 1 });
    expect(s.focused).toBe(1);
    expect(s.selected).toBe(1);
    expect(wallReducer(s, { type: 'focus', slot: 1 }).focused).toBeNull();
    expect(wallReducer(s, { type: 'focus', slot: null }).focused).toBeNull();
    expect(wallReducer(s, { type: 'layout', layout: '9' }).focused).toBeNull();
    expect(wallReducer(s, { type: 'remove', slot: 1 }).focused).toBeNull();
    expect(wallReducer(s, { type: 'remove', slot: 0 }).focused).toBe(1);
    expect(wallReducer(s, { type: 'swap', from: 0, to: 1 }).focused).toBeNull();
  });
});

describe('persistence', () => {
  it('round-trips through JSON and rejects garbage', () => {
    const s = fill('1+5', 4);
    expect(parseWall(JSON.stringify(s))).toEqual(s);
    expect(parseWall(JSON.stringify({ ...s, focused: 2 })).focused).toBeNull(); // a reload shows the grid
    expect(parseWall('{"layout":"7"}')).toEqual(initialWall());
    expect(parseWall('not json')).toEqual(initialWall());
    expect(parseWall(null)).toEqual(initialWall());
  });
});

describe('loading a whole wall', () => {
  it('replaces every tile and the layout', () => {
    let s = wallReducer(initialWall('4'), { type: 'place', camera: cam(1) });
    s = wallReducer(s, { type: 'focus', slot: 0 });
    s = wallReducer(s, { type: 'load', slots: [cam(5), null, cam(6)], layout: '9' });
    expect(s.layout).toBe('9');
    expect(s.focused).toBeNull();
    expect(wallCameraIds(s)).toEqual([5, null, 6, null, null, null, null, null, null]);
  });

  it('picks the smallest layout for a count', () => {
    expect([1, 2, 4, 5, 9, 10, 36].map(layoutForCount)).toEqual(['1', '4', '4', '9', '9', '16', '16']);
  });
});

describe('tileStream', () => {
  it('plays the sub-stream in the one-cell tiles of 9 and 16 layouts only', () => {
    for (let slot = 0; slot < 16; slot++) expect(tileStream('16', slot, null)).toBe('sub');
    for (let slot = 0; slot < 9; slot++) expect(tileStream('9', slot, null)).toBe('sub');
    for (const layout of ['1', '4', '1+5'] as const) {
      for (let slot = 0; slot < capacity(layout); slot++) expect(tileStream(layout, slot, null)).toBe('main');
    }
  });

  it('plays the main stream in a focused tile', () => {
    expect(tileStream('16', 5, 5)).toBe('main');
    expect(tileStream('16', 4, 5)).toBe('sub');
  });
});
