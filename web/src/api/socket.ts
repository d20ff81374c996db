// The one socket.io connection, typed from the shared event map. Hooks subscribe to it; nothing else connects.
import { io, type Socket } from 'socket.io-client';
import { request } from './http';
import type { ClientToServerEvents, DurableEvent, ServerToClientEvents } from '../../../server/contracts/events';

export type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type { CameraStatusEvent, DurableEvent } from '../../../server/contracts/events';

let socket: ConsoleSocket | null = null;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let retries = 0;
const connectionListeners = new Set<(connected: boolean) => void>();
const notify = (connected: boolean) => connectionListeners.forEach((l) => l(connected));

/**
 * socket.io gives up by itself in two cases: the server disconnected us on purpose (a restart calls
 * disconnectSockets) and the handshake middleware refused us. Keep trying with a capped backoff; if the refusal
 * is because the session is gone, the 401 from /api/auth/me sends the user back to the login page.
 */
function scheduleReconnect(s: ConsoleSocket): void {
  clearTimeout(retryTimer);
  const delay = Math.min(30_000, 1_000 * 2 ** retries++);
  retryTimer = setTimeout(() => {
    if (socket === s && !s.connected) s.connect();
  }, delay);
}

/** Connects on first use (after login: the handshake carries the session cookie). */
export function getSocket(): ConsoleSocket {
  if (!socket) {
    const s: ConsoleSocket = io({ path: '/socket.io', withCredentials: true, reconnectionDelayMax: 10_000 });
    socket = s;
    s.on('connect', () => {
      retries = 0;
      clearTimeout(retryTimer);
      notify(true);
    });
    s.on('disconnect', (reason) => {
      notify(false);
      if (reason === 'io server disconnect') scheduleReconnect(s);
    });
    s.on('connect_error', (err) => {
      notify(false);
      if (s.active) return; // transport trouble: socket.io retries on its own
      if (/unauthori[sz]ed/i.test(err.message)) void request('GET', '/api/auth/me').catch(() => {});
      scheduleReconnect(s);
    });
  }
  return socket;
}

export function isSocketConnected(): boolean {
  return socket?.connected ?? false;
}

export function onSocketConnection(listener: (connected: boolean) => void): () => void {
  connectionListeners.add(listener);
  return () => connectionListeners.delete(listener);
}

/** On logout: the next login gets a fresh handshake with the new cookie. */
export function closeSocket(): void {
  clearTimeout(retryTimer);
  retries = 0;
  socket?.disconnect();
  socket = null;
  notify(false);
}

/**
 * Replays what this user missed while disconnected (server event log, seq order), page by page.
 * Returns the last seq seen and whether the log had more than `maxPages` pages (then reload what matters instead).
 */
export async function replaySince(
  since: number,
  onEvent: (event: DurableEvent) => void,
  maxPages = 4,
): Promise<{ lastSeq: number; complete: boolean }> {
  const s = getSocket();
  let lastSeq = since;
  for (let page = 0; page < maxPages; page++) {
    const result = await s.timeout(10_000).emitWithAck('events:since', lastSeq);
    for (const event of result.events) {
      if (typeof event.payload.seq === 'number') lastSeq = Math.max(lastSeq, event.payload.seq);
      onEvent(event);
    }
    if (!result.more) return { lastSeq, complete: true };
  }
  return { lastSeq, complete: false };
}
