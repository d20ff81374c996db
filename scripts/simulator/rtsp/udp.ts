// RTP over UDP: a socket pair (even RTP port, RTCP on the next one) on the camera's own address per track.
// Cameras pick ports from a range; so do we, with a bounded number of attempts.
import { type Socket, createSocket } from 'node:dgram';
import { randomInt } from 'node:crypto';

export interface UdpPair {
  rtp: Socket;
  rtcp: Socket;
  port: number;
}

const ATTEMPTS = 20;

function bindOne(host: string, port: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => { s.close(); resolve(undefined); });
    s.bind(port, host, () => {
      s.removeAllListeners('error');
      s.on('error', () => undefined); // e.g. ICMP port unreachable after the client left
      resolve(s);
    });
  });
}

export async function bindRtpPair(host: string): Promise<UdpPair> {
  for (let i = 0; i < ATTEMPTS; i++) {
    const port = 2 * randomInt(10_000, 30_000); // even, 20000–59998
    const rtp = await bindOne(host, port);
    if (!rtp) continue;
    const rtcp = await bindOne(host, port + 1);
    if (rtcp) return { rtp, rtcp, port };
    rtp.close();
  }
  throw new Error(`no free RTP/RTCP port pair on ${host}`);
}

export function closePair(p: UdpPair): void {
  for (const s of [p.rtp, p.rtcp]) {
    try {
      s.close();
    } catch {
      // already closed
    }
  }
}
