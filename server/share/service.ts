// Resident share links: making, listing and revoking them (staff), opening them and authorising every playlist
// and segment request (residents). Framework-free; server/plugins/share.ts wires it.
import type { NewShareLink, ResidentView, ShareLink } from '../contracts/share';
import type { Database } from '../db/database';
import type { InvalidationBus } from '../db/invalidation';
import type { Repositories } from '../db/repositories';
import type { ShareLinkRecord } from '../db/repositories/share-links';
import type { UserWithScope } from '../db/repositories/users';
import { inScope } from '../domain/scope';
import { DEFAULT_MAX_VIEWERS, linkState, residentRewindFrom } from '../domain/share-policy';
import { BadRequestError, ForbiddenError, HttpError, NotFoundError, UnauthorizedError } from '../errors';
import { visibleUnit } from '../org/visible-unit';
import { newToken, type Secrets } from '../security/secrets';
import { issueViewerToken, type ViewerClaims, ViewerTokenCache } from './viewer-token';

/** One message for unknown, tampered, expired and revoked links: a resident learns nothing more from it. */
export const LINK_INVALID = '链接已失效 / This link is no longer valid';
/** A viewer counts as watching while it polled within this window. */
const VIEWER_ACTIVE_MS = 15_000;
/** Revocation and expiry reach viewers who are already playing within this long. */
const LINK_CACHE_MS = 1_000;

export interface ViewerGrant {
  linkId: number;
  /** The link's label: names the resident actor in audit rows. */
  label: string;
  device: string;
  token: string;
}

export class ShareService {
  private readonly cache = new Map<number, { link: Promise<ShareLinkRecord | undefined>; at: number }>();
  private readonly viewers = new Map<number, Map<string, number>>();
  private readonly viewerTokens: ViewerTokenCache;

  constructor(
    private readonly db: Database,
    private readonly repos: Repositories,
    private readonly secrets: Secrets,
    private readonly now: () => Date = () => new Date(),
    /** Tells every node of a cluster to drop its copy of a revoked link (server/db/README.md "Invalidation"). */
    private readonly invalidation?: Pick<InvalidationBus, 'publish'>,
  ) {
    this.viewerTokens = new ViewerTokenCache(secrets.tokenHash);
  }

  async create(user: UserWithScope, body: NewShareLink, ip?: string): Promise<{ link: ShareLink; token: string }> {
    const unit = await visibleUnit(this.repos.orgUnits, user.scopePath, body.orgUnitId);
    const publicCameras = (await this.repos.cameras.list(unit.path, { limit: 500 })).items.filter((c) => c.publicArea);
    const publicIds = new Set(publicCameras.map((c) => c.id));
    let cameraIds: number[];
    if (body.cameraIds) {
      // Residents see public areas of their own compound only: every chosen camera must be one of those.
      body.cameraIds.forEach((id, i) => {
        if (!publicIds.has(id)) throw new BadRequestError(`cameraIds.${i}: camera ${id} is not a public-area camera of ${unit.name}`, `cameraIds.${i}`);
      });
      cameraIds = [...new Set(body.cameraIds)];
    } else {
      cameraIds = [...publicIds];
    }
    if (cameraIds.length === 0) throw new BadRequestError(`${unit.name} has no public-area cameras to share`, 'orgUnitId');

    const token = newToken();
    const id = await this.db.transaction(async (tx) => {
      const linkId = await this.repos.shareLinks.insert({
        tokenHash: this.secrets.tokenHash(token),
        orgUnitId: unit.id,
        label: body.label,
        cameraIds,
        expiresAt: new Date(this.now().getTime() + body.expiresInHours * 3600_000).toISOString(),
        windowStart: body.dailyWindow?.start ?? null,
        windowEnd: body.dailyWindow?.end ?? null,
        maxDevices: body.maxDevices ?? null,
        maxViewers: body.maxViewers ?? DEFAULT_MAX_VIEWERS,
        rewindMinutes: body.rewindMinutes ?? 0,
        createdBy: user.id,
      }, tx);
      await this.repos.audit.record({
        actorType: 'user', actorId: user.id, actorName: user.username, action: 'share.create', targetType: 'share-link', targetId: linkId,
        orgUnitId: unit.id, detail: { label: body.label, cameras: cameraIds.length, expiresInHours: body.expiresInHours, rewindMinutes: body.rewindMinutes ?? 0 }, ip,
      }, tx);
      return linkId;
    });
    return { link: this.present((await this.repos.shareLinks.byId(id))!), token };
  }

  async list(user: UserWithScope, orgUnitId?: number): Promise<ShareLink[]> {
    const path = orgUnitId === undefined ? user.scopePath : (await visibleUnit(this.repos.orgUnits, user.scopePath, orgUnitId)).path;
    return (await this.repos.shareLinks.list(path)).map((l) => this.present(l));
  }

  async revoke(user: UserWithScope, id: number, ip?: string): Promise<ShareLink> {
    const link = await this.repos.shareLinks.byId(id);
    if (!link || !inScope(user.scopePath, link.orgPath)) throw new NotFoundError(`Share link ${id}`);
    await this.db.transaction(async (tx) => {
      // Revoking twice writes nothing the second time.
      if (!(await this.repos.shareLinks.revoke(id, user.id, tx))) return;
      await this.repos.audit.record({
        actorType: 'user', actorId: user.id, actorName: user.username, action: 'share.revoke', targetType: 'share-link', targetId: id,
        orgUnitId: link.orgUnitId, ip,
      }, tx);
    });
    this.forget(id);
    // The other nodes drop theirs within a NOTIFY round trip. Should NOTIFY fail, the revocation is committed all
    // the same and their cached copy expires within LINK_CACHE_MS: the cache's TTL is the backstop.
    await this.invalidation?.publish({ kind: 'share-link', id }).catch(() => undefined);
    return this.present((await this.repos.shareLinks.byId(id))!);
  }

  /** A resident opens the link: checks its terms and the device limit, and hands out a viewer token. */
  /** (The route adds the report categories: they are the dispatch taxonomy's, which this service does not hold.) */
  async open(token: string, device: string, ip?: string): Promise<Omit<ResidentView, 'reportCategories'>> {
    const link = await this.repos.shareLinks.byTokenHash(this.secrets.tokenHash(token));
    if (!link) throw new UnauthorizedError(LINK_INVALID);
    this.assertUsable(link);
    const deviceHash = this.secrets.tokenHash(`device:${link.id}:${device}`).slice(0, 16);
    // Counted and recorded in one transaction: two phones opening at once cannot both take the last device place.
    await this.db.transaction(async (tx) => {
      if (link.maxDevices !== null && !(await this.repos.shareLinks.knowsDevice(link.id, deviceHash, tx))
        && (await this.repos.shareLinks.deviceCount(link.id, tx)) >= link.maxDevices) {
        throw new ForbiddenError('此链接可用设备数已满 / This link has reached its device limit');
      }
      await this.repos.shareLinks.touchDevice(link.id, deviceHash, tx);
      await this.repos.audit.record({
        actorType: 'resident', actorId: `link:${link.id}`, actorName: link.label, action: 'share.open', targetType: 'share-link',
        targetId: link.id, orgUnitId: link.orgUnitId, detail: { device: deviceHash, cameras: link.cameraIds }, ip,
      }, tx);
    });
    const viewerToken = issueViewerToken({ linkId: link.id, device: deviceHash, issuedAt: Math.floor(this.now().getTime() / 1000) }, this.secrets.tokenHash);
    const cameras = new Map((await this.repos.cameras.list(link.orgPath, { limit: 500 })).items.map((c) => [c.id, c]));
    return {
      label: link.label,
      unitName: link.orgUnitName,
      expiresAt: link.expiresAt,
      rewindMinutes: link.rewindMinutes,
      viewerToken,
      cameras: link.cameraIds
        .filter((id) => cameras.has(id))
        .map((id) => ({
          id,
          name: cameras.get(id)!.name,
          // Phones play the sub-stream where the camera has one: the picture is small, mobile data is not free,
          // and the county's uplink carries every resident's copy.
          playlistUrl: `/live/${id}/${cameras.get(id)!.hasSubStream ? 'sub/' : ''}index.m3u8?v=${encodeURIComponent(viewerToken)}`,
          snapshotUrl: `/api/share/cameras/${id}/snapshot.jpg?v=${encodeURIComponent(viewerToken)}`,
          ...(link.rewindMinutes > 0 ? { rewindUrl: `/api/share/cameras/${id}/rewind/index.m3u8?v=${encodeURIComponent(viewerToken)}` } : {}),
        })),
    };
  }

  /** A resident acting through the link (随手拍): a valid viewer token of a usable link, read fresh (a report is a
   * write: a link revoked a second ago must not take one). Returns the link and the device hash the token carries. */
  async authorizeResident(token: string): Promise<{ link: ShareLinkRecord; device: string }> {
    const claims = this.viewerTokens.read(token);
    if (!claims) throw new UnauthorizedError(LINK_INVALID);
    const link = await this.repos.shareLinks.byId(claims.linkId);
    if (!link) throw new UnauthorizedError(LINK_INVALID);
    this.assertUsable(link);
    return { link, device: claims.device };
  }

  /** Every resident playlist and segment request: a valid viewer token of a usable link that holds the camera. */
  async authorizeViewer(token: string, cameraId: number, countAsViewing: boolean): Promise<ViewerGrant> {
    const claims: ViewerClaims | undefined = this.viewerTokens.read(token);
    if (!claims) throw new UnauthorizedError(LINK_INVALID);
    const link = await this.cachedLink(claims.linkId);
    if (!link) throw new UnauthorizedError(LINK_INVALID);
    this.assertUsable(link);
    if (!link.cameraIds.includes(cameraId)) throw new NotFoundError(`Camera ${cameraId}`);
    if (countAsViewing) this.noteViewer(link, claims.device);
    return { linkId: link.id, label: link.label, device: claims.device, token };
  }

  /** A resident's rewind: the viewer checks of live, then the earliest moment the link lets them play now (403 when
   * the link allows no rewind). Read through the same short cache as live, so a revocation holds within it. */
  async authorizeRewind(token: string, cameraId: number): Promise<ViewerGrant & { fromMs: number; orgUnitId: number }> {
    const grant = await this.authorizeViewer(token, cameraId, true);
    const link = (await this.cachedLink(grant.linkId))!;
    const fromMs = residentRewindFrom(link, this.now());
    if (fromMs === null) throw new ForbiddenError('此链接不提供回看 / This link does not allow rewind');
    return { ...grant, fromMs, orgUnitId: link.orgUnitId };
  }

  /** Drops what this node holds of a link (its cached row, its viewer counts): the next request reads it afresh. */
  forget(linkId?: number): void {
    if (linkId === undefined) {
      this.cache.clear();
      this.viewers.clear();
      return;
    }
    this.cache.delete(linkId);
    this.viewers.delete(linkId);
  }

  activeViewers(linkId: number): number {
    const devices = this.viewers.get(linkId);
    if (!devices) return 0;
    const cutoff = this.now().getTime() - VIEWER_ACTIVE_MS;
    let n = 0;
    for (const [device, at] of devices) {
      if (at >= cutoff) n++;
      else devices.delete(device);
    }
    return n;
  }

  private noteViewer(link: ShareLinkRecord, device: string) {
    const devices = this.viewers.get(link.id) ?? new Map<string, number>();
    this.viewers.set(link.id, devices);
    if (!devices.has(device) && this.activeViewers(link.id) >= link.maxViewers) {
      throw new HttpError(429, '观看人数已满，请稍后再试 / Too many viewers on this link, try again shortly');
    }
    devices.set(device, this.now().getTime());
  }

  private assertUsable(link: ShareLinkRecord) {
    const state = linkState(link, this.now());
    if (state === 'expired' || state === 'revoked') throw new UnauthorizedError(LINK_INVALID);
    if (state === 'outside-window') {
      throw new ForbiddenError(`此链接仅在每天 ${link.windowStart}–${link.windowEnd} 开放 / This link is open daily ${link.windowStart}–${link.windowEnd}`);
    }
  }

  /** One lookup per link per LINK_CACHE_MS however many requests arrive meanwhile: they share its promise.
   * (Caching the result instead let 2,000 viewers each start their own lookup while one was queued, and the
   * database queue never caught up.) */
  private cachedLink(id: number): Promise<ShareLinkRecord | undefined> {
    const hit = this.cache.get(id);
    const now = Date.now();
    if (hit && now - hit.at < LINK_CACHE_MS) return hit.link;
    const link = this.repos.shareLinks.byId(id);
    this.cache.set(id, { link, at: now });
    link.catch(() => {
      if (this.cache.get(id)?.link === link) this.cache.delete(id);
    });
    return link;
  }

  private present(link: ShareLinkRecord): ShareLink {
    return {
      id: link.id,
      orgUnitId: link.orgUnitId,
      orgUnitName: link.orgUnitName,
      label: link.label,
      cameraCount: link.cameraIds.length,
      expiresAt: link.expiresAt,
      dailyWindow: link.windowStart && link.windowEnd ? { start: link.windowStart, end: link.windowEnd } : null,
      maxDevices: link.maxDevices,
      maxViewers: link.maxViewers,
      rewindMinutes: link.rewindMinutes,
      state: linkState(link, this.now()),
      devices: link.devices,
      activeViewers: this.activeViewers(link.id),
      createdBy: link.createdBy,
      createdAt: link.createdAt,
      revokedAt: link.revokedAt,
    };
  }
}
