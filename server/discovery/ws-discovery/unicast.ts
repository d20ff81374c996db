// Directed unicast WS-Discovery: a Probe to UDP 3702 of each listed host, from one socket, a bounded number in
// flight, each host given `timeoutMs` to answer (with one resend, as WS-Discovery's UDP retransmission asks).
// The onvif package can only multicast; this never does. Answers are matched to hosts by RelatesTo.
import { createSocket, type Socket } from 'node:dgram';
import { type ProbeMatch, parseProbeMatch, probeMessage } from './messages';

export const WSD_PORT = 3702;
const MAX_DATAGRAM = 64 * 1024;

export interface UnicastOptions {
  timeoutMs: number;
  concurrency: number;
  port?: number;
  signal?: AbortSignal;
  /** Called once per host, in completion order: a match, or null when nothing answered. */
  onHost(host: string, match: ProbeMatch | null): void | Promise<void>;
}

export async function probeUnicast(hosts: string[], opts: UnicastOptions): Promise<void> {
  const port = opts.port ?? WSD_PORT;
  const socket: Socket = createSocket({ type: 'udp4' });
  const pending = new Map<string, (match: ProbeMatch) => void>();
  socket.on('message', (msg, rinfo) => {
    if (msg.length > MAX_DATAGRAM) return;
    const match = parseProbeMatch(msg.toString('utf8'));
    if (!match) return;
    // RelatesTo names our Probe; a device that omits it is matched by the address it answered from.
    const key = match.relatesTo && pending.has(match.relatesTo) ? match.relatesTo : `host:${rinfo.address}`;
    pending.get(key)?.(match);
  });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, () => {
      socket.off('error', reject);
      resolve();
    });
  });

  const probeOne = (host: string): Promise<ProbeMatch | null> =>
    new Promise((resolve) => {
      const { messageId, xml } = probeMessage();
      const datagram = Buffer.from(xml, 'utf8');
      const timers: NodeJS.Timeout[] = [];
      const done = (match: ProbeMatch | null) => {
        timers.forEach(clearTimeout);
        pending.delete(messageId);
        pending.delete(`host:${host}`);
        resolve(match);
      };
      pending.set(messageId, done);
      pending.set(`host:${host}`, done);
      const send = () => socket.send(datagram, port, host, () => undefined);
      send();
      timers.push(setTimeout(send, Math.floor(opts.timeoutMs / 3)));
      timers.push(setTimeout(() => done(null), opts.timeoutMs));
      opts.signal?.addEventListener('abort', () => done(null), { once: true });
    });

  let next = 0;
  const worker = async () => {
    while (next < hosts.length && !opts.signal?.aborted) {
      const host = hosts[next++];
      const match = await probeOne(host);
      await opts.onHost(host, match);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, hosts.length) }, worker));
  } finally {
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
