// Hooks over the single socket.io connection (api/socket.ts).
import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { ServerToClientEvents } from '../../../server/contracts/events';
import { getSocket, isSocketConnected, onSocketConnection } from '../api/socket';

/** Subscribe to one server event for the component's lifetime; the latest handler is always called. */
export function useSocketEvent<E extends keyof ServerToClientEvents>(event: E, handler: ServerToClientEvents[E]): void {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  useEffect(() => {
    const socket = getSocket();
    const listener = ((...args: Parameters<ServerToClientEvents[E]>) =>
      (ref.current as (...a: Parameters<ServerToClientEvents[E]>) => void)(...args)) as ServerToClientEvents[E];
    // socket.io's typed overloads do not narrow on a generic event name; the map above keeps callers typed.
    (socket.on as (e: E, l: ServerToClientEvents[E]) => void)(event, listener);
    return () => {
      (socket.off as (e: E, l: ServerToClientEvents[E]) => void)(event, listener);
    };
  }, [event]);
}

export function useSocketConnected(): boolean {
  return useSyncExternalStore(
    (notify) => {
      getSocket();
      return onSocketConnection(notify);
    },
    isSocketConnected,
    () => false,
  );
}
