// Both node:net and node:http servers: resolve once listening, reject with the bind error (EADDRINUSE, …).
import type { Server } from 'node:net';

export function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, backlog: 64 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
