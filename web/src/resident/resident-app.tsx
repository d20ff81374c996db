// The page a resident opens from a share link (/r/<token>) on a phone: the compound's public-area cameras, one
// playing at a time inline. The link is checked with POST /api/share/open on load and again whenever a player
// fails (a revoked or expired link answers 401 on the next playlist or segment): then the page drops everything
// it showed of the link and says so in full screen.
import { useCallback, useEffect, useLayoutEffect, useReducer, useRef, useState } from 'react';
import { ApiError, isAbort } from '../api/http';
import { LangToggle } from '../components/common/lang-toggle';
import { HlsPlayer, type PlayerState } from '../components/player/hls-player';
import { useI18n } from '../hooks/use-i18n';
import { openShare, randomDeviceId } from './resident-api';
import { MyReports, ReportForm } from './resident-report';
import { ResidentThumb } from './resident-thumb';
import {
  deviceId, expiryCheckDelay, formatExpiry, initialState, keepPlaying, localMessage, mayRecheck, playerSuggestsRecheck, recheckInterval, reduce, tokenFromPath,
  type PageState, type ReportCategory, type ResidentCamera,
} from './resident-logic';
import '../styles/resident.css';

const storage = typeof window === 'undefined' ? undefined : window.localStorage;

export function ResidentApp() {
  const { t, lang } = useI18n();
  const [token] = useState(() => tokenFromPath(window.location.pathname));
  const [device] = useState(() => deviceId(storage, randomDeviceId));
  const [state, dispatch] = useReducer(reduce, token ? initialState : ({ kind: 'invalid' } as PageState));
  const [playing, setPlaying] = useState<number | null>(null);
  /** 随手拍: the camera whose report form is open, and a counter that re-reads "my reports" after sending. */
  const [reporting, setReporting] = useState<number | null>(null);
  const [reportsVersion, setReportsVersion] = useState(0);
  const [sentNotice, setSentNotice] = useState(false);
  const inflight = useRef<AbortController | null>(null);
  const lastRecheck = useRef<number | null>(null);
  /** Rechecks in a row that found the link still valid (the player fails for another reason): backs off. */
  const recheckStreak = useRef(0);

  const open = useCallback(
    async (kind: 'open' | 'recheck') => {
      if (!token) return;
      inflight.current?.abort();
      const controller = new AbortController();
      inflight.current = controller;
      dispatch({ type: kind });
      try {
        const view = await openShare(token, device, controller.signal);
        if (controller.signal.aborted) return;
        if (kind === 'recheck') recheckStreak.current++;
        setPlaying((current) => keepPlaying(current, view));
        dispatch({ type: 'opened', view });
      } catch (err) {
        if (isAbort(err) || controller.signal.aborted) return;
        if (err instanceof ApiError) {
          if (err.status === 401 || err.status === 403) setPlaying(null);
          dispatch({ type: 'failed', status: err.status, message: err.message, retryAfter: err.retryAfter });
        } else {
          dispatch({ type: 'failed', status: 0, message: err instanceof Error ? err.message : String(err) });
        }
      } finally {
        if (inflight.current === controller) inflight.current = null;
      }
    },
    [token, device],
  );

  useEffect(() => {
    void open('open');
    return () => inflight.current?.abort();
  }, [open]);

  // A failed or retrying player may mean the link was revoked or expired: ask the server (throttled and backing
  // off, so a camera that is simply down does not loop). A link that still opens keeps the player as it is (it
  // retries on its own, or offers its retry button). A player that goes live resets the back-off.
  const pendingRecheck = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const recheck = useCallback(() => {
    const now = Date.now();
    if (!mayRecheck(lastRecheck.current, now, recheckStreak.current)) {
      // Too soon after the last one: do it when allowed rather than drop it (the player may stay offline).
      if (pendingRecheck.current === undefined) {
        const wait = Math.max(0, (lastRecheck.current ?? now) + recheckInterval(recheckStreak.current) - now);
        pendingRecheck.current = setTimeout(() => {
          pendingRecheck.current = undefined;
          lastRecheck.current = Date.now();
          void open('recheck');
        }, wait);
      }
      return;
    }
    lastRecheck.current = now;
    void open('recheck');
  }, [open]);
  useEffect(() => () => clearTimeout(pendingRecheck.current), []);

  const onPlayerState = useCallback(
    (player: PlayerState) => {
      if (player.phase === 'live') recheckStreak.current = 0;
      else if (playerSuggestsRecheck(player)) recheck();
    },
    [recheck],
  );

  // Nothing may be playing when the link ends: ask again when it expires, and when the phone comes back to the page.
  const ready = state.kind === 'ready';
  const expiresAt = ready ? state.view.expiresAt : null;
  useEffect(() => {
    if (!expiresAt) return;
    const delay = expiryCheckDelay(expiresAt, Date.now());
    if (delay === null) return;
    const timer = setTimeout(() => void open('recheck'), delay);
    return () => clearTimeout(timer);
  }, [expiresAt, open]);

  useEffect(() => {
    if (!ready) return;
    const onVisible = () => {
      if (document.visibilityState === 'visible') recheck();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [ready, recheck]);

  if (state.kind !== 'ready') return <ResidentNotice state={state} onRetry={() => void open('open')} lang={lang} />;

  const { view } = state;
  return (
    <div className="resident" data-testid="resident-page" data-state="ready">
      <header className="resident-head">
        <div className="resident-titles">
          <h1 className="resident-label">{view.label}</h1>
          <p className="resident-meta">
            <span className="resident-unit">{view.unitName}</span>
            <span className="resident-expiry">
              {t('resident.expires', { time: formatExpiry(view.expiresAt, lang) })}
            </span>
          </p>
        </div>
        <LangToggle />
      </header>
      <main className="resident-list">
        {view.cameras.length === 0 && <p className="resident-empty">{t('resident.noCameras')}</p>}
        {view.cameras.map((camera) => (
          <CameraCard
            key={camera.id}
            camera={camera}
            playing={playing === camera.id}
            onPlay={() => setPlaying(camera.id)}
            onStop={() => setPlaying(null)}
            onPlayerState={onPlayerState}
            rewindMinutes={view.rewindMinutes ?? 0}
            report={view.reportCategories?.length ? {
              open: reporting === camera.id,
              viewerToken: view.viewerToken,
              categories: view.reportCategories,
              onOpen: () => { setSentNotice(false); setReporting(camera.id); },
              onClose: () => setReporting(null),
              onSent: () => { setReporting(null); setSentNotice(true); setReportsVersion((n) => n + 1); },
            } : undefined}
          />
        ))}
        {sentNotice && <p className="resident-sent" role="status" data-testid="report-sent">{t('report.sent')}</p>}
        {view.reportCategories?.length ? <MyReports viewerToken={view.viewerToken} categories={view.reportCategories} version={reportsVersion} /> : null}
      </main>
      <footer className="resident-foot">{t('resident.footer')}</footer>
    </div>
  );
}

interface CardProps {
  camera: ResidentCamera;
  playing: boolean;
  onPlay: () => void;
  onStop: () => void;
  onPlayerState: (state: PlayerState) => void;
  /** Rewind the link allows (0: live only); the camera carries its rewindUrl when it is more. */
  rewindMinutes: number;
  /** 随手拍 on this camera; absent when the server offers no report categories. */
  report?: { open: boolean; viewerToken: string; categories: ReportCategory[]; onOpen: () => void; onClose: () => void; onSent: () => void };
}

function CameraCard({ camera, playing, onPlay, onStop, onPlayerState, rewindMinutes, report }: CardProps) {
  const { t } = useI18n();
  const [attempt, setAttempt] = useState(0);
  // 回看: the link's last minutes as a VOD playlist (the server clips it to the link's window), seekable with the
  // video's own controls; 回到直播 plays live again.
  const [rewindSrc, setRewindSrc] = useState<string | null>(null);
  const startRewind = () => {
    const now = Date.now();
    setRewindSrc(`${camera.rewindUrl}&from=${encodeURIComponent(new Date(now - rewindMinutes * 60_000).toISOString())}&to=${encodeURIComponent(new Date(now).toISOString())}`);
  };
  const shown = rewindSrc ? { ...camera, playlistUrl: rewindSrc } : camera;
  return (
    <section className={`resident-card${playing ? ' is-playing' : ''}`} data-testid="resident-camera" data-camera-id={camera.id}>
      <div className="resident-screen">
        {playing ? (
          <ResidentPlayer
            key={`${shown.playlistUrl}#${attempt}`}
            camera={shown}
            rewind={rewindSrc !== null}
            onState={onPlayerState}
            onRetry={() => setAttempt((n) => n + 1)}
          />
        ) : (
          <button type="button" className="resident-play" onClick={onPlay} aria-label={`${t('resident.tapToPlay')} ${camera.name}`}>
            <ResidentThumb snapshotUrl={camera.snapshotUrl} />
            <span className="resident-play-icon" aria-hidden />
            <span className="resident-play-label">{t('resident.tapToPlay')}</span>
          </button>
        )}
      </div>
      <div className="resident-card-foot">
        <span className="resident-name">{camera.name}</span>
        {playing && camera.rewindUrl && (
          rewindSrc ? (
            <button type="button" className="btn small" data-action="live" onClick={() => setRewindSrc(null)}>
              {t('resident.backToLive')}
            </button>
          ) : (
            <button type="button" className="btn small" data-action="rewind" onClick={startRewind}>
              {t('resident.rewind', { minutes: rewindMinutes })}
            </button>
          )
        )}
        {playing && (
          <button type="button" className="btn small ghost" onClick={() => { setRewindSrc(null); onStop(); }}>
            {t('resident.stop')}
          </button>
        )}
        {report && !report.open && (
          <button type="button" className="btn small" data-action="report" onClick={report.onOpen}>
            {t('report.button')}
          </button>
        )}
      </div>
      {report?.open && (
        <ReportForm camera={camera} viewerToken={report.viewerToken} categories={report.categories} onSent={report.onSent} onCancel={report.onClose} />
      )}
    </section>
  );
}

/** HlsPlayer (hls.js, or the browser's own HLS on Safari), muted until the resident taps for sound (cameras' G.711
 * microphones included), autoplay, inline; its <video> gets the test hook. */
function ResidentPlayer({ camera, rewind, onState, onRetry }: { camera: ResidentCamera; rewind: boolean; onState: (s: PlayerState) => void; onRetry: () => void }) {
  const { t } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const [muted, setMuted] = useState(true);
  useLayoutEffect(() => {
    const video = box.current?.querySelector('video');
    video?.setAttribute('data-testid', 'resident-video');
    // A rewind is a recording: the phone's own seek bar is the simplest way through it.
    if (video) video.controls = rewind;
  });
  return (
    <div ref={box} className="resident-player">
      <HlsPlayer src={camera.playlistUrl} cameraId={camera.id} muted={muted} onState={onState} onRetry={onRetry} />
      <button type="button" className="btn small ghost resident-sound" data-action="sound" aria-pressed={!muted} onClick={() => setMuted((m) => !m)}>
        {muted ? t('tile.unmute') : t('tile.mute')}
      </button>
    </div>
  );
}

function ResidentNotice({ state, onRetry, lang }: { state: PageState; onRetry: () => void; lang: 'zh-CN' | 'en' }) {
  const { t } = useI18n();
  if (state.kind === 'opening') {
    return (
      <div className="resident resident-center" data-testid="resident-page" data-state="opening" role="status">
        <span className="spinner" aria-hidden />
        <p>{t('resident.opening')}</p>
      </div>
    );
  }
  if (state.kind === 'invalid') {
    return (
      <div className="resident resident-center resident-fatal" data-testid="resident-invalid" data-state="invalid" role="alert">
        <div className="resident-notice-lang"><LangToggle /></div>
        <span className="resident-notice-icon" aria-hidden>!</span>
        <h1>{t('resident.invalidTitle')}</h1>
        <p>{t('resident.invalidBody')}</p>
      </div>
    );
  }
  const title =
    state.kind === 'closed' ? t('resident.closedTitle') : state.kind === 'busy' ? t('resident.busyTitle') : t('resident.errorTitle');
  const body =
    state.kind === 'busy'
      ? state.retryAfter
        ? t('resident.busyWait', { seconds: state.retryAfter })
        : (state.message && localMessage(state.message, lang)) || t('resident.busyBody')
      : state.kind === 'closed'
        ? localMessage(state.message, lang)
        : state.kind === 'error'
          ? state.status === 0
            ? t('error.network')
            : t(state.status >= 500 ? 'error.server' : 'error.generic', { status: state.status })
          : '';
  return (
    <div className="resident resident-center" data-testid="resident-page" data-state={state.kind} role="alert">
      <div className="resident-notice-lang"><LangToggle /></div>
      <h1>{title}</h1>
      {body && <p>{body}</p>}
      {state.kind !== 'closed' && (
        <button type="button" className="btn primary" data-action="retry" onClick={onRetry}>
          {t('resident.retry')}
        </button>
      )}
    </div>
  );
}

export default ResidentApp;
