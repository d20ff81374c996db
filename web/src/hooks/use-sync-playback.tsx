// The wall's synchronised playback (多画面同步回放): one clock every tile of the layout follows. A seek, pause or
// speed change in any tile's bar moves the clock, and so every tile.
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { pauseClock, rateClock, seekClock, startClock, type SyncClock } from '../lib/sync-clock';

export interface SyncPlayback {
  clock: SyncClock | null;
  start: (wallMs: number) => void;
  stop: () => void;
  seek: (wallMs: number) => void;
  pause: (paused: boolean) => void;
  rate: (rate: number) => void;
}

const noop = () => {};
const SyncPlaybackContext = createContext<SyncPlayback>({ clock: null, start: noop, stop: noop, seek: noop, pause: noop, rate: noop });

export const useSyncPlayback = (): SyncPlayback => useContext(SyncPlaybackContext);

export function SyncPlaybackProvider({ children }: { children: ReactNode }) {
  const [clock, setClock] = useState<SyncClock | null>(null);
  const sessions = useRef(0);
  const start = useCallback((wallMs: number) => setClock(startClock(++sessions.current, wallMs, Date.now())), []);
  const stop = useCallback(() => setClock(null), []);
  const seek = useCallback((wallMs: number) => setClock((c) => c && seekClock(c, wallMs, Date.now())), []);
  const pause = useCallback((paused: boolean) => setClock((c) => c && c.paused !== paused ? pauseClock(c, paused, Date.now()) : c), []);
  const rate = useCallback((r: number) => setClock((c) => c && rateClock(c, r, Date.now())), []);
  const value = useMemo(() => ({ clock, start, stop, seek, pause, rate }), [clock, start, stop, seek, pause, rate]);
  return <SyncPlaybackContext.Provider value={value}>{children}</SyncPlaybackContext.Provider>;
}
