// The socket.io event map, shared by server (Server<ClientToServerEvents, ServerToClientEvents>)
// and web (Socket<ServerToClientEvents, ClientToServerEvents>). Types only: no runtime code here.
import type { CameraStatus, User } from './api';

export interface CameraStatusEvent {
  cameraId: number;
  orgUnitId: number;
  status: CameraStatus;
  reason: string | null;
  lastSeenAt: string | null;
}

export interface ServerToClientEvents {
  /** Sent once after connecting: who the server thinks you are. */
  'session:ready': (payload: { user: User }) => void;
  'camera:status': (payload: CameraStatusEvent) => void;
}

export interface ClientToServerEvents {
  /** Liveness check with acknowledgement; also used by tests to measure round trips. */
  ping: (ack: (payload: { serverTime: string }) => void) => void;
}

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  user: User;
  /** Path of the user's org unit, e.g. "/1/3/": a socket may only hear about units at or below it. */
  scopePath: string;
}
