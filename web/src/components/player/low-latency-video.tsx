// The WebRTC picture of a steered tile, laid over the HLS player. It stays transparent until it has drawn a frame,
// so the tile never blanks while switching; the HLS player keeps playing underneath and takes over again at once
// if the low-latency session ends or fails.
import { useEffect, useRef, useState } from 'react';

interface Props {
  cameraId: number;
  stream: MediaStream | null;
  /** Told when the picture shows (a frame was drawn) and when it stops. */
  onShowing?: (showing: boolean) => void;
}

export function LowLatencyVideo({ cameraId, stream, onShowing }: Props) {
  const ref = useRef<HTMLVideoElement>(null);
  const [showing, setShowing] = useState(false);
  const onShowingRef = useRef(onShowing);
  useEffect(() => { onShowingRef.current = onShowing; });
  useEffect(() => onShowingRef.current?.(showing), [showing]);

  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    setShowing(false);
    if (!stream) { video.srcObject = null; return; }
    video.srcObject = stream;
    let handle = 0;
    const shown = () => setShowing(true);
    // The first decoded frame, not 'playing' (which may fire before anything is drawn).
    const v: HTMLVideoElement = video;
    if (typeof v.requestVideoFrameCallback === 'function') handle = v.requestVideoFrameCallback(shown);
    else v.addEventListener('loadeddata', shown, { once: true });
    void video.play().catch(() => { /* muted autoplay passes */ });
    return () => {
      if (handle) video.cancelVideoFrameCallback(handle);
      video.removeEventListener('loadeddata', shown);
      video.srcObject = null;
    };
  }, [stream]);

  return (
    <video
      ref={ref}
      className={`player-video low-latency${showing ? ' showing' : ''}`}
      data-ll-camera-id={cameraId}
      data-state={showing ? 'live' : 'connecting'}
      muted
      autoPlay
      playsInline
      disablePictureInPicture
    />
  );
}
