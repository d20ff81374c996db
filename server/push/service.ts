// 移动视频: devices that push RTMP rather than being pulled. Each is a camera of network 'mobile' whose stream key
// is random (256 bits), shown once (made or rotated), stored as a keyed hash (server/security/secrets.ts, like
// sessions and share links) and revocable. The ingest (server/media/push/ingest.ts) asks authorize() at publish;
// unknown and revoked keys are refused and audited here. Framework-free, like the other services.
import { randomBytes } from 'node:crypto';
import type { Caller } from '../cameras/service';
import type { PushDevice, NewPushDevice } from '../contracts/push';
import { atomically, type Publisher } from '../db/atomically';
import type { Database } from '../db/database';
import type { Repositories } from '../db/repositories';
import { inScope, prefixUpperBound } from '../domain/scope';
import { BadRequestError, NotFoundError } from '../errors';
import { newToken, type Secrets } from '../security/secrets';
import { visibleUnit } from '../org/visible-unit';

export const PUSH_NETWORK = 'mobile';

export interface PushDeps {
  db: Database;
  repos: Repositories;
  publisher: Publisher;
  secrets: Pick<Secrets, 'tokenHash'>;
  /** Whether a camera's device publishes right now (the ingest knows). */
  publishing: (cameraId: number) => boolean;
}

export type AuthorizeResult = { cameraId: number } | { refused: 'unknown key' | 'revoked key' };

/** Refused publishes are audited at most this often per address (a device retrying a dead key every second
 * must not fill the log): the first is written, later ones within the window only counted into the next row. */
const REFUSAL_AUDIT_MS = 60_000;

export class PushDeviceService {
  private readonly refusals = new Map<string, { at: number; suppressed: number }>();

  constructor(private readonly deps: PushDeps) {}

  private get repos() { return this.deps.repos; }

  async list(caller: Caller): Promise<PushDevice[]> {
    const rows = await this.repos.pushKeys.list(caller.scopePath, prefixUpperBound(caller.scopePath));
    return rows.map((r) => ({
      cameraId: r.cameraId, name: r.name, orgUnitId: r.orgUnitId, orgUnitName: r.orgUnitName, keyIssuedAt: r.createdAt, revokedAt: r.revokedAt,
      publishing: this.deps.publishing(r.cameraId),
    }));
  }

  /** Makes the camera row and its key in one transaction; the key is returned once and never again. */
  async create(caller: Caller, body: NewPushDevice, ip: string): Promise<{ cameraId: number; streamKey: string }> {
    const unit = await visibleUnit(this.repos.orgUnits, caller.scopePath, body.orgUnitId);
    if (!(await this.repos.networks.list()).some((n) => n.key === PUSH_NETWORK)) {
      throw new BadRequestError(`network "${PUSH_NETWORK}" is not configured`, 'network');
    }
    const streamKey = newToken();
    // External id: what the catalogue shows as the device's id; random so two devices of one name never collide.
    const externalId = `PUSH-${randomBytes(5).toString('hex').toUpperCase()}`;
    const cameraId = await atomically(this.deps.db, this.deps.publisher, async (tx) => {
      const id = await this.repos.cameras.insert({
        network: PUSH_NETWORK, externalId, name: body.name, orgUnitId: unit.id, sourceKind: 'rtsp',
        endpoint: `push:${externalId}`, streamUrl: `push:${externalId}`, publicArea: body.publicArea ?? false,
      }, tx);
      await this.repos.pushKeys.set(id, this.deps.secrets.tokenHash(streamKey), caller.id, tx);
      await this.repos.audit.record({
        actorType: 'user', actorId: caller.id, actorName: caller.username, action: 'mobile.device-create', targetType: 'camera', targetId: id,
        orgUnitId: unit.id, detail: { externalId }, ip,
      }, tx);
      return id;
    });
    return { cameraId, streamKey };
  }

  /** A pushed camera in the caller's area with its key row, or 404. */
  private async visibleDevice(caller: Caller, cameraId: number) {
    const camera = await this.repos.cameras.byId(cameraId);
    const key = camera && inScope(caller.scopePath, camera.orgPath) ? await this.repos.pushKeys.byCamera(cameraId) : undefined;
    if (!camera || !key) throw new NotFoundError(`Push device ${cameraId}`);
    return camera;
  }

  /** A new key (the old one stops working at once; the caller cuts off its publisher). */
  async rotate(caller: Caller, cameraId: number, ip: string): Promise<{ cameraId: number; streamKey: string }> {
    const camera = await this.visibleDevice(caller, cameraId);
    const streamKey = newToken();
    await atomically(this.deps.db, this.deps.publisher, async (tx) => {
      await this.repos.pushKeys.set(cameraId, this.deps.secrets.tokenHash(streamKey), caller.id, tx);
      await this.repos.audit.record({
        actorType: 'user', actorId: caller.id, actorName: caller.username, action: 'mobile.key-rotate', targetType: 'camera', targetId: cameraId,
        orgUnitId: camera.orgUnitId, ip,
      }, tx);
    });
    return { cameraId, streamKey };
  }

  async revoke(caller: Caller, cameraId: number, ip: string): Promise<void> {
    const camera = await this.visibleDevice(caller, cameraId);
    await atomically(this.deps.db, this.deps.publisher, async (tx) => {
      const revoked = await this.repos.pushKeys.revoke(cameraId, caller.id, tx);
      if (!revoked) return; // already revoked: nothing changes, nothing to audit
      await this.repos.audit.record({
        actorType: 'user', actorId: caller.id, actorName: caller.username, action: 'mobile.key-revoke', targetType: 'camera', targetId: cameraId,
        orgUnitId: camera.orgUnitId, ip,
      }, tx);
    });
  }

  /**
   * The demo's pushing devices (server/plugins/demo.ts): the device named `name` in `orgUnitId`, made if missing,
   * with a fresh key every start (the simulator is handed the key; only its hash is kept). Audited as the system.
   */
  async demoDevice(name: string, orgUnitId: number): Promise<{ cameraId: number; streamKey: string }> {
    const streamKey = newToken();
    const cameraId = await atomically(this.deps.db, this.deps.publisher, async (tx) => {
      const existing = await tx.get<{ id: number }>('SELECT id FROM cameras WHERE network = ? AND name = ? AND org_unit_id = ?', [PUSH_NETWORK, name, orgUnitId]);
      let id = existing?.id;
      if (!id) {
        const externalId = `PUSH-${randomBytes(5).toString('hex').toUpperCase()}`;
        id = await this.repos.cameras.insert({
          network: PUSH_NETWORK, externalId, name, orgUnitId, sourceKind: 'rtsp', endpoint: `push:${externalId}`, streamUrl: `push:${externalId}`,
        }, tx);
      }
      await this.repos.pushKeys.set(id, this.deps.secrets.tokenHash(streamKey), null, tx);
      await this.repos.audit.record({
        actorType: 'system', action: existing ? 'mobile.key-rotate' : 'mobile.device-create', targetType: 'camera', targetId: id, orgUnitId, detail: { demo: true },
      }, tx);
      return id;
    });
    return { cameraId, streamKey };
  }

  /** The ingest's question at publish time. Never throws for a bad key. */
  async authorize(streamKey: string): Promise<AuthorizeResult> {
    const row = await this.repos.pushKeys.byHash(this.deps.secrets.tokenHash(streamKey));
    if (!row) return { refused: 'unknown key' };
    if (row.revokedAt) return { refused: 'revoked key' };
    return { cameraId: row.cameraId };
  }

  /** A refused publish, audited (throttled per address). The key itself is never written anywhere. */
  async recordRefusal(reason: string, ip: string, now = Date.now()): Promise<void> {
    const seen = this.refusals.get(ip);
    if (seen && now - seen.at < REFUSAL_AUDIT_MS) { seen.suppressed++; return; }
    if (this.refusals.size > 10_000) this.refusals.clear();
    this.refusals.set(ip, { at: now, suppressed: 0 });
    await this.repos.audit.record({
      actorType: 'anonymous', action: 'mobile.publish-refused', targetType: 'rtmp', ip,
      detail: { reason, ...(seen?.suppressed ? { refusedSinceLastRow: seen.suppressed } : {}) },
    });
  }
}
