// What the two snapshot routes (staff: /api/cameras/:id/snapshot.jpg, residents: /api/share/cameras/:cameraId/
// snapshot.jpg) share once they have decided the caller may see the camera: make or reuse the snapshot, map a
// failure to 404/502/503/504 with its reason, audit the look like a live view (once per viewer and camera per
// window: a thumbnail grid refreshes every 30 s), answer with private short-lived caching.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditEntry } from '../../db/repositories/audit';
import { HttpError } from '../../errors';
import { SnapshotError } from '../../media';

/** A viewer looking at a grid is audited once per camera in this long, not once per refresh. */
const AUDIT_WINDOW_MS = 10 * 60_000;
/** As long as the server's own cache: a browser asking sooner would get the same picture. */
const MAX_AGE_SEC = 10;

export interface SnapshotViewer {
  key: string;
  /** Staff looks are audited like live views. Residents' thumbnails are not: opening the link is audited with
   * its cameras (share.open), and a page of 74 thumbnails per device would otherwise write ~25 rows a second
   * for 200 residents, burying the views that matter. Their live views are audited as any other. */
  audit?: Pick<AuditEntry, 'actorType' | 'actorId' | 'actorName' | 'detail'>;
  /** Say which path made the picture (x-snapshot-source). Staff only: to a resident, "relay" would tell that
   * someone is watching that camera right now. */
  showSource?: boolean;
}

export function snapshotFailure(cameraId: number, err: SnapshotError): HttpError {
  if (err.reason === 'no source') return new HttpError(404, `Camera ${cameraId} has no snapshot: it is not live and has no ONVIF snapshot address`);
  const status = err.reason === 'timeout' ? 504 : err.reason === 'busy' ? 503 : 502;
  return new HttpError(status, `Snapshot of camera ${cameraId} unavailable: ${err.reason}`);
}

/** Per caller and camera, like /live: a page of thumbnails refreshing is far below it; runaway clients are not. */
export function snapshotRateLimit(max = 600) {
  return {
    max,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => {
      const params = request.params as { cameraId?: string; id?: string };
      const { v } = request.query as { v?: string };
      return `snap:${v ?? request.cookies?.cvc_session ?? request.ip}:${params.cameraId ?? params.id}`;
    },
  };
}

export function snapshotResponder(app: FastifyInstance) {
  const lastAudit = new Map<string, number>();
  const sweep = setInterval(() => {
    const cutoff = Date.now() - AUDIT_WINDOW_MS;
    for (const [key, at] of lastAudit) if (at < cutoff) lastAudit.delete(key);
  }, AUDIT_WINDOW_MS).unref();
  app.addHook('onClose', async () => clearInterval(sweep));

  /** `orgUnitOf` is asked only when an audit row is written (once per viewer and camera per window). */
  return async function answer(request: FastifyRequest, reply: FastifyReply, cameraId: number, orgUnitOf: () => Promise<number | null>, viewer: SnapshotViewer) {
    let snapshot;
    try {
      snapshot = await app.snapshots.snapshot(cameraId);
    } catch (err) {
      if (err instanceof SnapshotError) throw snapshotFailure(cameraId, err);
      throw err;
    }
    const key = `${viewer.key}:${cameraId}`;
    const now = Date.now();
    if (viewer.audit && now - (lastAudit.get(key) ?? 0) > AUDIT_WINDOW_MS) {
      lastAudit.set(key, now);
      await app.repos.audit.record({
        ...viewer.audit, action: 'live.snapshot', targetType: 'camera', targetId: cameraId, orgUnitId: await orgUnitOf(), ip: request.ip,
        detail: { ...viewer.audit.detail, source: snapshot.source },
      });
    }
    reply.headers({
      'content-type': 'image/jpeg',
      'cache-control': `private, max-age=${MAX_AGE_SEC}`,
      'x-content-type-options': 'nosniff',
      'last-modified': new Date(snapshot.takenAt).toUTCString(),
    });
    // Which path made it (relay key frame or the camera's own snapshot): for diagnostics and tests.
    if (viewer.showSource) reply.header('x-snapshot-source', snapshot.source);
    return reply.send(snapshot.jpeg);
  };
}
