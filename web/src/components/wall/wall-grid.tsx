import { layoutGeometry, visibleSlots, type WallAction, type WallState } from './wall-state';
import { WallTile } from './wall-tile';

interface Props {
  state: WallState;
  dispatch: (action: WallAction) => void;
}

export function WallGrid({ state, dispatch }: Props) {
  const geometry = layoutGeometry(state.layout);
  const slots = visibleSlots(state);
  return (
    <div
      className="wall-grid"
      data-layout={state.layout}
      style={{ gridTemplateColumns: `repeat(${geometry.cols}, 1fr)`, gridTemplateRows: `repeat(${geometry.rows}, 1fr)` }}
    >
      {geometry.cells.map((cell, slot) => (
        <WallTile key={slot} slot={slot} cell={cell} camera={slots[slot]} selected={state.selected === slot} dispatch={dispatch} />
      ))}
    </div>
  );
}
