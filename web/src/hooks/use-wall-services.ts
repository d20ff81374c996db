// What wall tiles get from the page without threading props through the grid: the tag-a-danger action and the
// relay figures (codec, resolution, fps, bitrate, viewers) polled from /api/live/relays.
import { createContext, useContext, useEffect, useState } from 'react';
import { dispatchApi, type RelayInfo } from '../api/dispatch-api';
import type { TileCamera } from '../components/wall/wall-state';

export interface WallServices {
  /** Opens the tag dialog for a frame captured from a tile. */
  onTag: (camera: TileCamera, evidenceJpeg: string, capturedAt: string) => void;
  relays: ReadonlyMap<string, RelayInfo>;
}

export const WallServicesContext = createContext<WallServices>({ onTag: () => {}, relays: new Map() });

export const useWallServices = (): WallServices => useContext(WallServicesContext);

const POLL_MS = 5_000;

/** Relay figures while something plays; one request for the whole wall, not one per tile. */
/** Relays are per camera and stream (main, sub-stream). */
export const relayKey = (cameraId: number, stream: RelayInfo['stream']): string => `${cameraId}:${stream}`;

export function useRelays(active: boolean): ReadonlyMap<string, RelayInfo> {
  const [relays, setRelays] = useState<ReadonlyMap<string, RelayInfo>>(new Map());
  useEffect(() => {
    if (!active) return;
    let abort = new AbortController();
    const load = () => {
      abort.abort();
      abort = new AbortController();
      dispatchApi.relays(abort.signal).then(
        (list) => setRelays(new Map(list.map((r) => [relayKey(r.cameraId, r.stream), r]))),
        () => { /* figures are a nicety: keep the last ones */ },
      );
    };
    // The first figures appear once relays have started: ask soon, then every few seconds.
    const first = setTimeout(load, 1_500);
    const timer = setInterval(load, POLL_MS);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
      abort.abort();
    };
  }, [active]);
  return relays;
}
