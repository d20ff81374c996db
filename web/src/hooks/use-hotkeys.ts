import { useEffect, useRef } from 'react';
import { wallKeyAction, type WallKeyAction } from '../lib/hotkeys';

/**
 * Wall keys, ignored while typing: 1/4/9/0(=16)/6(=1+5) switch the layout, Escape leaves a blown-up tile,
 * Delete closes the selected tile.
 */
export function useWallHotkeys(onAction: (action: WallKeyAction) => void): void {
  const ref = useRef(onAction);
  useEffect(() => {
    ref.current = onAction;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = wallKeyAction(event, event.target instanceof HTMLElement ? event.target : null);
      if (!action) return;
      event.preventDefault();
      ref.current(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
