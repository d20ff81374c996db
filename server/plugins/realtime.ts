// socket.io on the gateway's HTTP server, signed in with the same session cookie. Each socket joins the room of
// its user's org unit; an event about a unit goes to that unit's room and every ancestor's, so a township's news
// reaches its officers and the county, and never a sibling township. Every event is first appended to the
// event log (server/db/repositories/events.ts) so a reconnecting client can replay what it missed.
// Each socket also joins the rooms of its user and of its session, so that disabling a user, changing their rights
// or ending one session disconnects the sockets concerned at once (server/users/service.ts).
// On PostgreSQL (several nodes, issue #22) the rooms span the cluster: the socket.io adapter relays every broadcast
// and disconnect through LISTEN/NOTIFY (server/db/socket-adapter.ts), so an event committed on any node reaches
// every node's sockets, and the event log they replay from is the one shared table.
import fp from 'fastify-plugin';
import { Server } from 'socket.io';
import type {
  ClientToServerEvents, DurableEventName, EventPayload, InterServerEvents, ServerToClientEvents, SocketData,
} from '../contracts/events';
import type { Queryable } from '../db/database';
import { publicUser } from '../db/repositories/users';
import { postgresSocketAdapter, type ClusterAdapter } from '../db/socket-adapter';
import { pathIds } from '../domain/scope';

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

const REPLAY_PAGE = 500;
const RETENTION_MS = 7 * 24 * 3600_000;

declare module 'fastify' {
  interface FastifyInstance {
    realtime: {
      io: RealtimeServer;
      /** Logs the event and pushes it to everyone who may see the unit at `orgPath`. */
      publish<E extends DurableEventName>(orgPath: string, event: E, payload: Omit<EventPayload<E>, 'seq'>): Promise<EventPayload<E>>;
      /** For writes in a transaction: log inside it, then call `emit` with the result after it commits. */
      record<E extends DurableEventName>(tx: Queryable, orgPath: string, event: E, payload: Omit<EventPayload<E>, 'seq'>): Promise<EventPayload<E>>;
      emit<E extends DurableEventName>(orgPath: string, event: E, payload: EventPayload<E>): void;
      /** Disconnects every socket of a user (disabled, deleted, rights changed, password reset). */
      disconnectUser(userId: number): void;
      /** Disconnects the sockets that signed in with these sessions (ended from 我的账户, or by a password change). */
      disconnectSessions(sessionIds: readonly string[]): void;
    };
  }
}

export const unitRoom = (id: number) => `org:${id}`;
export const userRoom = (id: number) => `user:${id}`;
export const sessionRoom = (publicId: string) => `session:${publicId}`;

export default fp(
  async (app) => {
    const events = app.repos.events;
    const cluster: ClusterAdapter | undefined = app.db.dialect === 'postgres'
      ? await postgresSocketAdapter(app.config.database, (err) => app.log.warn({ err }, 'socket.io cluster adapter'))
      : undefined;
    const io: RealtimeServer = new Server(app.server, {
      serveClient: false,
      ...(cluster ? { adapter: cluster.adapter } : {}),
      // Same-origin only: a page from another origin must not ride the session cookie over a WebSocket.
      allowRequest: (req, callback) => {
        const origin = req.headers.origin;
        let sameOrigin = !origin;
        try {
          sameOrigin ||= new URL(origin!).host === req.headers.host;
        } catch {
          sameOrigin = false;
        }
        callback(null, sameOrigin);
      },
    });

    io.use(async (socket, next) => {
      try {
        const session = await app.sessions.fromCookieHeader(socket.handshake.headers.cookie);
        if (!session) return next(new Error('unauthorized'));
        // Nothing but the password change is open to an account that must change its password; live events neither.
        if (session.mustChangePassword) return next(new Error('password change required'));
        socket.data.user = publicUser(session.user);
        socket.data.scopePath = session.user.scopePath;
        socket.data.sessionId = session.publicId;
        next();
      } catch (err) {
        next(err as Error);
      }
    });

    io.on('connection', async (socket) => {
      socket.join([unitRoom(socket.data.user.orgUnitId), userRoom(socket.data.user.id), sessionRoom(socket.data.sessionId)]);
      socket.on('ping', (ack) => {
        if (typeof ack === 'function') ack({ serverTime: new Date().toISOString() });
      });
      socket.on('events:since', async (since, ack) => {
        if (typeof ack !== 'function') return;
        const from = Number.isSafeInteger(since) && since >= 0 ? since : 0;
        const page = await events.since(socket.data.scopePath, from, REPLAY_PAGE + 1).catch(() => []);
        ack({ events: page.slice(0, REPLAY_PAGE), more: page.length > REPLAY_PAGE });
      });
      // The session may have ended between the handshake's check and the joins above (a user disabled at that very
      // moment): that disconnect found no socket in the rooms yet, so look once more now that it is in them.
      const [still, lastSeq] = await Promise.all([app.sessions.fromCookieHeader(socket.handshake.headers.cookie), events.lastSeq()]);
      if (still?.publicId !== socket.data.sessionId) return void socket.disconnect(true);
      socket.emit('session:ready', { user: socket.data.user, lastSeq });
    });

    function emitHere(orgPath: string, event: DurableEventName, payload: unknown) {
      // The cast is the one place the generic event name meets socket.io's overloads.
      (io.local.to(pathIds(orgPath).map(unitRoom)).emit as (e: string, p: unknown) => void)(event, payload);
    }

    /**
     * This node's sockets at once, the other nodes' through the adapter. Not io.to(rooms).emit on a cluster: the
     * cluster adapter delivers even the local copy only after its NOTIFY round trip, and a client's ping right
     * after an action would then overtake the event it caused.
     */
    function emit<E extends DurableEventName>(orgPath: string, event: E, payload: EventPayload<E>) {
      emitHere(orgPath, event, payload);
      if (cluster) io.serverSideEmit('cluster:event', orgPath, event, payload);
    }
    io.on('cluster:event', emitHere);

    /** As emit: this node's sockets at once; then every node's through the adapter (here again: a no-op by then). */
    function disconnect(rooms: string[]) {
      io.local.in(rooms).disconnectSockets(true);
      if (cluster) io.in(rooms).disconnectSockets(true);
    }

    app.decorate('realtime', {
      io,
      emit,
      disconnectUser: (userId) => disconnect([userRoom(userId)]),
      disconnectSessions: (ids) => {
        if (ids.length) disconnect(ids.map(sessionRoom));
      },
      record: (tx, orgPath, event, payload) => events.append(orgPath, event, payload, tx),
      async publish(orgPath, event, payload) {
        const stamped = await events.append(orgPath, event, payload);
        emit(orgPath, event, stamped);
        return stamped;
      },
    });

    const prune = setInterval(() => {
      events.prune(new Date(Date.now() - RETENTION_MS)).catch((err) => app.log.warn({ err }, 'event log prune failed'));
    }, 3600_000).unref();

    // Not io.close(): that also closes the HTTP server, which Fastify closes itself.
    app.addHook('preClose', async () => {
      clearInterval(prune);
      // local: on a cluster a plain io.disconnectSockets() would reach every node's sockets through the adapter.
      io.local.disconnectSockets(true);
      io.engine.close();
      if (cluster) {
        // Tells the other nodes this one is gone, stops its heartbeat and LISTEN, then ends the adapter's pool.
        await io.of('/').adapter.close();
        await cluster.close();
      }
    });
  },
  { name: 'realtime', dependencies: ['auth'] },
);
