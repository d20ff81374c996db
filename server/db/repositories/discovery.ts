// Discovery jobs and their results; matching a found device to a camera already in the catalogue.
import type { DiscoveredProfile, DiscoveryFailure, DiscoveryJob, DiscoveryJobState, DiscoveryResult } from '../../contracts/catalogue';
import { prefixUpperBound } from '../../domain/scope';
import type { Secrets } from '../../security/secrets';
import type { Queryable } from '../database';

export interface NewJob {
  mode: 'unicast' | 'multicast';
  params: Record<string, unknown>;
  credentials?: { username: string; password: string };
  ownerId: number;
  ownerName: string;
  orgUnitId: number;
  orgPath: string;
}

export interface NewResult {
  jobId: number;
  address: string;
  endpointRef: string | null;
  xaddr: string | null;
  failure: DiscoveryFailure | null;
  message: string | null;
  manufacturer: string | null;
  model: string | null;
  firmware: string | null;
  serial: string | null;
  profiles: DiscoveredProfile[];
  streamUri: string | null;
  subStreamUri: string | null;
  snapshotUri: string | null;
  ptz: boolean;
  cameraId: number | null;
  suggestedName: string;
}

export type JobWithPath = DiscoveryJob & { orgPath: string };

const JOB_SELECT = `SELECT id, mode, state, probed, total, found, failed, org_unit_id AS orgUnitId, owner_name AS createdBy,
  created_at AS createdAt, finished_at AS finishedAt, error, org_path AS orgPath FROM discovery_jobs`;
const RESULT_SELECT = `SELECT id, job_id AS jobId, address, endpoint_ref AS endpointRef, xaddr, state, failure, message, manufacturer,
  model, firmware, serial, profiles, stream_uri AS streamUri, sub_stream_uri AS subStreamUri, snapshot_uri AS snapshotUri, ptz, camera_id AS cameraId,
  suggested_name AS suggestedName FROM discovery_results`;

type ResultRow = Omit<DiscoveryResult, 'profiles' | 'ptz'> & { profiles: string; ptz: number };
const toResult = (r: ResultRow): DiscoveryResult => ({ ...r, profiles: JSON.parse(r.profiles) as DiscoveredProfile[], ptz: !!r.ptz });

export class DiscoveryRepository {
  constructor(private readonly db: Queryable, private readonly secrets: Secrets) {}

  async createJob(job: NewJob, db: Queryable = this.db): Promise<number> {
    const { lastID } = await db.run(
      `INSERT INTO discovery_jobs (mode, state, params, username, secret, owner_id, owner_name, org_unit_id, org_path, created_at)
       VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        job.mode, JSON.stringify(job.params), job.credentials?.username ?? null,
        job.credentials ? this.secrets.encrypt(job.credentials.password) : null,
        job.ownerId, job.ownerName, job.orgUnitId, job.orgPath, new Date().toISOString(),
      ],
    );
    return lastID;
  }

  async progress(id: number, p: { probed: number; total: number; found: number; failed: number }, db: Queryable = this.db): Promise<void> {
    await db.run('UPDATE discovery_jobs SET probed = ?, total = ?, found = ?, failed = ? WHERE id = ?', [p.probed, p.total, p.found, p.failed, id]);
  }

  async finish(id: number, state: Exclude<DiscoveryJobState, 'running'>, error: string | null): Promise<void> {
    await this.db.run('UPDATE discovery_jobs SET state = ?, error = ?, finished_at = ? WHERE id = ?', [state, error, new Date().toISOString(), id]);
  }

  /** Jobs left 'running' by a process that stopped: they will never finish. */
  async abandonRunning(): Promise<void> {
    await this.db.run("UPDATE discovery_jobs SET state = 'failed', error = 'interrupted by a restart', finished_at = ? WHERE state = 'running'", [new Date().toISOString()]);
  }

  job(id: number): Promise<JobWithPath | undefined> {
    return this.db.get<JobWithPath>(`${JOB_SELECT} WHERE id = ?`, [id]);
  }

  jobs(scopePath: string, limit = 50): Promise<JobWithPath[]> {
    return this.db.all<JobWithPath>(`${JOB_SELECT} WHERE org_path >= ? AND org_path < ? ORDER BY id DESC LIMIT ?`, [scopePath, prefixUpperBound(scopePath), limit]);
  }

  async credentials(jobId: number): Promise<{ username: string; password: string } | undefined> {
    const row = await this.db.get<{ username: string | null; secret: string | null }>('SELECT username, secret FROM discovery_jobs WHERE id = ?', [jobId]);
    return row?.username && row.secret ? { username: row.username, password: this.secrets.decrypt(row.secret) } : undefined;
  }

  async addResult(r: NewResult): Promise<DiscoveryResult> {
    const { lastID } = await this.db.run(
      `INSERT INTO discovery_results (job_id, address, endpoint_ref, xaddr, state, failure, message, manufacturer, model, firmware, serial,
                                      profiles, stream_uri, sub_stream_uri, snapshot_uri, ptz, camera_id, suggested_name, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        r.jobId, r.address, r.endpointRef, r.xaddr, r.failure ? 'failed' : 'found', r.failure, r.message, r.manufacturer, r.model,
        r.firmware, r.serial, JSON.stringify(r.profiles), r.streamUri, r.subStreamUri, r.snapshotUri, r.ptz ? 1 : 0, r.cameraId, r.suggestedName,
        new Date().toISOString(),
      ],
    );
    return (await this.result(lastID))!;
  }

  async result(id: number, db: Queryable = this.db): Promise<DiscoveryResult | undefined> {
    const row = await db.get<ResultRow>(`${RESULT_SELECT} WHERE id = ?`, [id]);
    return row && toResult(row);
  }

  async results(jobId: number): Promise<DiscoveryResult[]> {
    return (await this.db.all<ResultRow>(`${RESULT_SELECT} WHERE job_id = ? ORDER BY id`, [jobId])).map(toResult);
  }

  async markAdded(resultId: number, cameraId: number, db: Queryable = this.db): Promise<void> {
    await db.run("UPDATE discovery_results SET state = 'added', camera_id = ? WHERE id = ?", [cameraId, resultId]);
  }

  /**
   * The catalogue camera a device already is: same device id (serial, or the WS-Discovery endpoint when the
   * device gives no serial), else an ONVIF camera whose device service is this XAddr.
   */
  async matchCamera(deviceIds: string[], xaddr: string | null, db: Queryable = this.db): Promise<{ id: number; orgPath: string } | undefined> {
    const ids = deviceIds.filter(Boolean);
    if (ids.length) {
      const hit = await db.get<{ id: number; orgPath: string }>(
        `SELECT id, org_path AS orgPath FROM cameras WHERE device_id IN (${ids.map(() => '?').join(',')}) ORDER BY id LIMIT 1`, ids,
      );
      if (hit) return hit;
    }
    if (!xaddr) return undefined;
    return db.get<{ id: number; orgPath: string }>("SELECT id, org_path AS orgPath FROM cameras WHERE source_kind = 'onvif' AND endpoint = ? ORDER BY id LIMIT 1", [xaddr]);
  }
}
