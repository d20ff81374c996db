// Live HLS per camera: /live/:cameraId/index.m3u8 and its segments. The relay starts on the first playlist
// request and stops when nobody polls it. Two kinds of viewer: staff with a session whose scope holds the camera,
// and residents with a viewer token (?v=) from a share link that holds it; residents' playlists carry their token
// on every segment URI. Playlists are polled every second or two, so a "view" is audited once per viewer until
// that viewer has been away for the idle timeout.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ErrorBody, LiveParams, SegmentParams } from '../../contracts/api';
import type { AuditEntry } from '../../db/repositories/audit';
import { inScope } from '../../domain/scope';
import { HttpError, NotFoundError, UnauthorizedError } from '../../errors';
import { relayIdOf, type StreamKind } from '../../media';
import { isTranscodeSegment } from '../../media/hls/segment-names';
import { playlistHeaders, segmentHeaders } from '../../media/http';
import { withViewerToken } from '../../share/playlist';
import { liveHttpError } from './errors';

const ViewerQuery = Type.Object({ v: Type.Optional(Type.String({ minLength: 10, maxLength: 300, description: 'Resident viewer token' })) });
/** LL-HLS delivery directives (RFC 8216bis §6.2.5.2): hold the playlist until it has that segment or part. */
const PlaylistQuery = Type.Object({
  v: Type.Optional(Type.String({ minLength: 10, maxLength: 300, description: 'Resident viewer token' })),
  _HLS_msn: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 40, description: 'Blocking reload: answer once this media sequence number is in the playlist' })),
  _HLS_part: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, description: 'Blocking reload: ... or this part of it (needs _HLS_msn)' })),
  _HLS_skip: Type.Optional(Type.String({ maxLength: 8, description: 'Playlist delta updates: not offered, ignored' })),
  hevc: Type.Optional(Type.Integer({ minimum: 0, maximum: 1,
    description: 'Whether this browser decodes HEVC (MediaSource.isTypeSupported): with 0, an H.265 camera is served an H.264 transcode (response header x-live-path says which)',
  })),
});
/** A sub-stream's playlist served under the main stream's path: its relative URIs must point under sub/. */
function underSub(playlist: string): string {
  return playlist.split('\n').map((line) => {
    if (line.startsWith('#EXT-X-MAP:') || line.startsWith('#EXT-X-PART:')) return line.replace(/URI="([^"]+)"/, (_m, uri: string) => `URI="sub/${uri}"`);
    return line && !line.startsWith('#') ? `sub/${line}` : line;
  }).join('\n');
}
/** A camera moved to another unit, or given or stripped of a sub-stream, is re-checked within this long. */
const CAMERA_FACTS_TTL_MS = 10_000;

interface Viewer {
  /** Distinct per person and device: counts viewers and spaces view audits. */
  key: string;
  audit: Pick<AuditEntry, 'actorType' | 'actorId' | 'actorName' | 'detail'>;
  /** Residents' token, added to every URI of the playlist they get. */
  token?: string;
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const lastViewAudit = new Map<string, number>();
  const auditWindowMs = app.config.media.idleTimeoutSec * 1000;

  /** The camera's own org unit: the last id of its path ('/1/5/23/' → 23), for the audit row. */
  const unitOfPath = (path: string | undefined): number | null => {
    const last = path?.split('/').filter(Boolean).pop();
    return last ? Number(last) : null;
  };

  const facts = new Map<number, { camera: { orgPath: string; hasSubStream: boolean; codec: string | null } | undefined; at: number }>();
  // A camera changed or moved (on any gateway node), a subtree moved, or anything missed: its facts are read again.
  const unsubscribe = app.cluster.invalidation.subscribe((m) => {
    if (m.kind === 'camera' && m.id !== null) facts.delete(m.id);
    else if (m.kind === 'camera' || m.kind === 'org-moved' || m.kind === 'all') facts.clear();
  });
  app.addHook('onClose', async () => unsubscribe());
  /** A camera's org path and sub-stream, cached per camera: dropped when the camera or its subtree changes (above),
   * re-read after CAMERA_FACTS_TTL_MS anyway, and a wall polling 16 tiles twice a second does not query each time. */
  async function cameraFacts(cameraId: number) {
    const hit = facts.get(cameraId);
    if (hit && Date.now() - hit.at < CAMERA_FACTS_TTL_MS) return hit.camera;
    const camera = await app.repos.cameras.liveFacts(cameraId);
    facts.set(cameraId, { camera, at: Date.now() });
    return camera;
  }

  /** The relay that serves a request for `stream`: a camera without a sub-stream is served its main stream's relay
   * under /sub/ too (one pull from the camera, not two of the same stream). */
  async function relayStream(cameraId: number, stream: StreamKind): Promise<StreamKind> {
    return stream === 'sub' && (await cameraFacts(cameraId))?.hasSubStream ? 'sub' : 'main';
  }

  async function viewerFor(request: FastifyRequest, cameraId: number, token: string | undefined, isPlaylist: boolean): Promise<Viewer> {
    if (token !== undefined) {
      const grant = await app.share.authorizeViewer(token, cameraId, isPlaylist);
      return {
        key: `r${grant.linkId}:${grant.device}`,
        audit: { actorType: 'resident', actorId: `link:${grant.linkId}`, actorName: grant.label, detail: { device: grant.device } },
        token,
      };
    }
    const session = request.session;
    if (!session) throw new UnauthorizedError();
    const path = (await cameraFacts(cameraId))?.orgPath;
    if (path === undefined || !inScope(session.user.scopePath, path)) throw new NotFoundError(`Camera ${cameraId}`);
    return {
      key: `u${session.user.id}:${session.tokenHash.slice(0, 12)}`,
      audit: { actorType: 'user', actorId: session.user.id, actorName: session.user.username },
    };
  }

  // Per viewer and camera: a playing tile polls about twice a second; this only stops runaway clients.
  const rateLimit = {
    max: 600,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => {
      const { cameraId } = request.params as { cameraId?: string };
      const { v } = request.query as { v?: string };
      return `${v ?? request.cookies?.cvc_session ?? request.ip}:${cameraId}`;
    },
  };

  // No helmet here: rebuilding its CSP header per request cost ~9 % of the serving thread at 2,000 resident viewers,
  // and a playlist or an MPEG-TS segment is never rendered as a page; nosniff is the header that matters.
  const NOSNIFF = { 'x-content-type-options': 'nosniff' };

  // Each camera's main stream at /live/:id/…, its sub-stream (子码流: phones, small wall tiles) at /live/:id/sub/…;
  // a camera without one plays its main stream there. Segment URIs in a playlist are relative, so each stream's
  // segments are fetched under its own path.
  for (const stream of ['main', 'sub'] as const) {
    const base = stream === 'main' ? '/:cameraId' : '/:cameraId/sub';
    const which = stream === 'main' ? '' : ' (sub-stream)';

    app.get(`${base}/index.m3u8`, {
      helmet: false,
      config: { auth: 'custom', rateLimit },
      schema: {
        tags: ['live'], summary: `Live HLS playlist${which} (starts the relay on demand; LL-HLS blocking reload)`, params: LiveParams, querystring: PlaylistQuery,
        response: { 200: Type.String({ description: 'M3U8 live playlist' }), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 429: ErrorBody, 502: ErrorBody, 503: ErrorBody },
      },
    }, async (request, reply) => {
      const { cameraId } = request.params;
      const { _HLS_msn: msn, _HLS_part: part } = request.query;
      if (part !== undefined && msn === undefined) throw new HttpError(400, '_HLS_part needs _HLS_msn');
      const viewer = await viewerFor(request, cameraId, request.query.v, true);
      let playlist: string;
      // Which path this viewer gets (x-live-path): the stream as sent, or an H.264 transcode of an H.265 stream for
      // a browser that says it cannot decode HEVC (?hevc=0). A transcode takes the sub-stream where there is one
      // (less to decode and encode; a wall tile or a phone does not need 1080p).
      let path: 'native' | 'transcoded' = 'native';
      try {
        const until = msn === undefined ? undefined : { msn, part };
        let served = await relayStream(cameraId, stream);
        const noHevc = request.query.hevc === 0;
        if (noHevc && (await cameraFacts(cameraId))?.codec === 'h265') served = await relayStream(cameraId, 'sub');
        // Served from this node's relay, or fetched from the node that owns it (server/cluster/relay-router.ts): the
        // scope check above happened here either way.
        playlist = await app.relayRouter.playlist(cameraId, viewer.key, served, until);
        if (noHevc && app.relays.codecOf(cameraId, served) === 'h265') {
          playlist = await app.transcodes.playlist(relayIdOf(cameraId, served), viewer.key);
          path = 'transcoded';
        } else if (served === 'sub' && stream === 'main') {
          playlist = underSub(playlist);
        }
      } catch (err) {
        throw liveHttpError(err, reply, cameraId);
      }
      const key = `${viewer.key}:${cameraId}`;
      const now = Date.now();
      const seen = lastViewAudit.get(key) ?? 0;
      // Marked before the write: two polls of one viewer arriving together must not both write a row.
      lastViewAudit.set(key, now);
      if (now - seen > auditWindowMs) {
        await app.repos.audit.record({
          ...viewer.audit, action: 'live.view', targetType: 'camera', targetId: cameraId, orgUnitId: unitOfPath((await cameraFacts(cameraId))?.orgPath), ip: request.ip,
          detail: { ...viewer.audit.detail, stream },
        });
      }
      return reply.headers({ ...playlistHeaders(), ...NOSNIFF, 'x-live-path': path }).send(viewer.token ? withViewerToken(playlist, viewer.token) : playlist);
    });

    app.get(`${base}/:segment`, {
      helmet: false,
      config: { auth: 'custom', rateLimit },
      schema: {
        tags: ['live'], summary: `A live segment${which} from the current window`, params: SegmentParams, querystring: ViewerQuery,
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 429: ErrorBody, 502: ErrorBody, 503: ErrorBody },
      },
    }, async (request, reply) => {
      const { cameraId, segment } = request.params;
      await viewerFor(request, cameraId, request.query.v, false);
      if (isTranscodeSegment(segment)) {
        // Names carry their transcode's run number, so only the transcode that wrote it can answer.
        const body = (await app.transcodes.segment(relayIdOf(cameraId, 'sub'), segment)) ?? (await app.transcodes.segment(relayIdOf(cameraId, 'main'), segment));
        if (!body) throw new NotFoundError(`Segment ${segment}`);
        return reply.headers({ ...segmentHeaders('video/mp2t', body.byteLength), ...NOSNIFF }).send(body);
      }
      let found;
      try {
        found = await app.relayRouter.segment(cameraId, segment, await relayStream(cameraId, stream));
      } catch (err) {
        throw liveHttpError(err, reply, cameraId); // the owning node went away: 503, the player retries
      }
      if (!found) throw new NotFoundError(`Segment ${segment}`);
      const body = Buffer.from(found.body.buffer, found.body.byteOffset, found.body.byteLength);
      return reply.headers({ ...segmentHeaders(found.contentType, body.byteLength), ...NOSNIFF }).send(body);
    });
  }

  // Forget audit marks of viewers long gone, so the map stays as small as the current audience.
  const sweep = setInterval(() => {
    const cutoff = Date.now() - auditWindowMs;
    for (const [key, at] of lastViewAudit) if (at < cutoff) lastViewAudit.delete(key);
  }, auditWindowMs).unref();
  app.addHook('onClose', async () => clearInterval(sweep));
};

export default routes;
