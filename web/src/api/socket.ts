// The one socket.io connection, typed from the shared event map. Hooks subscribe to it; nothing else connects.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../server/contracts/events';

export type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type { CameraStatusEvent } from '../../../server/contracts/events';

let socket: ConsoleSocket | null = null;
const connectionListeners = new Set<(connected: boolean) => void>();

/** Connects on first use (after login: the handshake carries the session cookie). */
export function getSocket(): ConsoleSocket {
  if (!socket) {
    socket = io({ path: '/socket.io', withCredentials: true, reconnectionDelayMax: 10_000 });
    socket.on('connect', () => connectionListeners.forEach((l) => l(true)));
    socket.on('disconnect', () => connectionListeners.forEach((l) => l(false)));
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
  socket?.disconnect();
  socket = null;
  connectionListeners.forEach((l) => l(false));
}
