// A camera's still picture on the resident page, behind the play button. Loaded lazily (only when the card comes
// near the screen), refreshed every THUMB_REFRESH_MS while the card is on screen and the page is visible (a phone
// in a pocket or a card scrolled away asks for nothing), and a neutral placeholder — the card's own dark
// background — whenever the snapshot fails (camera down, link ended). A refresh loads off screen first, so the
// old picture stays until the new one is there.
import { type RefObject, useEffect, useRef, useState } from 'react';
import { THUMB_REFRESH_MS, thumbnailUrl } from './resident-logic';

type ThumbState = 'loading' | 'loaded' | 'failed';

export function ResidentThumb({ snapshotUrl }: { snapshotUrl?: string }) {
  const img = useRef<HTMLImageElement>(null);
  const [src, setSrc] = useState(snapshotUrl);
  const [state, setState] = useState<ThumbState>(snapshotUrl ? 'loading' : 'failed');
  const onScreen = useOnScreen(img, !!src);

  useEffect(() => {
    setSrc(snapshotUrl);
    setState(snapshotUrl ? 'loading' : 'failed');
  }, [snapshotUrl]);

  useEffect(() => {
    if (!snapshotUrl || !onScreen) return;
    let refresh = 0;
    let pending: HTMLImageElement | null = null;
    const timer = setInterval(() => {
      if (document.visibilityState !== 'visible') return;
      const next = thumbnailUrl(snapshotUrl, ++refresh);
      const loader = new Image();
      pending = loader;
      loader.onload = () => {
        if (pending !== loader) return;
        setSrc(next);
        setState('loaded');
      };
      loader.onerror = () => {
        if (pending === loader) setState('failed');
      };
      loader.src = next;
    }, THUMB_REFRESH_MS);
    return () => {
      clearInterval(timer);
      pending = null;
    };
  }, [snapshotUrl, onScreen]);

  if (!src) return null;
  return (
    <img
      ref={img}
      className="resident-thumb"
      data-testid="resident-thumb"
      data-state={state}
      src={src}
      alt=""
      loading="lazy"
      decoding="async"
      draggable={false}
      onLoad={() => setState('loaded')}
      onError={() => setState('failed')}
    />
  );
}

/** Whether the element is in (or near) the viewport; true where IntersectionObserver is missing. */
function useOnScreen(ref: RefObject<HTMLElement | null>, mounted: boolean): boolean {
  const [on, setOn] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (typeof IntersectionObserver === 'undefined') {
      setOn(true);
      return;
    }
    const observer = new IntersectionObserver((entries) => setOn(entries.some((e) => e.isIntersecting)), { rootMargin: '100px' });
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref, mounted]);
  return on;
}
