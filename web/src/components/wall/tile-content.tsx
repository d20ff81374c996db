// One playing tile: title bar (network, name, state, tag, mute, fullscreen, close), the player, the info line.
import { useCallback, useEffect, useRef, useState, type MouseEvent } from 'react';
import { liveUrl } from '../../api/http';
import { useCameraStatus } from '../../hooks/use-camera-status';
import { useI18n } from '../../hooks/use-i18n';
import { useNetwork } from '../../hooks/use-networks-context';
import { useWallServices } from '../../hooks/use-wall-services';
import { CaptureError, captureFrame } from '../../lib/frame-capture';
import { FlagIcon, FullscreenIcon, SpeakerIcon } from '../common/icons';
import { HlsPlayer, type PlayerMedia, type PlayerState } from '../player/hls-player';
import { LowLatencyVideo } from '../player/low-latency-video';
import { useLowLatency } from '../../hooks/use-low-latency';
import { PtzOverlay } from '../ptz/ptz-overlay';
import { TILE_MIME } from '../tree/drag';
import { TileInfo } from './tile-info';
import { RewindBar } from './rewind-bar';
import { dayView, devicePlaybackUrl, pastViewAt, playbackUrl, playerWindow, rewindView, wallTimeAt, type PastSource, type PastView } from '../../lib/rewind-logic';
import { clockAt } from '../../lib/sync-clock';
import { useSyncPlayback } from '../../hooks/use-sync-playback';
import type { TileCamera, WallAction } from './wall-state';
import { reasonText } from '../../lib/status-reason';

interface Props {
  slot: number;
  camera: TileCamera;
  stream: 'main' | 'sub';
  dispatch: (action: WallAction) => void;
}

/** Fullscreen state of one element, following Esc and the browser's own exits. */
function useFullscreen(getElement: () => HTMLElement | null): [boolean, () => void] {
  const [on, setOn] = useState(false);
  useEffect(() => {
    const sync = () => setOn(!!document.fullscreenElement && document.fullscreenElement === getElement());
    document.addEventListener('fullscreenchange', sync);
    return () => document.removeEventListener('fullscreenchange', sync);
  }, [getElement]);
  const toggle = () => {
    const el = getElement();
    if (!el) return;
    if (document.fullscreenElement === el) void document.exitFullscreen().catch(() => {});
    else void el.requestFullscreen?.().catch(() => {});
  };
  return [on, toggle];
}

export function TileContent({ slot, camera, stream, dispatch }: Props) {
  const { t, lang } = useI18n();
  const network = useNetwork(camera.network);
  const status = useCameraStatus(camera.id);
  const { onTag } = useWallServices();
  const [player, setPlayer] = useState<PlayerState>({ phase: 'connecting' });
  const [attempt, setAttempt] = useState(0);
  const [muted, setMuted] = useState(true);
  const [notice, setNotice] = useState<string | null>(null);
  const mediaRef = useRef<PlayerMedia | null>(null);
  /** Showing the past (the rewind window or a day's recording): the bar's range and where the player started;
   * null while live. */
  const [rewind, setRewind] = useState<PastView | null>(null);
  /** The server's recording (default) or the camera's own (设备录像), chosen in the rewind bar. */
  const [pastSource, setPastSource] = useState<PastSource>('server');
  /** Device replay speed (RTSP Scale), set with the bar's speed. */
  const [deviceScale, setDeviceScale] = useState(1);
  const startRewind = () => setRewind(rewindView(Date.now()));
  // Inside the bar's range the player reloads from there; past it (a synchronised clock crossing midnight, or
  // leaving the rewind window) the tile shows the view holding that moment.
  const reloadAt = useCallback((atMs: number) => setRewind((r) => r && (atMs >= r.fromMs && atMs <= r.toMs
    ? { ...r, startMs: atMs }
    : pastViewAt(atMs, Date.now(), -new Date().getTimezoneOffset()))), []);
  const pickDay = (day: string | null) => setRewind(day === null ? rewindView(Date.now()) : dayView(day, -new Date().getTimezoneOffset(), Date.now()));
  // 同步回放: each start of the wall's clock takes this tile to the clock's moment; its end back to live.
  const sync = useSyncPlayback();
  const syncSession = sync.clock?.session ?? null;
  const syncRef = useRef(sync);
  syncRef.current = sync;
  const inSession = useRef<number | null>(null);
  useEffect(() => {
    const clock = syncRef.current.clock;
    if (clock) setRewind(pastViewAt(clockAt(clock, Date.now()), Date.now(), -new Date().getTimezoneOffset()));
    else if (inSession.current !== null) setRewind(null);
    inSession.current = syncSession;
  }, [syncSession]);
  const pastWindow = rewind && playerWindow(rewind);
  const headRef = useRef<HTMLElement>(null);
  const [fullscreen, toggleFullscreen] = useFullscreen(useRef(() => headRef.current?.closest<HTMLElement>('.tile') ?? null).current);
  // A tile taken fullscreen deserves the main stream whatever its size on the wall.
  const playing = fullscreen ? 'main' : stream;
  // The operator may insist on trying a camera the server reports down; the next status event resets that.
  const [forced, setForced] = useState(false);
  useEffect(() => setForced(false), [status]);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 4_000);
    return () => clearTimeout(timer);
  }, [notice]);
  // The server says the camera is down: do not hold a relay slot; the player comes back when it is online.
  // Rewind plays stored video, whatever the camera does now.
  const cameraDown = status?.status === 'offline' && !forced && !rewind;
  // The tile being steered plays over WebRTC (sub-second); HLS keeps playing underneath until its first frame.
  const [steering, setSteering] = useState(false);
  const lowLatency = useLowLatency(camera.id, playing, steering && !cameraDown && !rewind);
  const [llShowing, setLlShowing] = useState(false);
  const webrtc = llShowing && lowLatency.phase === 'live';
  const phase = cameraDown ? 'offline' : player.phase;
  const reason = cameraDown
    ? status?.reason
      ? t('player.cameraOfflineReason', { reason: reasonText(status.reason, t) })
      : t('player.cameraOffline')
    : player.reason
      ? t(player.reason.key, player.reason.params)
      : undefined;

  const tag = () => {
    const video = mediaRef.current?.video;
    try {
      if (!video || phase !== 'live') throw new CaptureError('not-live', 'not playing');
      // The moment shown, taken before encoding: now when live; in rewind, the playing moment from the fragments'
      // PROGRAM-DATE-TIME, so the danger's evidence clip (30 s either side) is centred on what the operator saw.
      const m = mediaRef.current;
      const frags = rewind ? m?.hls?.levels[m.hls.currentLevel >= 0 ? m.hls.currentLevel : 0]?.details?.fragments : undefined;
      const capturedAt = new Date((frags && m ? wallTimeAt(frags, m.video.currentTime) : null) ?? Date.now()).toISOString();
      onTag(camera, captureFrame(video), capturedAt);
    } catch (err) {
      setNotice(err instanceof CaptureError && err.code === 'not-live' ? t('tag.notLive') : t('tag.captureFailed', { message: String((err as Error).message ?? err) }));
    }
  };
  const stop = (fn: () => void) => (e: MouseEvent) => {
    e.stopPropagation();
    fn();
  };

  return (
    <>
      <header
        ref={headRef}
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
        <span className={`tile-state ${rewind && phase === 'live' ? 'rewind' : phase}`} title={reason}>
          {rewind && phase === 'live' ? t(rewind.day === null ? 'rewind.state' : 'playback.state') : t(`player.${phase}`)}
        </span>
        {phase === 'live' && !rewind && (
          <span
            className={`tile-transport ${webrtc ? 'webrtc' : 'hls'}`}
            data-transport={webrtc ? 'webrtc' : 'hls'}
            data-ll-phase={lowLatency.phase}
            title={lowLatency.phase === 'refused' || lowLatency.phase === 'failed'
              ? t('transport.fallback', { reason: lowLatency.reason ?? '' })
              : t(webrtc ? 'transport.webrtcTitle' : 'transport.hlsTitle')}
          >
            {t(webrtc ? 'transport.webrtc' : 'transport.hls')}
          </span>
        )}
        <button type="button" className="tile-btn" title={rewind ? t('rewind.live') : t('rewind.button')} aria-label={rewind ? t('rewind.live') : t('rewind.button')} aria-pressed={!!rewind} data-action="rewind" onClick={stop(() => (rewind ? setRewind(null) : startRewind()))} onDoubleClick={(e) => e.stopPropagation()}>
          ⟲
        </button>
        <button type="button" className="tile-btn tag" title={t('tag.button')} aria-label={t('tag.button')} data-action="tag" disabled={phase !== 'live'} onClick={stop(tag)} onDoubleClick={(e) => e.stopPropagation()}>
          <FlagIcon />
        </button>
        <button type="button" className="tile-btn" title={muted ? t('tile.unmute') : t('tile.mute')} aria-label={muted ? t('tile.unmute') : t('tile.mute')} aria-pressed={!muted} data-action="mute" onClick={stop(() => setMuted((m) => !m))} onDoubleClick={(e) => e.stopPropagation()}>
          <SpeakerIcon muted={muted} />
        </button>
        <button type="button" className="tile-btn" title={fullscreen ? t('tile.exitFullscreen') : t('tile.fullscreen')} aria-label={fullscreen ? t('tile.exitFullscreen') : t('tile.fullscreen')} data-action="fullscreen" onClick={stop(toggleFullscreen)} onDoubleClick={(e) => e.stopPropagation()}>
          <FullscreenIcon exit={fullscreen} />
        </button>
        <button
          type="button"
          className="tile-close"
          aria-label={t('wall.close')}
          title={t('wall.close')}
          data-action="remove"
          onClick={stop(() => dispatch({ type: 'remove', slot }))}
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
            key={rewind ? `r${pastSource}${deviceScale}:${rewind.startMs}` : attempt}
            src={pastWindow
              // A device replay starts where the player starts: the camera sends from that moment on.
              ? (pastSource === 'device' ? devicePlaybackUrl(camera.id, rewind!.startMs, pastWindow.toMs, deviceScale) : playbackUrl(camera.id, pastWindow.fromMs, pastWindow.toMs))
              : liveUrl(camera, playing)}
            startAtWall={rewind?.startMs}
            cameraId={camera.id}
            muted={muted}
            mediaRef={mediaRef}
            onState={setPlayer}
            onRetry={() => setAttempt((n) => n + 1)}
          />
        )}
        {!cameraDown && !rewind && lowLatency.stream && (
          <LowLatencyVideo cameraId={camera.id} stream={lowLatency.stream} onShowing={setLlShowing} />
        )}
        {!cameraDown && !rewind && <PtzOverlay cameraId={camera.id} onSteer={setSteering} />}
        {/* The latency reading is hls.js's: not shown while the WebRTC picture is on screen. */}
        {!cameraDown && !rewind && <TileInfo cameraId={camera.id} stream={playing} mediaRef={mediaRef} live={phase === 'live' && !webrtc} />}
        {rewind && (
          <RewindBar
            cameraId={camera.id}
            view={rewind}
            mediaRef={mediaRef}
            onReload={reloadAt}
            onLive={() => setRewind(null)}
            onDay={pickDay}
            source={pastSource}
            onSource={setPastSource}
            onDeviceSpeed={(speed, atMs) => { setDeviceScale(speed); reloadAt(atMs); }}
          />
        )}
        {notice && (
          <div className="tile-notice" role="status">
            {notice}
          </div>
        )}
      </div>
    </>
  );
}
