import { memo } from 'react';
import type { Camera } from '../../api/http';
import { useCameraStatus } from '../../hooks/use-camera-status';
import { useI18n } from '../../hooks/use-i18n';
import { useNetwork } from '../../hooks/use-networks-context';
import type { TileCamera } from '../wall/wall-state';
import { CAMERA_MIME } from './drag';
import { reasonText } from '../../lib/status-reason';

interface Props {
  camera: Camera;
  onWall: boolean;
  onOpen: (camera: TileCamera) => void;
}

const toTile = (c: Camera): TileCamera => ({ id: c.id, name: c.name, network: c.network, orgUnitId: c.orgUnitId });

export const CameraRow = memo(function CameraRow({ camera, onWall, onOpen }: Props) {
  const { t, lang } = useI18n();
  const live = useCameraStatus(camera.id);
  const network = useNetwork(camera.network);
  const status = live?.status ?? camera.status;
  const reason = live ? live.reason : camera.statusReason;
  const netName = network ? (lang === 'en' ? network.nameEn : network.name) : camera.network;

  return (
    <div
      className={`cam-row${onWall ? ' on-wall' : ''}`}
      draggable
      data-camera-id={camera.id}
      data-status={status}
      title={[camera.name, netName, t(`status.${status}`) + (reason ? ` · ${reasonText(reason, t)}` : ''), camera.address, t('tree.cameraHint')]
        .filter(Boolean)
        .join('\n')}
      style={{ ['--net' as string]: network?.color ?? '#888' }}
      onDoubleClick={() => onOpen(toTile(camera))}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onOpen(toTile(camera));
      }}
      tabIndex={0}
      onDragStart={(e) => {
        e.dataTransfer.setData(CAMERA_MIME, JSON.stringify(toTile(camera)));
        e.dataTransfer.effectAllowed = 'copyMove';
      }}
    >
      <span className={`status-dot ${status}`} aria-label={t(`status.${status}`)} />
      <span className="net-bar" aria-hidden />
      <span className="cam-name">{camera.name}</span>
      <span className="cam-net">{netName}</span>
    </div>
  );
});
