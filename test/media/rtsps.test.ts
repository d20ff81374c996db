// rtsps:// end to end on loopback: a TLS front (node:tls, a self-signed certificate made here with the openssl CLI,
// as cameras have) before a simulated camera; the relay plays it to HLS segments that ffprobe decodes, and the probe
// reads the same camera. Simulator index reserved for this file: 2161 (h264 1280x720).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimCamera } from '../../scripts/simulator/index';
import { probeRtsp } from '../../server/discovery/rtsp-probe';
import { RelayManager, type RelayStatusEvent } from '../../server/media/index';
import { HAVE_FFPROBE, SKIP_FFPROBE_MSG, probe } from './helpers/ffprobe';
import { camera, segmentNames, until } from './helpers/sim';

const INDEX = 2161;
let cam: SimCamera;
let front: Server;
let dir = '';
/** The rtsps:// address of the camera, and what went through the TLS front. */
let rtspsUrl = '';
const seen = { handshakes: 0, bytesToCamera: 0 };
const sockets = new Set<Socket>();

beforeAll(async () => {
  cam = await camera(INDEX);
  dir = mkdtempSync(join(tmpdir(), 'rtsps-test-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=IPC-camera', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  const { hostname, port } = new URL(cam.rtspUrl);
  front = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (tls) => {
    seen.handshakes++;
    const plain = connect({ host: hostname, port: Number(port) });
    for (const s of [tls, plain]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => { tls.destroy(); plain.destroy(); });
    }
    tls.on('data', (d: Buffer) => { seen.bytesToCamera += d.length; });
    tls.pipe(plain).pipe(tls);
  });
  // The camera's own address, another port: the TLS endpoint a camera with rtsps enabled would offer.
  await new Promise<void>((r) => front.listen(0, hostname, r));
  rtspsUrl = `rtsps://${hostname}:${(front.address() as { port: number }).port}/stream1`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => front?.close(r));
  await cam?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function manager(url: string, requestTimeoutMs?: number) {
  const events: RelayStatusEvent[] = [];
  const m = new RelayManager({
    resolveSource: async () => ({ url, username: cam.spec.username, password: cam.spec.password }),
    backoff: { initialMs: 200, maxMs: 1000 },
    requestTimeoutMs,
    workers: 1, // the production shape: the TLS socket reads on a worker thread
  });
  m.on('status', (e) => events.push(e));
  return { m, events };
}

describe.skipIf(!HAVE_FFPROBE)('rtsps ' + (HAVE_FFPROBE ? '' : SKIP_FFPROBE_MSG), () => {
  it('the relay plays an rtsps camera with a self-signed certificate into HLS segments that decode', async () => {
    const { m, events } = manager(rtspsUrl);
    const before = { ...seen };
    const auth = cam.stats().auth;
    try {
      const text = await until(async () => {
        const t = await m.playlist(INDEX, 'viewer');
        return segmentNames(t).length >= 2 && t;
      }, 200);
      const body = Buffer.concat(segmentNames(text).map((n) => m.segment(INDEX, n)!.body));
      const r = await probe(body);
      expect(r.errors).toBe('');
      expect(r.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 1280, height: 720 });
      expect(events).toContainEqual(expect.objectContaining({ status: 'online', reason: null }));
      // It went through TLS (the camera's plain port saw only what the front decrypted), with Digest.
      expect(seen.handshakes).toBeGreaterThan(before.handshakes);
      expect(seen.bytesToCamera).toBeGreaterThan(before.bytesToCamera);
      expect(cam.stats().auth.digest).toBeGreaterThan(auth.digest);
    } finally {
      m.close();
    }
  });

  it('the probe reads the same camera over rtsps', async () => {
    const r = await probeRtsp(rtspsUrl, { credentials: { username: cam.spec.username, password: cam.spec.password } });
    expect(r).toMatchObject({ ok: true, auth: 'digest', video: { codec: 'h264', width: 1280, height: 720 } });
  });

  it('a plain RTSP port addressed as rtsps fails with a reason instead of hanging', async () => {
    // The simulator never answers a ClientHello: the handshake runs into the request timeout.
    const { m, events } = manager(cam.rtspUrl.replace(/^rtsp:/, 'rtsps:'), 1000);
    try {
      const err = await m.playlist(INDEX).catch((e: unknown) => e as { reason?: string });
      expect(err).toMatchObject({ reason: expect.stringMatching(/^(protocol error|closed|timeout)$/) });
      expect(events[0]).toMatchObject({ status: 'offline' });
    } finally {
      m.close();
    }
  });
});
