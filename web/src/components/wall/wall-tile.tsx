import { memo, useEffect, useState } from 'react';
import { liveUrl } from '../../api/http';
import { useCameraStatus } from '../../hooks/use-camera-status';
import { useI18n } from '../../hooks/use-i18n';
import { useNetwork } from '../../hooks/use-networks-context';
import { HlsPlayer, type PlayerState } from '../player/hls-player';
import { CAMERA_MIME, readCamera, readTile, TILE_MIME } from '../tree/drag';
import type { Cell, TileCamera, WallAction } from './wall-state';

interface Props {
  slot: number;
  cell: Cell;
  camera: TileCamera | null;
  selected: boolean;
  hidden?: boolean;
  dispatch: (action: WallAction) => void;
}

export const WallTile = memo(function WallTile({ slot, cell, camera, selected, hidden, dispatch }: Props) {
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
        <TileContent key={camera.id} slot={slot} camera={camera} dispatch={dispatch} />
      ) : (
        <div className="tile-empty muted">
          <span className="tile-index">{slot + 1}</span>
          <span>{t('wall.emptyTile')}</span>
        </div>
      )}
    </div>
  );
});

function TileContent({ slot, camera, dispatch }: { slot: number; camera: TileCamera; dispatch: Props['dispatch'] }) {
  const { t, lang } = useI18n();
  const network = useNetwork(camera.network);
  const status = useCameraStatus(camera.id);
  const [player, setPlayer] = useState<PlayerState>({ phase: 'connecting' });
  const [attempt, setAttempt] = useState(0);
  // The operator may insist on trying a camera the server reports down; the next status event resets that.
  const [forced, setForced] = useState(false);
  useEffect(() => setForced(false), [status]);
  // The server says the camera is down: do not hold a relay slot; the player comes back when it is online.
  const cameraDown = status?.status === 'offline' && !forced;
  const phase = cameraDown ? 'offline' : player.phase;
  const reason = cameraDown
    ? status?.reason
      ? t('player.cameraOfflineReason', { reason: status.reason })
      : t('player.cameraOffline')
    : player.reason
      ? t(player.reason.key, player.reason.params)
      : undefined;

  return (
    <>
      <header
        className="tile-head"
        title={t('wall.tileHint')}
        draggable
        onDragStart={(e) => {
          e.dataTransfer.setData(TILE_MIME, String(slot));
          e.dataTransfer.effectAllowed = 'move';
        }}
        style={{ ['--net' as string]: network?.color ?? '#888' }}
      >
        <span className="net-tag">{network ? (lang === 'en' ? network.nameEn : network.name) : camera.network}</span>
        <span className="tile-name" title={camera.name}>
          {camera.name}
        </span>
        <span className={`tile-state ${phase}`} title={reason}>
          {t(`player.${phase}`)}
        </span>
        <button
          type="button"
          className="tile-close"
          aria-label={t('wall.close')}
          title={t('wall.close')}
          onClick={(e) => {
            e.stopPropagation();
            dispatch({ type: 'remove', slot });
          }}
        >
          ×
        </button>
      </header>
      <div className="tile-body">
        {cameraDown ? (
          <div className="player">
            <video className="player-video" data-camera-id={camera.id} data-state="offline" data-reason="camera-offline" muted />
            <div className="player-overlay player-overlay-offline" role="status">
              <span>{reason}</span>
              <button type="button" className="btn small overlay-action" onClick={() => setForced(true)}>
                {t('player.retry')}
              </button>
            </div>
          </div>
        ) : (
          <HlsPlayer
            key={attempt}
            src={liveUrl(camera)}
            cameraId={camera.id}
            onState={setPlayer}
            onRetry={() => setAttempt((n) => n + 1)}
          />
        )}
      </div>
    </>
  );
}
