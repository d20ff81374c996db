// Cameras that write RTSP header names in their own case (`cseq`, `www-authenticate`, `content-length`, …; names are
// case-insensitive, RFC 2326 §4.2): a proxy before a simulated camera lower-cases every response header name until
// PLAY has been answered. The relay must authenticate, read the SDP and play; the probe must read it too.
// Simulator index reserved for this file: 2162 (h264 1280x720).
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimCamera } from '../../scripts/simulator/index';
import { probeRtsp } from '../../server/discovery/rtsp-probe';
import { RelayManager } from '../../server/media/index';
import { camera, segmentNames, until } from './helpers/sim';

const INDEX = 2162;
let cam: SimCamera;
let proxy: Server;
let url = '';
const sockets = new Set<Socket>();
let lowered = 0;

/** Response heads with lower-cased names (bodies and interleaved data untouched); raw once PLAY is answered. */
function lowerCaser(write: (b: Buffer) => void): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0);
  let raw = false;
  return (chunk) => {
    if (raw) return write(chunk);
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      if (pending[0] === 0x24) { raw = true; write(pending); return; }
      const end = pending.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = pending.toString('latin1', 0, end);
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (pending.length < end + 4 + length) return;
      const lines = head.split('\r\n').map((l, i) => (i === 0 ? l : l.replace(/^[^:]+/, (n) => n.toLowerCase())));
      lowered++;
      write(Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), pending.subarray(end + 4, end + 4 + length)]));
      pending = pending.subarray(end + 4 + length);
      if (/\r\nrtp-info:/.test(lines.join('\r\n'))) { raw = true; if (pending.length) write(pending); return; }
    }
  };
}

beforeAll(async () => {
  cam = await camera(INDEX);
  const { hostname, port } = new URL(cam.rtspUrl);
  proxy = createServer((client) => {
    const upstream = connect({ host: hostname, port: Number(port) });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => { sockets.delete(s); client.destroy(); upstream.destroy(); });
      s.on('error', () => {});
    }
    client.pipe(upstream);
    upstream.on('data', lowerCaser((b) => client.write(b)));
  });
  await new Promise<void>((r) => proxy.listen(0, hostname, r));
  url = `rtsp://${hostname}:${(proxy.address() as { port: number }).port}/stream1`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => proxy?.close(r));
  await cam?.close();
});

describe('header names in any case', () => {
  it('the relay authenticates with Digest, reads the SDP and plays', async () => {
    const manager = new RelayManager({
      resolveSource: async () => ({ url, username: cam.spec.username, password: cam.spec.password }),
      workers: 0,
      requestTimeoutMs: 2000,
    });
    const before = { ...cam.stats().auth };
    try {
      const text = await until(async () => {
        const t = await manager.playlist(INDEX);
        return segmentNames(t).length >= 1 && t;
      }, 200);
      expect(manager.list()[0]).toMatchObject({ state: 'online', codec: 'h264', width: 1280, height: 720 });
      expect(manager.segment(INDEX, segmentNames(text)[0]!)!.body[0]).toBe(0x47);
      expect(cam.stats().auth.digest).toBeGreaterThan(before.digest);
      expect(lowered).toBeGreaterThanOrEqual(4); // 401, DESCRIBE, SETUP, PLAY went through lower-cased
    } finally {
      manager.close();
    }
  });

  it('the probe reads the camera too', async () => {
    const r = await probeRtsp(url, { credentials: { username: cam.spec.username, password: cam.spec.password } });
    expect(r).toMatchObject({ ok: true, auth: 'digest', video: { codec: 'h264', width: 1280, height: 720 } });
  });
});
