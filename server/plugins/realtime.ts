// socket.io on the gateway's HTTP server, signed in with the same session cookie. Each socket joins the room of
// its user's org unit; an event about a unit goes to that unit's room and every ancestor's, so a township's news
// reaches its officers and the county, and never a sibling township.
import fp from 'fastify-plugin';
import { Server } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../contracts/events';
import { publicUser } from '../db/repositories/users';
import { pathIds } from '../domain/scope';

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

declare module 'fastify' {
  interface FastifyInstance {
    realtime: {
      io: RealtimeServer;
      /** Emits to everyone who may see the unit at `orgPath` (the unit and its ancestors). */
      toUnit<E extends keyof ServerToClientEvents>(orgPath: string, event: E, ...args: Parameters<ServerToClientEvents[E]>): void;
    };
  }
}

export const unitRoom = (id: number) => `org:${id}`;

export default fp(
  async (app) => {
    const io: RealtimeServer = new Server(app.server, {
      serveClient: false,
      // Same-origin only: a page from another origin must not ride the session cookie over a WebSocket.
      allowRequest: (req, callback) => {
        const origin = req.headers.origin;
        callback(null, !origin || new URL(origin).host === req.headers.host);
      },
    });

    io.use(async (socket, next) => {
      try {
        const session = await app.sessions.fromCookieHeader(socket.handshake.headers.cookie);
        if (!session) return next(new Error('unauthorized'));
        socket.data.user = publicUser(session.user);
        socket.data.scopePath = session.user.scopePath;
        next();
      } catch (err) {
        next(err as Error);
      }
    });

    io.on('connection', (socket) => {
      socket.join(unitRoom(socket.data.user.orgUnitId));
      socket.emit('session:ready', { user: socket.data.user });
      socket.on('ping', (ack) => {
        if (typeof ack === 'function') ack({ serverTime: new Date().toISOString() });
      });
    });

    app.decorate('realtime', {
      io,
      toUnit(orgPath, event, ...args) {
        io.to(pathIds(orgPath).map(unitRoom)).emit(event, ...args);
      },
    });
    // Not io.close(): that also closes the HTTP server, which Fastify closes itself.
    app.addHook('preClose', async () => {
      io.disconnectSockets(true);
      io.engine.close();
    });
  },
  { name: 'realtime', dependencies: ['auth'] },
);
