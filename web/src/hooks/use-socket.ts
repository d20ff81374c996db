// Hooks over the single socket.io connection (api/socket.ts).
import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { ServerToClientEvents } from '../../../server/contracts/events';
import { getSocket, isSocketConnected, onDurable, onResync, onSocketConnection, type DurableEventName } from '../api/socket';

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

/**
 * Subscribe to a durable event (one with a seq) through the socket module, which drops duplicates from the replay
 * after a reconnect. The payload comes from the network: the handler checks its shape.
 */
export function useDurableEvent(event: DurableEventName, handler: (payload: unknown) => void): void {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  useEffect(() => onDurable(event, (payload) => ref.current(payload)), [event]);
}

/** Called after each reconnect's replay; `complete` false means some events were lost: re-read from REST. */
export function useResync(handler: (complete: boolean) => void): void {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  useEffect(() => onResync((complete) => ref.current(complete)), []);
}
