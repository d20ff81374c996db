// What a failed live playlist request answers, on the live routes and on the internal routes another node proxies
// to (so a viewer on node B gets the same status as one on the owner).
import type { FastifyReply } from 'fastify';
import { NotOwnerError, RelayOwnerUnavailableError, RemoteRelayError } from '../../cluster/relay-router';
import { HttpError } from '../../errors';
import { CameraUnavailableError, RelayLimitError, TranscodeLimitError, TranscodeUnavailableError } from '../../media';

export function liveHttpError(err: unknown, reply: FastifyReply, cameraId: number): unknown {
  if (err instanceof RelayLimitError) {
    reply.header('retry-after', '10');
    return new HttpError(503, `Too many live streams at once (limit ${err.limit}); try again shortly`);
  }
  if (err instanceof TranscodeLimitError) {
    reply.header('retry-after', '10');
    return new HttpError(503, `Too many H.265 transcodes at once (limit ${err.limit}); this browser cannot decode H.265`);
  }
  if (err instanceof TranscodeUnavailableError) return new HttpError(503, `H.265 cannot be transcoded here: ${err.reason}`);
  if (err instanceof CameraUnavailableError) return new HttpError(502, `Camera ${cameraId} unavailable: ${err.reason}`);
  // The node relaying this camera is gone and its lease has not expired yet (≤ a few seconds): poll again soon.
  if (err instanceof RelayOwnerUnavailableError || err instanceof NotOwnerError) {
    reply.header('retry-after', '1');
    return new HttpError(503, 'The gateway node relaying this camera is not reachable; try again shortly');
  }
  if (err instanceof RemoteRelayError) {
    if (err.retryAfter) reply.header('retry-after', err.retryAfter);
    return new HttpError(err.status, err.message);
  }
  return err;
}
