// Where an rtsp:// or rtsps:// URL points and how to open its connection: one place for the default ports, the
// IPv6 brackets and the TLS policy, for the probe (server/discovery/rtsp-probe) and the relay (server/media/rtsp).
//
// TLS policy for rtsps: the camera's certificate is NOT verified. Cameras ship self-signed certificates, with no
// CA to check them against and an IP address for a name, so a verifying client would refuse every one. Unverified
// TLS still keeps the stream and credentials from passive listeners; it does not stop an active man in the middle,
// which plain rtsp:// (accepted everywhere) does not stop either. Digest is answered before Basic, so the password
// itself is not sent when the camera offers Digest. (The snapshot fetch over https does verify, see
// server/media/snapshot-fetch.ts: it may send Basic, and a camera's HTTP side often offers only that.)
import { createConnection, isIP, type OnReadOpts, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';

export interface RtspEndpoint {
  /** Without the brackets of an IPv6 literal (net wants the bare address). */
  host: string;
  port: number;
  tls: boolean;
}

/** RFC 2326 §3.2 / RFC 7826 §4.2: 554 for rtsp, 322 for rtsps. */
export const RTSP_PORT = 554;
export const RTSPS_PORT = 322;

/** Throws a TypeError for any other scheme. */
export function rtspEndpoint(url: URL): RtspEndpoint {
  if (url.protocol !== 'rtsp:' && url.protocol !== 'rtsps:') throw new TypeError(`not an RTSP URL (${url.protocol})`);
  const tls = url.protocol === 'rtsps:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(url.port) || (tls ? RTSPS_PORT : RTSP_PORT), tls };
}

/**
 * Opens the connection; `onConnected` runs once it can carry RTSP (after the TLS handshake for rtsps). `onread`
 * (net's single-buffer reads) works for TLS sockets too: Node hands the decrypted bytes to the callback.
 */
export function connectRtsp(endpoint: RtspEndpoint, onConnected: () => void, onread?: OnReadOpts): Socket {
  const { host, port } = endpoint;
  if (!endpoint.tls) return createConnection({ host, port, onread }, onConnected);
  const options: ConnectionOptions & { onread?: OnReadOpts } = {
    host,
    port,
    onread,
    rejectUnauthorized: false, // see the TLS policy above
    // SNI carries host names only (RFC 6066 §3); Node warns when given an address.
    servername: isIP(host) ? undefined : host,
  };
  return tlsConnect(options, onConnected);
}
