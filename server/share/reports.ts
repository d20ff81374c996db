// 随手拍: a resident reports a problem on one of the link's cameras. The frame is the server's own snapshot of that
// camera (no upload: a resident cannot send any other picture, nor any file at all); the report becomes a danger
// with origin `resident`, located at the camera like any tagged danger and owned by the village the link's compound
// belongs to (village officers see it, the township above dispatches it), pushed on socket.io like any other.
// A resident learns nothing back but "received" or "handled" for their own reports (closure-rules.ts).
// Framework-free: server/plugins/resident-reports.ts wires it; routes in server/routes/api/share/reports.ts.
import type { Taxonomy } from '../contracts/dispatch';
import type { ResidentReport, ResidentReportCreate } from '../contracts/share';
import { atomically, type Publisher } from '../db/atomically';
import type { Database } from '../db/database';
import type { Repositories } from '../db/repositories';
import type { ShareLinkRecord } from '../db/repositories/share-links';
import { residentReportStatus } from '../domain/closure-rules';
import { inScope } from '../domain/scope';
import { RESIDENT_REPORT_WINDOW_MS, residentReportLimit } from '../domain/share-policy';
import { decodeJpeg, storeJpeg } from '../dispatch/evidence';
import { BadRequestError, HttpError, NotFoundError } from '../errors';

export interface ResidentReportDeps {
  db: Database;
  repos: Repositories;
  publisher: Publisher;
  dataDir: string;
  taxonomy: Taxonomy;
  /** The camera's frame now (the snapshot service; never starts a relay). */
  grabFrame: (cameraId: number) => Promise<{ jpeg: Buffer; takenAt: number }>;
}

/** Who is reporting: the link (its terms checked) and the device hash its viewer token carries. */
export interface Reporter {
  link: ShareLinkRecord;
  device: string;
}

const DEFAULT_SEVERITY = 'general' as const;

export class ResidentReportService {
  constructor(private readonly deps: ResidentReportDeps) {}

  /** The short list residents pick from: taxonomy categories marked `resident`. */
  categories(): Array<{ key: string; name: string; nameEn: string }> {
    return this.deps.taxonomy.categories.filter((c) => c.resident).map(({ key, name, nameEn }) => ({ key, name, nameEn }));
  }

  async report(who: Reporter, body: ResidentReportCreate, ip?: string): Promise<ResidentReport> {
    const { repos } = this.deps;
    const { link, device } = who;
    const allowed = this.categories();
    if (!allowed.some((c) => c.key === body.category)) {
      throw new BadRequestError(`category must be one of: ${allowed.map((c) => c.key).join(', ')}`, 'category');
    }
    const camera = link.cameraIds.includes(body.cameraId) ? await repos.cameras.byId(body.cameraId) : undefined;
    if (!camera || !inScope(link.orgPath, camera.orgPath)) throw new NotFoundError(`Camera ${body.cameraId}`, 'cameraId');
    await this.checkLimits(link.id, device);

    // The frame before the transaction (file I/O and ffmpeg do not belong inside the write lock). No frame, no
    // report: the picture is what makes it actionable, and the resident can try again in a moment.
    let shot;
    try {
      shot = await this.deps.grabFrame(camera.id);
    } catch {
      throw new HttpError(503, '暂时无法获取该摄像机画面，请稍后再试 / No picture from this camera right now, try again shortly');
    }
    const image = storeJpeg(this.deps.dataDir, decodeJpeg(shot.jpeg.toString('base64'), 'frame'));
    const owner = await this.ownerUnit(link);
    const at = new Date().toISOString();
    const note = body.note?.trim() ?? '';
    const reporterName = `居民随手拍 · ${link.label}`;

    return atomically(this.deps.db, this.deps.publisher, async (tx, publish) => {
      // Counted again inside the write lock: two reports racing for the last place cannot both take it.
      await this.checkLimits(link.id, device, tx);
      const dangerId = await repos.dangers.insert({
        cameraId: camera.id, cameraName: camera.name, network: camera.network, orgUnitId: camera.orgUnitId, orgPath: camera.orgPath,
        lat: camera.lat, lng: camera.lng, address: camera.address, capturedAt: new Date(shot.takenAt).toISOString(), category: body.category,
        severity: DEFAULT_SEVERITY, note, evidenceSha256: image.sha256, evidenceBytes: image.bytes, ownerUnitId: owner.id, ownerPath: owner.path,
        createdBy: link.createdById, createdByName: reporterName, at, origin: 'resident',
      }, tx);
      await repos.dangers.addHistory({
        dangerId, taskId: null, at, action: 'created', fromStatus: null, toStatus: 'reported', actorType: 'system', actorId: null,
        actorName: reporterName, actorUnitId: null, note,
      }, tx);
      const id = await repos.residentReports.insert({ linkId: link.id, device, dangerId, at }, tx);
      await repos.audit.record({
        actorType: 'resident', actorId: `link:${link.id}`, actorName: link.label, action: 'danger.resident-report', targetType: 'danger',
        targetId: dangerId, orgUnitId: camera.orgUnitId, detail: { device, cameraId: camera.id, category: body.category, evidence: image.sha256 }, ip,
      }, tx);
      await publish(camera.orgPath, 'danger:created', {
        dangerId, cameraId: camera.id, cameraName: camera.name, orgUnitId: camera.orgUnitId, category: body.category, severity: DEFAULT_SEVERITY,
        capturedAt: new Date(shot.takenAt).toISOString(), createdBy: reporterName, origin: 'resident',
      });
      return { id, cameraId: camera.id, cameraName: camera.name, category: body.category, createdAt: at, status: 'received' as const };
    });
  }

  /** This device's own reports through this link, with nothing but received / handled. */
  async own(who: Reporter): Promise<ResidentReport[]> {
    const rows = await this.deps.repos.residentReports.own(who.link.id, who.device);
    return rows.map((r) => ({ id: r.id, cameraId: r.cameraId, cameraName: r.cameraName, category: r.category, createdAt: r.createdAt, status: residentReportStatus(r) }));
  }

  private async checkLimits(linkId: number, device: string, db?: Parameters<Repositories['residentReports']['counts']>[3]): Promise<void> {
    const since = new Date(Date.now() - RESIDENT_REPORT_WINDOW_MS).toISOString();
    const { byDevice, byLink } = await this.deps.repos.residentReports.counts(linkId, device, since, db);
    const limit = residentReportLimit(byDevice, byLink);
    if (limit === 'device') throw new HttpError(429, '您本小时的上报次数已达上限，请稍后再试 / You have reached the hourly report limit on this phone');
    if (limit === 'link') throw new HttpError(429, '此链接本小时的上报次数已达上限，请稍后再试 / This link has reached its hourly report limit');
  }

  /** The village the link's unit lies in (the link's unit itself when it is not below a village). */
  private async ownerUnit(link: ShareLinkRecord): Promise<{ id: number; path: string }> {
    const ids = link.orgPath.split('/').filter(Boolean).map(Number).reverse();
    for (const id of ids) {
      const unit = await this.deps.repos.orgUnits.byId(id);
      if (unit?.level === 'village') return { id: unit.id, path: unit.path };
    }
    return { id: link.orgUnitId, path: link.orgPath };
  }
}
