// Small node:net / node:http helpers shared by the simulator's RTSP, ONVIF and control servers.
import type { Server } from 'node:net';

/** Resolves once listening; rejects with the bind error (EADDRINUSE, …). */
export function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, backlog: 64 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Collects a request body as text, destroying the request past `maxBytes` (then `onBody` is never called). */
export function readBody(req: import('node:http').IncomingMessage, maxBytes: number, onBody: (body: string) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > maxBytes) req.destroy();
    else chunks.push(c);
  });
  req.on('end', () => onBody(Buffer.concat(chunks).toString('utf8')));
  req.on('error', () => undefined);
}
