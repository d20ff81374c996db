// Live HLS player for one wall tile. hls.js is created per source and destroyed in the effect cleanup
// whenever the source changes (frigate-style), so a tile never leaks a loader or a MediaSource.
import Hls, { type ErrorData } from 'hls.js';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../hooks/use-i18n';
import { playerTimeAt } from '../../lib/rewind-logic';
import { errorBodyMessage, HEVC_PROBE, hevcBlocked, playPath, recoveryFor, withHevcCapability, type PlayPath, type Reason } from './player-logic';

export type PlayerPhase = 'connecting' | 'live' | 'offline';

export interface PlayerState {
  phase: PlayerPhase;
  reason?: Reason;
}

const PATH_LABEL = { native: 'player.path.native', transcoded: 'player.path.transcoded' } as const;
const PATH_WHY = { native: 'player.pathWhy.native', transcoded: 'player.pathWhy.transcoded' } as const;

/** What a tile may read from a playing player: the element (capture, fullscreen) and hls.js (latency). */
export interface PlayerMedia {
  video: HTMLVideoElement;
  hls: Hls | null;
}

interface Props {
  src: string;
  cameraId: number;
  muted?: boolean;
  /** Filled while the player runs, emptied on cleanup. */
  mediaRef?: { current: PlayerMedia | null };
  onState?: (state: PlayerState) => void;
  /** Offered on the offline overlay; the tile remounts the player. */
  onRetry?: () => void;
  /** A playback (VOD) playlist: start at this wall-clock time (ms), found through EXT-X-PROGRAM-DATE-TIME. */
  startAtWall?: number;
}

const HLS_MIME = 'application/vnd.apple.mpegurl';

const HLS_CONFIG: Partial<Hls['config']> = {
  lowLatencyMode: true,
  liveSyncDurationCount: 2,
  liveMaxLatencyDurationCount: 6,
  maxLiveSyncPlaybackRate: 1.5, // catch up smoothly instead of jumping after a stall
  backBufferLength: 10, // 16 tiles × long back buffers would eat the operator PC's memory
  maxBufferLength: 10,
  enableWorker: true,
  manifestLoadPolicy: {
    default: {
      maxTimeToFirstByteMs: 8_000,
      maxLoadTimeMs: 10_000,
      timeoutRetry: { maxNumRetry: 1, retryDelayMs: 0, maxRetryDelayMs: 0 },
      errorRetry: null, // we own retries: a 503 (relay cap) must not be hammered
    },
  },
};

const canDecode = (type: string): boolean =>
  typeof MediaSource !== 'undefined' && typeof MediaSource.isTypeSupported === 'function' && MediaSource.isTypeSupported(type);

function httpDetails(data: ErrorData): { status?: number; message?: string } {
  const status = data.response?.code;
  const xhr = data.networkDetails;
  const text = typeof XMLHttpRequest !== 'undefined' && xhr instanceof XMLHttpRequest && (xhr.responseType === '' || xhr.responseType === 'text')
    ? xhr.responseText
    : undefined;
  return { status: typeof status === 'number' && status > 0 ? status : undefined, message: errorBodyMessage(text) };
}

export function HlsPlayer({ src, cameraId, muted = true, mediaRef, onState, onRetry, startAtWall }: Props) {
  const { t } = useI18n();
  const videoRef = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<PlayerState>({ phase: 'connecting' });
  const [path, setPath] = useState<PlayPath | null>(null);
  const onStateRef = useRef(onState);
  useEffect(() => {
    onStateRef.current = onState;
  });

  useEffect(() => onStateRef.current?.(state), [state]);

  // React sets `muted` only as the initial attribute: keep the property in step with the toggle.
  useEffect(() => {
    if (videoRef.current) videoRef.current.muted = muted;
  }, [muted]);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    let hls: Hls | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempts = 0;
    let mediaRecoveries = 0;
    let failed = false;

    setState({ phase: 'connecting' });
    setPath(null);
    // Live playlists say what this browser decodes, so an H.265 camera is transcoded only for those that need it.
    // Without MSE (iOS Safari) the <video> element itself decodes: ask it.
    const decodesHevc = canDecode(HEVC_PROBE) || (typeof MediaSource === 'undefined' && video.canPlayType(HEVC_PROBE) !== '');
    const url = startAtWall === undefined ? withHevcCapability(src, decodesHevc) : src;
    let pathHeader: string | null = null;
    const fail = (reason: Reason) => {
      failed = true;
      clearTimeout(timer);
      hls?.destroy();
      hls = null;
      setState({ phase: 'offline', reason });
    };
    const onPlaying = () => {
      if (failed) return;
      attempts = 0;
      setState({ phase: 'live' });
    };
    const play = () => void video.play().catch(() => { /* autoplay blocked: muted should pass; else stay paused */ });
    video.addEventListener('playing', onPlaying);

    const checkCodecs = (codecs: Array<string | undefined>) => {
      if (hevcBlocked(codecs, canDecode)) fail({ key: 'player.hevcUnsupported' });
    };

    if (Hls.isSupported()) {
      // Playback is VOD: no live edge to chase, a longer buffer for fast-forward.
      // Loading starts only once the playlist tells where the wall-clock start is, so the first fragment fetched is
      // the one shown (not the playlist's first, then a seek).
      hls = new Hls(startAtWall === undefined ? HLS_CONFIG : { ...HLS_CONFIG, lowLatencyMode: false, maxBufferLength: 30, backBufferLength: 30, autoStartLoad: false });
      const instance = hls;
      if (startAtWall !== undefined) {
        instance.once(Hls.Events.LEVEL_LOADED, (_e, data) => {
          const t = playerTimeAt(data.details.fragments, startAtWall) ?? 0;
          instance.startLoad(t);
          if (t > 0) video.currentTime = t;
        });
      }
      instance.on(Hls.Events.MANIFEST_LOADED, (_e, data) => {
        const xhr = data.networkDetails as unknown;
        pathHeader = typeof XMLHttpRequest !== 'undefined' && xhr instanceof XMLHttpRequest ? xhr.getResponseHeader('x-live-path') : null;
        if (pathHeader === 'transcoded') setPath('transcoded');
      });
      instance.on(Hls.Events.MANIFEST_PARSED, (_e, data) => {
        checkCodecs(data.levels.map((l) => l.videoCodec));
        if (!failed) play();
      });
      // Playlists without CODECS: the demuxer finds the codec in the first segment.
      instance.on(Hls.Events.BUFFER_CODECS, (_e, data) => {
        checkCodecs([data.video?.codec, data.audiovideo?.codec]);
        setPath(playPath(pathHeader, data.video?.codec ?? data.audiovideo?.codec));
      });
      instance.on(Hls.Events.ERROR, (_e, data) => {
        // A demuxer that cannot read HEVC says so with a non-fatal parsing error and then shows nothing:
        // turn that into the clear message instead of an endless spinner.
        if (!data.fatal && /HEVC/i.test(data.reason ?? data.error?.message ?? '')) return fail({ key: 'player.hevcUnsupported' });
        if (!data.fatal || failed) return;
        const http = httpDetails(data);
        const action = recoveryFor(
          { type: data.type, details: data.details, httpStatus: http.status, serverMessage: http.message },
          attempts,
          mediaRecoveries,
        );
        if (action.kind === 'fail') return fail(action.reason);
        if (action.kind === 'recover-media') {
          mediaRecoveries++;
          instance.recoverMediaError();
          return;
        }
        attempts++;
        setState({ phase: 'connecting', reason: action.reason });
        clearTimeout(timer);
        timer = setTimeout(() => {
          if (failed) return;
          if (action.manifest) instance.loadSource(url);
          else instance.startLoad();
        }, action.delayMs);
      });
      instance.loadSource(url);
      instance.attachMedia(video);
      if (mediaRef) mediaRef.current = { video, hls: instance };
    } else if (video.canPlayType(HLS_MIME)) {
      // Safari/iOS without MSE: the browser plays HLS itself; we only retry on errors.
      const onError = () => {
        const delayMs = Math.min(15_000, 2_000 * 2 ** attempts++);
        setState({ phase: 'connecting', reason: { key: 'player.retrying', params: { seconds: Math.round(delayMs / 1000) } } });
        clearTimeout(timer);
        timer = setTimeout(() => {
          video.src = url;
          play();
        }, delayMs);
      };
      video.addEventListener('error', onError);
      if (mediaRef) mediaRef.current = { video, hls: null };
      video.src = url;
      play();
      const cleanupNative = () => video.removeEventListener('error', onError);
      return () => {
        if (mediaRef) mediaRef.current = null;
        cleanupNative();
        video.removeEventListener('playing', onPlaying);
        clearTimeout(timer);
        video.removeAttribute('src');
        video.load();
      };
    } else {
      fail({ key: 'player.unsupported' });
    }

    return () => {
      failed = true;
      if (mediaRef) mediaRef.current = null;
      clearTimeout(timer);
      video.removeEventListener('playing', onPlaying);
      hls?.destroy();
      hls = null;
      video.removeAttribute('src');
      video.load();
    };
    // mediaRef is a stable ref object owned by the tile: not a dependency.
  }, [src]);

  return (
    <div className="player">
      <video
        ref={videoRef}
        className="player-video"
        data-camera-id={cameraId}
        data-state={state.phase}
        data-reason={state.reason?.key}
        data-path={path ?? undefined}
        muted
        autoPlay
        playsInline
        disablePictureInPicture
      />
      {path && state.phase === 'live' && (
        <span className={`player-path player-path-${path}`} title={t(PATH_WHY[path])}>
          {t(PATH_LABEL[path])}
        </span>
      )}
      {state.phase !== 'live' && (
        <div className={`player-overlay player-overlay-${state.phase}`} role="status">
          {state.phase === 'connecting' && <span className="spinner" aria-hidden />}
          <span>{state.reason ? t(state.reason.key, state.reason.params) : t(`player.${state.phase}`)}</span>
          {state.phase === 'offline' && onRetry && (
            <button type="button" className="btn small overlay-action" onClick={onRetry}>
              {t('player.retry')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
