// A socket.io client of the events bench, as the web console's is: websocket transport, automatic reconnection,
// and after a reconnect `events:since` from the last event it handled, page by page.
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, PatrolStatusEvent, ReplayResult, ServerToClientEvents, TaskReceivedEvent } from '../../../server/contracts/events';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Every socket opened, so that the bench can close them all whatever state it stops in. */
export const sockets: ClientSocket[] = [];

/** One client: remembers every task:received by seq (live or replayed) with the time it arrived. */
export interface Client {
  socket: ClientSocket;
  unitId: number;
  lastSeq: number;
  received: Map<number, { taskId: number; at: number; replayed: boolean }>;
  waiters: Map<number, () => void>;
  reconnects: number;
  /** patrol:status arrivals by `${runId}:${marked}` (the patrol round), and who waits for one. */
  patrol: Map<string, number>;
  patrolWaiters: Map<string, () => void>;
}

export function openClient(base: string, cookie: string, unitId: number): Promise<Client> {
  const socket: ClientSocket = connect(base, {
    transports: ['websocket'], extraHeaders: { cookie }, forceNew: true,
    reconnection: true, reconnectionDelay: 300, reconnectionDelayMax: 1000, randomizationFactor: 0.5,
  });
  sockets.push(socket);
  const client: Client = { socket, unitId, lastSeq: 0, received: new Map(), waiters: new Map(), reconnects: 0, patrol: new Map(), patrolWaiters: new Map() };
  socket.on('patrol:status', (e: PatrolStatusEvent) => {
    if (e.orgUnitId !== unitId || e.action !== 'mark') return;
    const key = `${e.runId}:${e.marked}`;
    if (client.patrol.has(key)) return;
    client.patrol.set(key, performance.now());
    client.patrolWaiters.get(key)?.();
  });
  const take = (e: TaskReceivedEvent, replayed: boolean) => {
    if (e.toUnitId !== unitId || client.received.has(e.seq)) return;
    client.received.set(e.seq, { taskId: e.taskId, at: performance.now(), replayed });
    client.lastSeq = Math.max(client.lastSeq, e.seq);
    client.waiters.get(e.taskId)?.();
  };
  socket.on('task:received', (e) => take(e, false));
  // Replay from the last event handled *before* the drop: after reconnecting, live events can arrive ahead of
  // session:ready (the server joins the room first), and resuming from those would skip the gap.
  let resumeFrom = 0;
  socket.on('disconnect', () => {
    resumeFrom = client.lastSeq;
  });
  let first = true;
  return new Promise((resolveClient, reject) => {
    socket.on('session:ready', async ({ lastSeq }) => {
      if (first) {
        first = false;
        client.lastSeq = lastSeq;
        resolveClient(client);
        return;
      }
      // Reconnected: ask for everything since the last event handled, page by page.
      client.reconnects++;
      let from = resumeFrom;
      for (;;) {
        const page = await new Promise<ReplayResult>((r) => socket.emit('events:since', from, r));
        for (const e of page.events) if (e.event === 'task:received') take(e.payload, true);
        from = page.events.at(-1)?.payload.seq ?? from;
        client.lastSeq = Math.max(client.lastSeq, from);
        if (!page.more) break;
      }
      socket.emit('ping', () => undefined);
    });
    socket.once('connect_error', reject);
  });
}
