// The past of a wall tile: the live rewind window (回看, the last minutes) or one day's recording (回放, picked
// from the days holding video). A timeline of recorded spans with gaps between, the playing moment, click or drag
// to seek, ±10 s/±30 s, speed 0.5×–8×, pause with frame step, a clip around the moment, back to live in one click.
// The tile plays a VOD playlist of a window (rewind: all of it; a day: half an hour at a time); a seek inside it
// moves the player, one outside it reloads from there.
import { useEffect, useRef, useState, type PointerEvent } from 'react';
import { request } from '../../api/http';
import type { DeviceRecordings, RecordedDays, Timeline } from '../../../../server/contracts/recordings';
import { useI18n } from '../../hooks/use-i18n';
import { useSyncPlayback } from '../../hooks/use-sync-playback';
import { clockAt, drifted, SYNC_SETTLE_MS, SYNC_TOLERANCE_MS } from '../../lib/sync-clock';
import {
  barSpans, behindLive, CLIP_AROUND_MS, clipUrl, clockTime, daysUrl, deviceTimelineUrl, FRAME_S, JUMPS_S, localDay, nextRecorded, PICKER_DAYS, playerTimeAt,
  playerWindow, SPEEDS, timeAtFraction, timelineUrl, wallTimeAt, type PastSource, type PastView,
} from '../../lib/rewind-logic';
import type { PlayerMedia } from '../player/hls-player';

interface Props {
  cameraId: number;
  view: PastView;
  mediaRef: { current: PlayerMedia | null };
  /** Seek outside what the player holds: reload the playlist from there. */
  onReload: (atMs: number) => void;
  onLive: () => void;
  /** Another day's recording, or null for the live rewind window. */
  onDay: (day: string | null) => void;
  /** The server's recording or the camera's own (设备录像). */
  source: PastSource;
  onSource: (source: PastSource) => void;
  /** Device replay: a new speed asks the camera to send that fast (RTSP Scale), from the playing moment. */
  onDeviceSpeed?: (speed: number, atMs: number) => void;
}

/** The browser's offset east of UTC, as the server wants it for local days. */
const tzOffset = () => -new Date().getTimezoneOffset();

export function RewindBar({ cameraId, view, mediaRef, onReload, onLive, onDay, source, onSource, onDeviceSpeed }: Props) {
  const { t } = useI18n();
  const { fromMs, toMs } = view;
  const windowEnd = playerWindow(view).toMs;
  const [spans, setSpans] = useState<{ start: string; end: string }[] | null>(null);
  const [days, setDays] = useState<RecordedDays['days']>([]);
  const [at, setAt] = useState<number | null>(null);
  const [speed, setSpeed] = useState(1);
  const [paused, setPaused] = useState(false);
  const barRef = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);
  const sync = useSyncPlayback();
  const lastCorrection = useRef(0);
  const latest = useRef({ onLive, onReload, view, windowEnd, clock: sync.clock });
  useEffect(() => { latest.current = { onLive, onReload, view, windowEnd, clock: sync.clock }; });

  const [deviceReason, setDeviceReason] = useState<string | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    setDeviceReason(null);
    if (source === 'device') {
      request<DeviceRecordings>('GET', deviceTimelineUrl(cameraId, fromMs, toMs), { signal: ctrl.signal })
        .then((r) => { setSpans(r.spans); setDeviceReason(r.source === 'none' ? r.reason : null); })
        .catch(() => setSpans([]));
    } else {
      request<Timeline>('GET', timelineUrl(cameraId, fromMs, toMs), { signal: ctrl.signal })
        .then((tl) => setSpans(tl.spans))
        .catch(() => setSpans([]));
    }
    return () => ctrl.abort();
  }, [cameraId, fromMs, toMs, source]);

  useEffect(() => {
    const ctrl = new AbortController();
    const offset = tzOffset();
    const now = Date.now();
    request<RecordedDays>('GET', daysUrl(cameraId, localDay(now - (PICKER_DAYS - 1) * 86_400_000, offset), localDay(now, offset), offset), { signal: ctrl.signal })
      .then((r) => setDays(r.days))
      .catch(() => setDays([]));
    return () => ctrl.abort();
  }, [cameraId]);

  // A day starting in a gap (nothing recorded at midnight): play from its first recorded moment instead.
  useEffect(() => {
    if (!spans || view.day === null) return;
    const next = nextRecorded(spans, view.startMs);
    if (next !== null && next - view.startMs > 2_000) onReload(next);
  }, [spans, view.day, view.startMs, onReload]);

  // The playing moment, from the player's position through the fragments' dates.
  useEffect(() => {
    const timer = setInterval(() => {
      const m = mediaRef.current;
      const frags = m?.hls?.levels[m.hls.currentLevel >= 0 ? m.hls.currentLevel : 0]?.details?.fragments;
      if (!m || !frags) return;
      const { view: v, windowEnd: end, onLive: live, onReload: reload, clock } = latest.current;
      if (m.video.ended) {
        // The rewind window ends where it was opened: played up to there, the tile is live again. A day goes on
        // with its next half hour.
        if (v.day === null) return live();
        if (end < v.toMs - 1_000) return reload(end);
      }
      const shown = wallTimeAt(frags, m.video.currentTime);
      setAt(shown);
      if (clock) {
        // 同步回放: follow the wall's clock — its pause, and its moment when this tile drifted away from it.
        if (m.video.paused !== clock.paused && !m.video.seeking) {
          if (clock.paused) m.video.pause();
          else void m.video.play().catch(() => {});
        }
        const target = clockAt(clock, Date.now());
        if (shown !== null && !dragging.current && drifted(shown, target) && Date.now() - lastCorrection.current > SYNC_SETTLE_MS) {
          // A moment in a gap plays from the next fragment: no seek when the player is already there.
          const time = playerTimeAt(frags, target);
          if (time === null || Math.abs(time - m.video.currentTime) * 1000 > SYNC_TOLERANCE_MS) {
            lastCorrection.current = Date.now();
            if (time !== null) m.video.currentTime = time;
            else reload(target);
          }
        }
      }
      setPaused(m.video.paused);
      const rate = clock ? clock.rate : speed;
      if (m.video.playbackRate !== rate) m.video.playbackRate = rate;
    }, 250);
    return () => clearInterval(timer);
  }, [mediaRef, speed]);

  const seek = (atMs: number) => {
    const target = Math.min(Math.max(atMs, fromMs), toMs);
    sync.seek(target);
    lastCorrection.current = Date.now();
    const m = mediaRef.current;
    const frags = m?.hls?.levels[0]?.details?.fragments;
    const time = frags ? playerTimeAt(frags, target) : null;
    if (m && time !== null) {
      m.video.currentTime = time;
      setAt(target);
    } else if (view.day === null && target >= toMs - 1_000) onLive();
    else onReload(target);
  };
  const togglePause = () => {
    const video = mediaRef.current?.video;
    if (!video) return;
    if (video.paused) void video.play().catch(() => {});
    else video.pause();
    sync.pause(video.paused);
    setPaused(video.paused);
  };
  // One frame back or forward, paused (MSE seeks to the frame's time; the decoder shows that picture).
  const step = (frames: number) => {
    const video = mediaRef.current?.video;
    if (!video) return;
    video.pause();
    video.currentTime = Math.max(0, video.currentTime + frames * FRAME_S);
    sync.pause(true);
    setPaused(true);
  };
  const seekAtPointer = (e: PointerEvent<HTMLDivElement>) => {
    const rect = barRef.current!.getBoundingClientRect();
    seek(timeAtFraction((e.clientX - rect.left) / rect.width, fromMs, toMs));
  };
  const stop = (e: { stopPropagation: () => void }) => e.stopPropagation();
  const dayOptions = view.day !== null && !days.some((d) => d.day === view.day) ? [{ day: view.day, seconds: 0 }, ...days] : days;

  return (
    <div className="rewind-bar" data-testid="rewind-bar" onClick={stop} onDoubleClick={stop} data-at={at ?? undefined} data-day={view.day ?? undefined}>
      <div
        ref={barRef}
        className="rewind-track"
        role="slider"
        aria-label={t(view.day === null ? 'rewind.timeline' : 'playback.timeline')}
        aria-valuemin={fromMs}
        aria-valuemax={toMs}
        aria-valuenow={at ?? toMs}
        onPointerDown={(e) => { dragging.current = true; e.currentTarget.setPointerCapture(e.pointerId); seekAtPointer(e); }}
        onPointerMove={(e) => { if (dragging.current) seekAtPointer(e); }}
        onPointerUp={() => { dragging.current = false; }}
      >
        {barSpans(spans ?? [], fromMs, toMs).map((s, i) => (
          <span key={i} className="rewind-span" style={{ left: `${s.left * 100}%`, width: `${s.width * 100}%` }} />
        ))}
        {at !== null && <span className="rewind-cursor" style={{ left: `${((at - fromMs) / (toMs - fromMs)) * 100}%` }} />}
      </div>
      <div className="rewind-controls">
        <select className="rewind-source" data-testid="rewind-source" aria-label={t('devicePlayback.source')} value={source} onChange={(e) => onSource(e.target.value as PastSource)}>
          <option value="server">{t('devicePlayback.server')}</option>
          <option value="device">{t('devicePlayback.device')}</option>
        </select>
        {deviceReason && <span className="rewind-device-none" role="status" title={deviceReason}>{t('devicePlayback.none')}</span>}
        <select className="rewind-day" data-testid="rewind-day" aria-label={t('playback.day')} value={view.day ?? ''} onChange={(e) => onDay(e.target.value || null)}>
          <option value="">{t('playback.recent')}</option>
          {dayOptions.map((d) => (
            <option key={d.day} value={d.day}>{d.seconds >= 3600 ? t('playback.dayHours', { day: d.day.slice(5), hours: (d.seconds / 3600).toFixed(1) }) : t('playback.dayMinutes', { day: d.day.slice(5), minutes: Math.ceil(d.seconds / 60) })}</option>
          ))}
        </select>
        <button type="button" className="tile-btn" data-action="pause" aria-pressed={paused} title={t(paused ? 'playback.play' : 'playback.pause')} aria-label={t(paused ? 'playback.play' : 'playback.pause')} onClick={togglePause}>
          {paused ? '▶' : '❚❚'}
        </button>
        {paused && (
          <>
            <button type="button" className="tile-btn" data-step="-1" title={t('playback.stepBack')} aria-label={t('playback.stepBack')} onClick={() => step(-1)}>◀|</button>
            <button type="button" className="tile-btn" data-step="1" title={t('playback.stepForward')} aria-label={t('playback.stepForward')} onClick={() => step(1)}>|▶</button>
          </>
        )}
        {JUMPS_S.map((s) => (
          <button key={s} type="button" className="tile-btn rewind-jump" data-jump={s} title={t(s < 0 ? 'rewind.back' : 'rewind.forward', { seconds: Math.abs(s) })}
            onClick={() => seek((at ?? toMs) + s * 1000)}>
            {s > 0 ? `+${s}` : s}
          </button>
        ))}
        <select className="rewind-speed" aria-label={t('rewind.speed')} value={sync.clock ? sync.clock.rate : speed} onChange={(e) => {
          const v = Number(e.target.value);
          (sync.clock ? sync.rate : setSpeed)(v);
          // The camera sends the replay in real time unless asked for more: reopen it at that Scale.
          if (source === 'device' && at !== null) onDeviceSpeed?.(v, at);
        }}>
          {SPEEDS.map((s) => <option key={s} value={s}>{`${s}×`}</option>)}
        </select>
        <span className="rewind-behind" data-testid="rewind-moment">{at === null ? '' : view.day === null ? behindLive(at, Date.now()) : clockTime(at, tzOffset())}</span>
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
