// The camera catalogue's use cases: see, list, add (by RTSP URL or from an ONVIF discovery job), edit, move, delete,
// and record what is observed of a camera's status. Framework-free: the cameras plugin hands in the database, the
// repositories and the publisher. Each write and its audit row (and its 'camera:status' event, when a camera
// comes online as it is added) share one transaction; probing happens before it, never under the write lock.
import type { Camera, CameraQuery, CameraStatus, CameraUpdate } from '../contracts/api';
import type {
  DiscoveredProfile, DiscoveryAddBody, DiscoveryAddResult, RtspCameraBody, RtspCameraResult,
} from '../contracts/catalogue';
import { atomically, type Publish, type Publisher } from '../db/atomically';
import type { Database, Queryable } from '../db/database';
import type { Repositories } from '../db/repositories';
import type { CameraWithPath } from '../db/repositories/cameras';
import type { OrgUnitRow } from '../db/repositories/org-units';
import type { UserWithScope } from '../db/repositories/users';
import { probeRtsp } from '../discovery/rtsp-probe';
import { canEditCamera, inScope, pathIds } from '../domain/scope';
import { visibleUnit } from '../org/visible-unit';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors';

export interface CameraDeps {
  db: Database;
  repos: Repositories;
  publisher: Publisher;
  /** Told after a camera was changed or deleted: caches of its place (the live routes' scope facts) on every node. */
  changed?: (cameraId: number) => void;
}

/** Who acts, as the catalogue rules see them (a signed-in user). */
export type Caller = Pick<UserWithScope, 'id' | 'username' | 'orgUnitId' | 'scopePath'>;

/** Codec and picture size as learnt by a probe, a discovery or a running relay. */
export interface MediaFacts {
  codec?: string;
  width?: number;
  height?: number;
}

/** A stable default external id for a camera added by URL: host and path, e.g. "10.1.2.3/Streaming/Channels/101". */
function defaultExternalId(url: string): string {
  const u = new URL(url);
  return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`.replace(/\/+$/, '').slice(0, 64);
}

/** ONVIF names encodings 'H264' / 'H265' / 'JPEG'; the catalogue stores RTP codec names ('h264', 'h265'). */
function profileMedia(profile: DiscoveredProfile | undefined): MediaFacts {
  return {
    codec: profile?.encoding ? profile.encoding.toLowerCase() : undefined,
    width: profile?.width ?? undefined,
    height: profile?.height ?? undefined,
  };
}

export class CameraService {
  constructor(private readonly deps: CameraDeps) {}

  private get repos() {
    return this.deps.repos;
  }

  private atomically<T>(work: (tx: Queryable, publish: Publish) => Promise<T>): Promise<T> {
    return atomically(this.deps.db, this.deps.publisher, work);
  }

  /** A camera the caller may see, or 404 (cameras outside the scope do not exist for this caller). */
  async visible(scopePath: string, id: number, db?: Queryable): Promise<CameraWithPath> {
    const camera = await this.repos.cameras.byId(id, db);
    if (!camera || !inScope(scopePath, camera.orgPath)) throw new NotFoundError(`Camera ${id}`);
    return camera;
  }

  /** Cameras in the scope, or in one unit of it (`direct`: that unit's own cameras only). */
  async list(scopePath: string, query: CameraQuery): Promise<{ items: CameraWithPath[]; total: number }> {
    if (query.orgUnitId === undefined) return this.repos.cameras.list(scopePath, { ...query, direct: false });
    const unit = await visibleUnit(this.repos.orgUnits, scopePath, query.orgUnitId);
    return this.repos.cameras.list(unit.path, query);
  }

  private async checkNetwork(network: string, field: string): Promise<void> {
    const networks = await this.repos.networks.list();
    if (!networks.some((n) => n.key === network)) throw new BadRequestError(`network "${network}" is not configured`, field);
  }

  private async checkExternalIdFree(network: string, externalId: string, field: string, tx: Queryable): Promise<void> {
    if ((await this.repos.cameras.idByExternalId(network, externalId, tx)) !== undefined) {
      throw new ConflictError(`a ${network} camera with externalId ${externalId} exists`, field);
    }
  }

  /** Adds an RTSP camera by URL after probing it (unless skipProbe); credentials typed into the URL are taken out. */
  async addRtsp(caller: Caller, body: RtspCameraBody, ip: string): Promise<RtspCameraResult> {
    const unit = await visibleUnit(this.repos.orgUnits, caller.scopePath, body.orgUnitId);
    await this.checkNetwork(body.network, 'network');
    const parsed = new URL(body.url);
    const credentials = body.credentials
      ?? (parsed.username ? { username: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) } : undefined);
    // The sub-stream uses the camera's credentials: a second set inside its URL could only disagree.
    if (body.subStreamUrl && new URL(body.subStreamUrl).username) {
      throw new BadRequestError('the sub-stream URL must not contain user:password@ (it uses the camera\'s credentials)', 'subStreamUrl');
    }
    const probe = body.skipProbe ? null : await probeRtsp(body.url, { credentials });
    if (probe && !probe.ok) throw new BadRequestError(`probe failed (${probe.error}): ${probe.message}`, 'url');
    const subProbe = body.skipProbe || !body.subStreamUrl ? null : await probeRtsp(body.subStreamUrl, { credentials });
    if (subProbe && !subProbe.ok) throw new BadRequestError(`sub-stream probe failed (${subProbe.error}): ${subProbe.message}`, 'subStreamUrl');
    const externalId = body.externalId ?? defaultExternalId(body.url);
    const url = probe?.url ?? parsed.toString();
    const subStreamUrl = body.subStreamUrl ? subProbe?.url ?? new URL(body.subStreamUrl).toString() : null;

    const cameraId = await this.atomically(async (tx, publish) => {
      await this.checkExternalIdFree(body.network, externalId, 'externalId', tx);
      const id = await this.repos.cameras.insert({
        network: body.network, externalId, name: body.name, orgUnitId: unit.id, sourceKind: 'rtsp', endpoint: url, streamUrl: url, subStreamUrl,
        address: body.address, lat: body.lat, lng: body.lng, publicArea: body.publicArea, credentials,
      }, tx);
      if (probe?.video) {
        await this.recordStatusIn(tx, publish, id, 'online', null, {
          codec: probe.video.codec, width: probe.video.width ?? undefined, height: probe.video.height ?? undefined,
        });
      }
      await this.repos.audit.record({
        actorType: 'user', actorId: caller.id, actorName: caller.username, action: 'camera.add-rtsp', targetType: 'camera', targetId: id,
        orgUnitId: unit.id, detail: { network: body.network, externalId, probed: !!probe, subStream: !!subStreamUrl }, ip,
      }, tx);
      return id;
    });
    return { cameraId, probe, ...(body.subStreamUrl ? { subProbe } : {}) };
  }

  /**
   * Adds reviewed devices of a discovery job to the catalogue: a device already there (same serial, endpoint or
   * device address, inside the caller's area) is updated, not duplicated. Every item is checked before any is
   * written, and all of them are written in one transaction with one audit row.
   */
  async addDiscovered(caller: Caller, jobId: number, items: DiscoveryAddBody['items'], ip: string): Promise<DiscoveryAddResult> {
    const networks = new Set((await this.repos.networks.list()).map((n) => n.key));
    const credentials = await this.repos.discovery.credentials(jobId);
    return this.atomically(async (tx, publish) => {
      const plan = [];
      for (const [i, item] of items.entries()) {
        const field = (f: string) => `items.${i}.${f}`;
        const result = await this.repos.discovery.result(item.resultId, tx);
        if (!result || result.jobId !== jobId) throw new NotFoundError(`Discovery result ${item.resultId} of job ${jobId}`, field('resultId'));
        if (result.state === 'failed' || !result.xaddr) throw new BadRequestError(`result ${item.resultId} failed (${result.failure}); it cannot be added`, field('resultId'));
        if (!networks.has(item.network)) throw new BadRequestError(`network "${item.network}" is not configured`, field('network'));
        const unit = await visibleUnit(this.repos.orgUnits, caller.scopePath, item.orgUnitId, field('orgUnitId'), tx);
        const existing = await this.repos.discovery.matchCamera([result.serial ?? '', result.endpointRef ?? ''], result.xaddr, tx);
        const cameraId = existing && inScope(caller.scopePath, existing.orgPath) ? existing.id : null;
        const externalId = item.externalId ?? (result.serial || result.endpointRef || result.xaddr).slice(0, 64);
        if (!cameraId) await this.checkExternalIdFree(item.network, externalId, field('externalId'), tx);
        plan.push({ item, result: { ...result, xaddr: result.xaddr }, unit, cameraId, externalId });
      }

      const added: DiscoveryAddResult['added'] = [];
      const updated: DiscoveryAddResult['updated'] = [];
      for (const { item, result, unit, cameraId, externalId } of plan) {
        const source = {
          endpoint: result.xaddr, streamUrl: result.streamUri, subStreamUrl: result.subStreamUri, snapshotUrl: result.snapshotUri,
          deviceId: result.serial || result.endpointRef, ptz: result.ptz,
        };
        let id = cameraId;
        if (id) {
          await this.repos.cameras.update(id, { name: item.name, orgUnitId: unit.id, orgPath: unit.path, publicArea: item.publicArea }, tx);
          if (credentials) await this.repos.cameras.setCredentials(id, credentials, tx);
          updated.push({ resultId: result.id, cameraId: id });
        } else {
          id = await this.repos.cameras.insert({
            network: item.network, externalId, name: item.name ?? result.suggestedName, orgUnitId: unit.id, sourceKind: 'onvif',
            endpoint: result.xaddr, streamUrl: result.streamUri, publicArea: item.publicArea, ptz: result.ptz, credentials,
          }, tx);
          added.push({ resultId: result.id, cameraId: id });
        }
        await this.repos.cameras.setDeviceSource(id, source, tx);
        await this.repos.discovery.markAdded(result.id, id, tx);
        await this.recordStatusIn(tx, publish, id, 'online', null, profileMedia(result.profiles[0]));
      }
      await this.repos.audit.record({
        actorType: 'user', actorId: caller.id, actorName: caller.username, action: 'discovery.add', targetType: 'discovery_job', targetId: jobId,
        orgUnitId: caller.orgUnitId, detail: { added: added.map((a) => a.cameraId), updated: updated.map((u) => u.cameraId) }, ip,
      }, tx);
      return { added, updated };
    });
  }

  /** Edits a camera's catalogue entry; a new orgUnitId moves it, which needs the target inside the caller's area. */
  async update(caller: Caller, id: number, change: CameraUpdate, ip: string): Promise<Camera> {
    return this.atomically(async (tx) => {
      const camera = await this.visible(caller.scopePath, id, tx);
      let target: OrgUnitRow | undefined;
      if (change.orgUnitId !== undefined) {
        target = await this.repos.orgUnits.byId(change.orgUnitId, tx);
        if (!target) throw new NotFoundError(`Org unit ${change.orgUnitId}`, 'orgUnitId');
      }
      if (!canEditCamera(caller.scopePath, camera.orgPath, target?.path)) throw new ForbiddenError('orgUnitId is outside your area');
      await this.repos.cameras.update(camera.id, { ...change, orgPath: target?.path }, tx);
      await this.repos.audit.record({
        actorType: 'user', actorId: caller.id, actorName: caller.username, action: 'camera.update',
        targetType: 'camera', targetId: camera.id, orgUnitId: camera.orgUnitId, ip,
        detail: { fields: Object.keys(change), ...(target && target.id !== camera.orgUnitId ? { movedTo: target.id } : {}) },
      }, tx);
      return (await this.repos.cameras.byId(camera.id, tx))!;
    }).then((updated) => {
      this.deps.changed?.(updated.id);
      return updated;
    });
  }

  /**
   * Removes a camera from the catalogue (its stored credentials go with it). A camera with hidden dangers tagged on
   * it stays: their evidence names it (409). The caller stops its relays once this returns.
   */
  async delete(caller: Caller, id: number, ip: string): Promise<void> {
    await this.atomically(async (tx) => {
      const camera = await this.visible(caller.scopePath, id, tx);
      const dangers = await this.repos.cameras.dangerCount(camera.id, tx);
      if (dangers > 0) throw new ConflictError(`Camera ${id} (${camera.name}) has ${dangers} hidden-danger records whose evidence names it; it cannot be deleted`);
      await this.repos.cameras.delete(camera.id, tx);
      await this.repos.audit.record({
        actorType: 'user', actorId: caller.id, actorName: caller.username, action: 'camera.delete', targetType: 'camera', targetId: camera.id,
        orgUnitId: camera.orgUnitId, detail: { name: camera.name, network: camera.network, externalId: camera.externalId }, ip,
      }, tx);
    });
    this.deps.changed?.(id);
  }

  /**
   * The one place a status observation is written (relays, health checks, discovery and adds all come here);
   * 'camera:status' goes to the camera's unit only when status or reason changed. False when nothing changed or
   * the camera is gone (a relay may report on a camera deleted meanwhile).
   */
  recordStatus(cameraId: number, status: CameraStatus, reason: string | null, media?: MediaFacts): Promise<boolean> {
    return this.atomically((tx, publish) => this.recordStatusIn(tx, publish, cameraId, status, reason, media));
  }

  /**
   * A batch of health-check observations in one transaction: the cameras whose status or reason is unchanged only
   * get last_seen_at (one statement); the changed ones go through the same path as recordStatus (row, history,
   * event). Returns how many changed.
   */
  recordStatuses(observations: Array<{ cameraId: number; status: CameraStatus; reason: string | null }>): Promise<number> {
    return this.atomically(async (tx, publish) => {
      const stored = await this.repos.cameras.statuses(observations.map((o) => o.cameraId), tx);
      const seen: number[] = [];
      let changed = 0;
      for (const o of observations) {
        const before = stored.get(o.cameraId);
        if (!before) continue;
        if (before.status === o.status && before.reason === o.reason) {
          if (o.status === 'online') seen.push(o.cameraId);
        } else if (await this.recordStatusIn(tx, publish, o.cameraId, o.status, o.reason)) changed++;
      }
      await this.repos.cameras.touchSeen(seen, new Date().toISOString(), tx);
      return changed;
    });
  }

  private async recordStatusIn(
    tx: Queryable, publish: Publish, cameraId: number, status: CameraStatus, reason: string | null, media?: MediaFacts,
  ): Promise<boolean> {
    const seen = await this.repos.cameras.setStatus(cameraId, status, reason, media, tx);
    if (!seen?.changed) return false;
    const camera = (await this.repos.cameras.byId(cameraId, tx))!;
    await publish(camera.orgPath, 'camera:status', {
      cameraId, orgUnitId: camera.orgUnitId, orgUnitPath: pathIds(camera.orgPath), previousStatus: seen.previous,
      status: camera.status, reason: camera.statusReason, lastSeenAt: camera.lastSeenAt,
    });
    return true;
  }
}
