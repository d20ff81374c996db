// The one socket.io connection, typed from the shared event map. Hooks subscribe to it; nothing else connects.
import { io, type Socket } from 'socket.io-client';
import { request } from './http';
import { SeqTracker } from '../lib/seq-tracker';
import type {
  ClientToServerEvents, DurableEvent, DurableEventName, ServerToClientEvents,
} from '../../../server/contracts/events';

export type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type { CameraStatusEvent, DurableEvent, DurableEventName, EventPayload } from '../../../server/contracts/events';

/** Every durable event name; the Record makes the compiler insist the list matches the contract. */
const DURABLE_NAMES = Object.keys({
  'camera:status': 1, 'catalogue:imported': 1, 'discovery:progress': 1, 'discovery:result': 1, 'danger:created': 1, 'danger:recheck': 1,
  'task:received': 1, 'task:status': 1, 'task:overdue': 1, 'layout:pushed': 1, 'org:changed': 1,
  'ticket:changed': 1, 'patrol:due': 1, 'patrol:status': 1, 'patrol:overdue': 1, 'ptz:lock': 1,
} satisfies Record<DurableEventName, 1>) as DurableEventName[];

let socket: ConsoleSocket | null = null;
let tracker = new SeqTracker();
/** Bumped on every greeting and on close: a replay that belongs to an older connection stops delivering. */
let generation = 0;
type AnyListener = (payload: unknown) => void;
const durableListeners = new Map<DurableEventName, Set<AnyListener>>();
const resyncListeners = new Set<(complete: boolean) => void>();
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
    for (const name of DURABLE_NAMES) {
      (s.on as (e: string, l: AnyListener) => void)(name, (payload) => deliver(name, payload));
    }
    s.on('session:ready', (greeting) => {
      const gen = ++generation;
      const resume = tracker.greet(typeof greeting?.lastSeq === 'number' ? greeting.lastSeq : 0);
      if (resume.kind === 'replay') void catchUp(gen, resume.since, greeting?.lastSeq);
    });
    s.on('connect', () => {
      retries = 0;
      clearTimeout(retryTimer);
      notify(true);
    });
    s.on('disconnect', (reason) => {
      tracker.disconnected();
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
  generation++;
  tracker = new SeqTracker();
  retries = 0;
  socket?.disconnect();
  socket = null;
  notify(false);
}

/** Hands one durable event to its listeners unless this page already handled its seq (replay overlap). */
function deliver(name: DurableEventName, payload: unknown): void {
  const seq = (payload as { seq?: unknown } | null)?.seq;
  if (typeof seq === 'number' && !tracker.offer(seq)) return;
  durableListeners.get(name)?.forEach((listener) => {
    try {
      listener(payload);
    } catch (err) {
      console.error(`listener for ${name} failed`, err); // one broken view must not starve the others
    }
  });
}

/** After a reconnect: replay from the watermark, then tell the views (they re-read what a replay cannot fix). */
async function catchUp(gen: number, since: number, serverLastSeq: number | undefined): Promise<void> {
  let complete = false;
  try {
    const result = await replaySince(since, (event) => gen === generation && deliver(event.event, event.payload), 4, (lastSeq) => {
      if (gen === generation) tracker.replayedUpTo(lastSeq);
    });
    complete = result.complete;
  } catch (err) {
    console.warn('event replay failed', err);
  }
  if (gen !== generation) return; // disconnected again meanwhile: the next greeting resumes from the watermark
  tracker.caughtUpTo(complete ? undefined : serverLastSeq);
  resyncListeners.forEach((listener) => listener(complete));
}

/** Subscribe to a durable event, deduplicated by seq across live delivery and replay. Payloads are unchecked. */
export function onDurable<E extends DurableEventName>(event: E, listener: (payload: unknown) => void): () => void {
  getSocket();
  let set = durableListeners.get(event);
  if (!set) durableListeners.set(event, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

/** Called after every reconnect's replay; `complete` false means events were missed: reload lists. */
export function onResync(listener: (complete: boolean) => void): () => void {
  resyncListeners.add(listener);
  return () => resyncListeners.delete(listener);
}

/**
 * Replays what this user missed while disconnected (server event log, seq order), page by page.
 * Returns the last seq seen and whether the log had more than `maxPages` pages (then reload what matters instead).
 */
export async function replaySince(
  since: number,
  onEvent: (event: DurableEvent) => void,
  maxPages = 4,
  onPage?: (lastSeq: number) => void,
): Promise<{ lastSeq: number; complete: boolean }> {
  const s = getSocket();
  let lastSeq = since;
  for (let page = 0; page < maxPages; page++) {
    const result = await s.timeout(10_000).emitWithAck('events:since', lastSeq);
    for (const event of result.events) {
      if (typeof event.payload.seq === 'number') lastSeq = Math.max(lastSeq, event.payload.seq);
      onEvent(event);
    }
    onPage?.(lastSeq);
    if (!result.more) return { lastSeq, complete: true };
  }
  return { lastSeq, complete: false };
}
