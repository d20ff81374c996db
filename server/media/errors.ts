import type { RelayId, UnavailableReason } from './types';

/** Too many concurrent relays: the HTTP layer maps this to 503 with Retry-After. */
export class RelayLimitError extends Error {
  readonly code = 'RELAY_LIMIT';
  constructor(readonly limit: number) {
    super(`relay limit reached (${limit} concurrent streams)`);
    this.name = 'RelayLimitError';
  }
}

/** The camera behind a relay cannot be played now. `reason` is safe to show: it never contains a URL or
 * credentials. */
export class CameraUnavailableError extends Error {
  readonly code = 'CAMERA_UNAVAILABLE';
  constructor(readonly relayId: RelayId, readonly reason: UnavailableReason) {
    super(`relay ${relayId} unavailable: ${reason}`);
    this.name = 'CameraUnavailableError';
  }
}

/** Failure inside one RTSP session, classified so the relay can report a reason without echoing raw errors
 * (socket errors can quote the peer, and some RTSP servers echo the request line). */
export class RtspError extends Error {
  constructor(readonly reason: UnavailableReason, detail?: string) {
    super(detail ? `${reason}: ${detail}` : reason);
    this.name = 'RtspError';
  }
}

export function classifySocketError(err: unknown): UnavailableReason {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ECONNREFUSED': return 'refused';
    case 'ETIMEDOUT': return 'timeout';
    case 'EHOSTUNREACH': case 'ENETUNREACH': case 'EADDRNOTAVAIL': case 'ENOTFOUND': return 'unreachable';
    case 'ECONNRESET': case 'EPIPE': return 'closed';
    default: return 'protocol error';
  }
}

/** No snapshot could be made. `reason` is safe to show (never a URL, a credential or a camera's own words);
 * 'timeout' maps to 504, 'no source' to 404, anything else to 502. */
export class SnapshotError extends Error {
  readonly code = 'SNAPSHOT_UNAVAILABLE';
  constructor(readonly reason: string) {
    super(`snapshot unavailable: ${reason}`);
    this.name = 'SnapshotError';
  }
}
