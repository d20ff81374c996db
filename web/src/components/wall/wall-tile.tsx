import { memo, useState } from 'react';
import { useI18n } from '../../hooks/use-i18n';
import { CAMERA_MIME, readCamera, readTile, TILE_MIME } from '../tree/drag';
import { TileContent } from './tile-content';
import type { Cell, TileCamera, WallAction } from './wall-state';

interface Props {
  slot: number;
  cell: Cell;
  camera: TileCamera | null;
  selected: boolean;
  hidden?: boolean;
  /** Which of the camera's streams this tile plays (see tileStream). */
  stream: 'main' | 'sub';
  dispatch: (action: WallAction) => void;
}

export const WallTile = memo(function WallTile({ slot, cell, camera, selected, hidden, stream, dispatch }: Props) {
  const { t } = useI18n();
  const [over, setOver] = useState(false);
  const style = { gridRow: `${cell.row} / span ${cell.rowSpan}`, gridColumn: `${cell.col} / span ${cell.colSpan}` };

  return (
    <div
      className={`tile${selected ? ' selected' : ''}${over ? ' drop-over' : ''}${camera ? '' : ' empty'}`}
      style={style}
      data-slot={slot}
      hidden={hidden}
      onClick={() => dispatch({ type: 'select', slot })}
      onDoubleClick={() => dispatch({ type: 'focus', slot })}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(CAMERA_MIME) || e.dataTransfer.types.includes(TILE_MIME)) {
          e.preventDefault();
          setOver(true);
        }
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const from = readTile(e.dataTransfer);
        if (from !== null) return dispatch({ type: 'swap', from, to: slot });
        const dropped = readCamera(e.dataTransfer);
        if (dropped) dispatch({ type: 'place', camera: dropped, slot });
      }}
    >
      {camera ? (
        <TileContent key={camera.id} slot={slot} camera={camera} stream={stream} dispatch={dispatch} />
      ) : (
        <div className="tile-empty muted">
          <span className="tile-index">{slot + 1}</span>
          <span>{t('wall.emptyTile')}</span>
        </div>
      )}
    </div>
  );
});

