// The rewind (回看) control of a wall tile: a small timeline of the last minutes (recorded spans, gaps between),
// the playing moment, click or drag to seek, ±10 s/±30 s, speed 0.5×–8×, and back to live in one click. The tile
// plays the VOD playlist of the window; a seek inside it moves the player, one outside it reloads from there.
import { useEffect, useRef, useState, type PointerEvent } from 'react';
import { request } from '../../api/http';
import type { Timeline } from '../../../../server/contracts/recordings';
import { useI18n } from '../../hooks/use-i18n';
import { barSpans, behindLive, CLIP_AROUND_MS, clipUrl, JUMPS_S, playerTimeAt, SPEEDS, timeAtFraction, timelineUrl, wallTimeAt } from '../../lib/rewind-logic';
import type { PlayerMedia } from '../player/hls-player';

interface Props {
  cameraId: number;
  /** The bar's range (the rewind window), wall-clock ms. */
  fromMs: number;
  toMs: number;
  mediaRef: { current: PlayerMedia | null };
  /** Seek outside what the player holds: reload the playlist from there. */
  onReload: (atMs: number) => void;
  onLive: () => void;
}

export function RewindBar({ cameraId, fromMs, toMs, mediaRef, onReload, onLive }: Props) {
  const { t } = useI18n();
  const [spans, setSpans] = useState<{ start: string; end: string }[]>([]);
  const [at, setAt] = useState<number | null>(null);
  const [speed, setSpeed] = useState(1);
  const barRef = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);
  const onLiveRef = useRef(onLive);
  useEffect(() => { onLiveRef.current = onLive; });

  useEffect(() => {
    const ctrl = new AbortController();
    request<Timeline>('GET', timelineUrl(cameraId, fromMs, toMs), { signal: ctrl.signal })
      .then((tl) => setSpans(tl.spans))
      .catch(() => setSpans([]));
    return () => ctrl.abort();
  }, [cameraId, fromMs, toMs]);

  // The playing moment, from the player's position through the fragments' dates.
  useEffect(() => {
    const timer = setInterval(() => {
      const m = mediaRef.current;
      const frags = m?.hls?.levels[m.hls.currentLevel >= 0 ? m.hls.currentLevel : 0]?.details?.fragments;
      if (!m || !frags) return;
      // The window ends where the rewind was opened: played up to there, the tile is live again.
      if (m.video.ended) return onLiveRef.current();
      setAt(wallTimeAt(frags, m.video.currentTime));
      if (m.video.playbackRate !== speed) m.video.playbackRate = speed;
    }, 250);
    return () => clearInterval(timer);
  }, [mediaRef, speed]);

  const seek = (atMs: number) => {
    const target = Math.min(Math.max(atMs, fromMs), toMs);
    const m = mediaRef.current;
    const frags = m?.hls?.levels[0]?.details?.fragments;
    const time = frags ? playerTimeAt(frags, target) : null;
    if (m && time !== null) {
      m.video.currentTime = time;
      setAt(target);
    } else if (target >= toMs - 1_000) onLive();
    else onReload(target);
  };
  const seekAtPointer = (e: PointerEvent<HTMLDivElement>) => {
    const rect = barRef.current!.getBoundingClientRect();
    seek(timeAtFraction((e.clientX - rect.left) / rect.width, fromMs, toMs));
  };
  const stop = (e: { stopPropagation: () => void }) => e.stopPropagation();

  return (
    <div className="rewind-bar" data-testid="rewind-bar" onClick={stop} onDoubleClick={stop} data-at={at ?? undefined}>
      <div
        ref={barRef}
        className="rewind-track"
        role="slider"
        aria-label={t('rewind.timeline')}
        aria-valuemin={fromMs}
        aria-valuemax={toMs}
        aria-valuenow={at ?? toMs}
        onPointerDown={(e) => { dragging.current = true; e.currentTarget.setPointerCapture(e.pointerId); seekAtPointer(e); }}
        onPointerMove={(e) => { if (dragging.current) seekAtPointer(e); }}
        onPointerUp={() => { dragging.current = false; }}
      >
        {barSpans(spans, fromMs, toMs).map((s, i) => (
          <span key={i} className="rewind-span" style={{ left: `${s.left * 100}%`, width: `${s.width * 100}%` }} />
        ))}
        {at !== null && <span className="rewind-cursor" style={{ left: `${((at - fromMs) / (toMs - fromMs)) * 100}%` }} />}
      </div>
      <div className="rewind-controls">
        {JUMPS_S.map((s) => (
          <button key={s} type="button" className="tile-btn rewind-jump" data-jump={s} title={t(s < 0 ? 'rewind.back' : 'rewind.forward', { seconds: Math.abs(s) })}
            onClick={() => seek((at ?? toMs) + s * 1000)}>
            {s > 0 ? `+${s}` : s}
          </button>
        ))}
        <select className="rewind-speed" aria-label={t('rewind.speed')} value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
          {SPEEDS.map((s) => <option key={s} value={s}>{`${s}×`}</option>)}
        </select>
        <span className="rewind-behind">{at !== null ? behindLive(at, Date.now()) : ''}</span>
        {at !== null && (
          <a className="btn small rewind-clip" data-action="clip" download href={clipUrl(cameraId, at - CLIP_AROUND_MS, Math.min(at + CLIP_AROUND_MS, Date.now()))} title={t('rewind.clipTitle')}>
            {t('rewind.clip')}
          </a>
        )}
        <button type="button" className="btn small rewind-live" data-action="back-to-live" onClick={onLive}>{t('rewind.live')}</button>
      </div>
    </div>
  );
}
