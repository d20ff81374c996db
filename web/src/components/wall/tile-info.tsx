// The technical line at the bottom of a playing tile: codec · resolution · fps, and the latency behind live.
import { useEffect, useState } from 'react';
import { useI18n } from '../../hooks/use-i18n';
import { relayKey, useWallServices } from '../../hooks/use-wall-services';
import { formatBitrate, formatLatency, liveLatency, techLine } from '../../lib/live-info';
import type { PlayerMedia } from '../player/hls-player';

interface Props {
  cameraId: number;
  stream: 'main' | 'sub';
  mediaRef: { current: PlayerMedia | null };
  live: boolean;
}

function measure(media: PlayerMedia | null): number | null {
  if (!media) return null;
  const { video, hls } = media;
  const seekable = video.seekable.length ? video.seekable.end(video.seekable.length - 1) : null;
  return liveLatency(hls?.latency, seekable, video.currentTime);
}

export function TileInfo({ cameraId, stream, mediaRef, live }: Props) {
  const { t } = useI18n();
  const { relays } = useWallServices();
  // A camera without a sub-stream is served its main stream's relay under /sub/ too.
  const relay = relays.get(relayKey(cameraId, stream)) ?? relays.get(relayKey(cameraId, 'main'));
  const [latency, setLatency] = useState<number | null>(null);
  useEffect(() => {
    if (!live) return setLatency(null);
    const timer = setInterval(() => setLatency(measure(mediaRef.current)), 2_000);
    return () => clearInterval(timer);
  }, [live, mediaRef]);

  const tech = relay ? techLine(relay) : '';
  const bitrate = relay ? formatBitrate(relay.bitrate) : null;
  const lat = formatLatency(latency);
  if (!tech && !lat) return null;
  return (
    <div className="tile-info" data-testid="tile-info" data-latency={latency === null ? undefined : latency.toFixed(2)}>
      {tech && <span title={[bitrate, relay ? t('tile.viewers', { count: relay.viewers }) : null].filter(Boolean).join(' · ')}>{tech}</span>}
      {lat && (
        <span className="tile-latency" title={t('tile.latencyTitle')}>
          {t('tile.latency', { value: lat })}
        </span>
      )}
    </div>
  );
}
