// A TCP port free on 127.0.0.1 right now: bound and released at once, for a server (a gateway, PostgreSQL, nginx)
// that a test or bench starts a moment later. Loopback only.
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
