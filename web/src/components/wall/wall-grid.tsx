import { layoutGeometry, tileStream, visibleSlots, type Cell, type WallAction, type WallState } from './wall-state';

const FULL: Cell = { row: 1, col: 1, rowSpan: 1, colSpan: 1 };
import { WallTile } from './wall-tile';

interface Props {
  state: WallState;
  dispatch: (action: WallAction) => void;
}

export function WallGrid({ state, dispatch }: Props) {
  const geometry = layoutGeometry(state.layout);
  const slots = visibleSlots(state);
  const focused = state.focused;
  // A focused tile fills a 1×1 grid; the others stay mounted (hidden) so they resume instantly on the way back.
  const cols = focused === null ? geometry.cols : 1;
  const rows = focused === null ? geometry.rows : 1;
  return (
    <div
      className="wall-grid"
      data-layout={state.layout}
      data-focused={focused ?? undefined}
      style={{ gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`, gridTemplateRows: `repeat(${rows}, minmax(0, 1fr))` }}
    >
      {geometry.cells.map((cell, slot) => (
        <WallTile
          key={slot}
          slot={slot}
          cell={focused === slot ? FULL : cell}
          hidden={focused !== null && focused !== slot}
          camera={slots[slot]}
          stream={tileStream(state.layout, slot, focused)}
          selected={state.selected === slot}
          dispatch={dispatch}
        />
      ))}
    </div>
  );
}
