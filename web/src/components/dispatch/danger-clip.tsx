// The video clip of a danger tag (30 s before to 30 s after), played from the stored recording through the same
// playback route as the wall (the camera's area decides, as for live). While the post-roll is still being recorded
// the clip plays what is stored so far; its hash shows once it is sealed.
import { useEffect, useState } from 'react';
import type { DangerClip as Clip } from '../../../../server/contracts/dispatch';
import { useI18n } from '../../hooks/use-i18n';
import { HlsPlayer } from '../player/hls-player';

export function DangerClip({ clip }: { clip: Clip }) {
  const { t } = useI18n();
  // While the post-roll is still being recorded, the VOD playlist holds what was stored when it loaded: load it
  // once more after the post-roll ends, so the clip plays to its end.
  const [reload, setReload] = useState(0);
  useEffect(() => {
    if (clip.state !== 'recording') return;
    const wait = Date.parse(clip.to) + 3_000 - Date.now();
    if (wait <= 0) return;
    const timer = setTimeout(() => setReload((n) => n + 1), wait);
    return () => clearTimeout(timer);
  }, [clip.state, clip.to]);
  return (
    <figure className="evidence evidence-clip" data-testid="danger-clip" data-state={clip.state}>
      {clip.state === 'missing' ? (
        <p className="muted">{t('clip.missing')}</p>
      ) : (
        <div className="clip-player">
          <HlsPlayer key={reload} src={clip.playlistUrl} cameraId={clip.cameraId} muted startAtWall={Date.parse(clip.from)} />
        </div>
      )}
      <figcaption className="muted small">
        {t(clip.state === 'recording' ? 'clip.recording' : 'clip.caption', { from: new Date(clip.from).toLocaleTimeString(), to: new Date(clip.to).toLocaleTimeString() })}
        {clip.sha256 && <span className="clip-hash" title={clip.sha256}> · SHA-256 {clip.sha256.slice(0, 12)}…</span>}
      </figcaption>
    </figure>
  );
}
