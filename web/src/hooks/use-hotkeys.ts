import { useEffect, useRef } from 'react';
import type { LayoutId } from '../components/wall/wall-state';
import { layoutForKey } from '../lib/hotkeys';

/** 1/4/9/0(=16)/6(=1+5) switch the wall layout unless focus is in a text field. */
export function useLayoutHotkeys(onLayout: (layout: LayoutId) => void): void {
  const ref = useRef(onLayout);
  useEffect(() => {
    ref.current = onLayout;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const layout = layoutForKey(event, event.target instanceof HTMLElement ? event.target : null);
      if (!layout) return;
      event.preventDefault();
      ref.current(layout);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
