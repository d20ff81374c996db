// The socket.io event map, shared by server (Server<ClientToServerEvents, ServerToClientEvents>)
// and web (Socket<ServerToClientEvents, ClientToServerEvents>). Types only: no runtime code here.
//
// Durable events carry `seq`, a number from the server's event log. A client remembers the last seq it handled
// and, after a reconnect, asks `events:since` for everything after it, so nothing is lost across reconnects.
import type { CameraStatus, User } from './api';

export interface Sequenced {
  seq: number;
}

export interface CameraStatusEvent extends Sequenced {
  cameraId: number;
  orgUnitId: number;
  status: CameraStatus;
  reason: string | null;
  lastSeenAt: string | null;
}

/** Events that go through the event log (every server → client event but the session greeting). */
export interface DurableEvents {
  'camera:status': (payload: CameraStatusEvent) => void;
}

export interface ServerToClientEvents extends DurableEvents {
  /** Sent once after connecting: who the server thinks you are, and the newest seq at that moment. */
  'session:ready': (payload: { user: User; lastSeq: number }) => void;
}

export type DurableEventName = keyof DurableEvents;
export type EventPayload<E extends DurableEventName> = Parameters<DurableEvents[E]>[0];
export type DurableEvent = { [E in DurableEventName]: { event: E; payload: EventPayload<E> } }[DurableEventName];

export interface ReplayResult {
  events: DurableEvent[];
  /** True when more than one page was missed: call again with the last seq received. */
  more: boolean;
}

export interface ClientToServerEvents {
  /** Liveness check with acknowledgement; also used by tests to measure round trips. */
  ping: (ack: (payload: { serverTime: string }) => void) => void;
  /** Everything visible to this user with seq greater than `since`, oldest first, at most 500 per call. */
  'events:since': (since: number, ack: (result: ReplayResult) => void) => void;
}

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  user: User;
  /** Path of the user's org unit, e.g. "/1/3/": a socket may only hear about units at or below it. */
  scopePath: string;
}
