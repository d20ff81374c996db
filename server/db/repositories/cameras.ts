import type { Camera, CameraQuery, CameraStatus, CameraUpdate } from '../../contracts/api';
import { NotFoundError } from '../../errors';
import { prefixUpperBound } from '../../domain/scope';
import type { Secrets } from '../../security/secrets';
import type { Params, Queryable } from '../database';
import type { OrgUnitRepository } from './org-units';
import type { StreamKind } from '../../media';

export interface NewCamera {
  network: string;
  externalId: string;
  name: string;
  orgUnitId: number;
  lat?: number | null;
  lng?: number | null;
  address?: string;
  sourceKind: 'onvif' | 'rtsp';
  endpoint: string;
  streamUrl?: string | null;
  /** The sub-stream (子码流), without credentials (it uses the main stream's); null/absent: none. */
  subStreamUrl?: string | null;
  /** The camera's own JPEG snapshot address (ONVIF GetSnapshotUri), without credentials. */
  snapshotUrl?: string | null;
  publicArea?: boolean;
  ptz?: boolean;
  credentials?: { username: string; password: string } | null;
}

/** A camera as the media layer needs it: where to pull from, with the decrypted credentials. Server-only. */
export interface CameraSource {
  cameraId: number;
  orgUnitId: number;
  orgPath: string;
  url: string;
  username?: string;
  password?: string;
}

interface CameraRow extends Omit<Camera, 'publicArea' | 'ptz' | 'hasCredentials' | 'hasSubStream'> {
  publicArea: number;
  ptz: number;
  hasCredentials: number;
  hasSubStream: number;
  orgPath: string;
}

// hasCredentials as a scalar subquery, not EXISTS: PostgreSQL may plan an EXISTS in the select list as a hash of
// the whole camera_credentials table (a 30 ms seq scan at 100,000 cameras for a page of 100); this one is a primary
// key lookup per listed row on either engine.
const SELECT = `
  SELECT c.id, c.external_id AS externalId, c.name, c.network, c.org_unit_id AS orgUnitId, c.lat, c.lng, c.address,
         c.source_kind AS sourceKind, c.endpoint, c.status, c.status_reason AS statusReason, c.last_seen_at AS lastSeenAt,
         c.codec, c.width, c.height, c.public_area AS publicArea, c.ptz, c.org_path AS orgPath,
         (SELECT 1 FROM camera_credentials k WHERE k.camera_id = c.id LIMIT 1) IS NOT NULL AS hasCredentials,
         c.sub_stream_url IS NOT NULL AS hasSubStream
  FROM cameras c`;

export type CameraWithPath = Camera & { orgPath: string };

/** The id the next new camera takes: above every camera there is and every one deleted (migration 012). */
export const NEXT_CAMERA_ID = `(SELECT max(coalesce((SELECT max(id) FROM cameras), 0),
  coalesce((SELECT id FROM id_high_water WHERE name = 'cameras'), 0)) + 1)`;

function toCamera(row: CameraRow): CameraWithPath {
  return { ...row, publicArea: !!row.publicArea, ptz: !!row.ptz, hasCredentials: !!row.hasCredentials, hasSubStream: !!row.hasSubStream };
}

/** Strips any user:password@ from a URL: credentials live only in camera_credentials. */
export function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}

/** Lower-cases ASCII only, as SQLite's lower() does for search_text. */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (ch) => ch.toLowerCase());
}

export class CameraRepository {
  constructor(
    private readonly db: Queryable,
    private readonly orgUnits: OrgUnitRepository,
    private readonly secrets: Secrets,
  ) {}

  /** Throws NotFoundError (orgUnitId) for a unit that does not exist: the row would break its foreign key. */
  async insert(camera: NewCamera, db: Queryable = this.db): Promise<number> {
    const unit = await this.orgUnits.byId(camera.orgUnitId, db);
    if (!unit) throw new NotFoundError(`Org unit ${camera.orgUnitId}`, 'orgUnitId');
    const now = new Date().toISOString();
    const { lastID } = await db.run(
      `INSERT INTO cameras (id, network, external_id, name, org_unit_id, org_path, lat, lng, address, source_kind, endpoint, stream_url,
                            sub_stream_url, snapshot_url, public_area, ptz, created_at, updated_at)
       VALUES (${NEXT_CAMERA_ID}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        camera.network,
        camera.externalId,
        camera.name,
        unit.id,
        unit.path,
        camera.lat ?? null,
        camera.lng ?? null,
        camera.address ?? '',
        camera.sourceKind,
        withoutCredentials(camera.endpoint),
        camera.streamUrl ? withoutCredentials(camera.streamUrl) : null,
        camera.subStreamUrl ? withoutCredentials(camera.subStreamUrl) : null,
        camera.snapshotUrl ? withoutCredentials(camera.snapshotUrl) : null,
        camera.publicArea ? 1 : 0,
        camera.ptz ? 1 : 0,
        now,
        now,
      ],
    );
    if (camera.credentials) await this.setCredentials(lastID, camera.credentials, db);
    return lastID;
  }

  async setCredentials(cameraId: number, creds: { username: string; password: string }, db: Queryable = this.db): Promise<void> {
    await db.run(
      `INSERT INTO camera_credentials (camera_id, username, secret) VALUES (?, ?, ?)
       ON CONFLICT(camera_id) DO UPDATE SET username = excluded.username, secret = excluded.secret`,
      [cameraId, creds.username, this.secrets.encrypt(creds.password)],
    );
  }

  async byId(id: number, db: Queryable = this.db): Promise<CameraWithPath | undefined> {
    const row = await db.get<CameraRow>(`${SELECT} WHERE c.id = ?`, [id]);
    return row && toCamera(row);
  }

  /** The camera with this network and external id (the catalogue's natural key), if any. */
  async idByExternalId(network: string, externalId: string, db: Queryable = this.db): Promise<number | undefined> {
    return (await db.get<{ id: number }>('SELECT id FROM cameras WHERE network = ? AND external_id = ?', [network, externalId]))?.id;
  }

  /** Cameras under the unit at `path` (its whole subtree, or with `direct` its own cameras only), filtered. The
   * caller has resolved query.orgUnitId into `path` and checked it against the user's scope. */
  async list(path: string, query: Omit<CameraQuery, 'orgUnitId'>): Promise<{ items: CameraWithPath[]; total: number }> {
    // A unit's own cameras share its exact path; its subtree is the path prefix range.
    const direct = !!query.direct;
    const where = direct ? ['c.org_path = ?'] : ['c.org_path >= ?', 'c.org_path < ?'];
    const params: Params = direct ? [path] : [path, prefixUpperBound(path)];
    if (query.network) {
      where.push('c.network = ?');
      params.push(query.network);
    }
    if (query.status) {
      where.push('c.status = ?');
      params.push(query.status);
    }
    let from = 'cameras c';
    if (query.q) {
      // Substring search on name, external id and address (ASCII case-insensitive), through the structures of
      // migration 003: the trigram index for 3+ characters, the narrow (org_path, search_text) index below that.
      const q = asciiLower(query.q);
      if (this.db.dialect === 'postgres') {
        // pg_trgm's GIN index on search_text (pg/003) answers a substring LIKE of 3+ characters; shorter ones scan
        // the scope's rows, as SQLite's narrow-index branch does. % and _ in the query are taken literally.
        // `~~` is LIKE itself: the dialect turns a written LIKE into ILIKE (SQLite's LIKE ignores ASCII case), but
        // search_text and the query are lower-cased already, and ILIKE folds every row's case under a UTF-8
        // LC_CTYPE (~2x the time of a scan).
        where.push("c.search_text ~~ ?");
        params.push(`%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
      } else if ([...q].length >= 3) {
        where.push('c.id IN (SELECT rowid FROM camera_fts WHERE camera_fts MATCH ?)');
        params.push(`"${q.replace(/"/g, '""')}"`);
      } else {
        // Through the narrow (org_path, search_text, network, status) index, named: left to itself the planner may
        // compute search_text from every table row instead (~100 ms at 100,000 cameras).
        where.push('instr(c.search_text, ?) > 0');
        params.push(q);
        from = 'cameras c INDEXED BY cameras_search';
      }
    }
    const clause = where.join(' AND ');
    // Asked together: PostgreSQL runs them on two pooled connections (two cores), which halves a search that has
    // to scan; SQLite's one connection takes them in turn as before.
    const [counted, rows] = await Promise.all([
      this.db.get<{ n: number }>(`SELECT count(*) AS n FROM ${from} WHERE ${clause}`, params),
      this.db.all<CameraRow>(`${SELECT.replace('FROM cameras c', `FROM ${from}`)} WHERE ${clause} ORDER BY c.org_path, c.name, c.id LIMIT ? OFFSET ?`, [
        ...params,
        query.limit ?? 100,
        query.offset ?? 0,
      ]),
    ]);
    return { items: rows.map(toCamera), total: counted?.n ?? 0 };
  }

  /** False when there is no such camera. */
  async update(id: number, change: CameraUpdate & { orgPath?: string }, db: Queryable = this.db): Promise<boolean> {
    const columns: Record<string, unknown> = {
      name: change.name,
      org_unit_id: change.orgUnitId,
      org_path: change.orgPath,
      address: change.address,
      lat: change.lat,
      lng: change.lng,
      public_area: change.publicArea === undefined ? undefined : change.publicArea ? 1 : 0,
    };
    const set = Object.entries(columns).filter(([, v]) => v !== undefined);
    if (set.length === 0) return (await db.get('SELECT 1 FROM cameras WHERE id = ?', [id])) !== undefined;
    const { changes } = await db.run(
      `UPDATE cameras SET ${set.map(([k]) => `${k} = ?`).join(', ')}, updated_at = ? WHERE id = ?`,
      [...set.map(([, v]) => v as string | number | null), new Date().toISOString(), id],
    );
    return changes > 0;
  }

  /** Deletes the camera (its credentials go with it); false when there is none. Hidden dangers keep theirs: a
   * camera named by one cannot be deleted (foreign key), see `dangerCount`. */
  async delete(id: number, db: Queryable = this.db): Promise<boolean> {
    return (await db.run('DELETE FROM cameras WHERE id = ?', [id])).changes > 0;
  }

  /** Hidden dangers tagged on the camera: evidence that keeps it in the catalogue. */
  async dangerCount(id: number, db: Queryable = this.db): Promise<number> {
    return (await db.get<{ n: number }>('SELECT count(*) AS n FROM dangers WHERE camera_id = ?', [id]))?.n ?? 0;
  }

  /** Records a status observation. Returns the status before it, and whether status or reason changed (worth
   * pushing); undefined when there is no such camera. */
  async setStatus(
    id: number, status: CameraStatus, reason: string | null, media?: { codec?: string; width?: number; height?: number }, db: Queryable = this.db,
  ): Promise<{ previous: CameraStatus; changed: boolean } | undefined> {
    const prev = await db.get<{ status: CameraStatus; reason: string | null }>('SELECT status, status_reason AS reason FROM cameras WHERE id = ?', [id]);
    if (!prev) return undefined;
    const now = new Date().toISOString();
    await db.run(
      `UPDATE cameras SET status = ?, status_reason = ?, last_seen_at = CASE WHEN ? = 'online' THEN ? ELSE last_seen_at END,
              status_changed_at = CASE WHEN status IS NOT ? THEN ? ELSE status_changed_at END,
              codec = coalesce(?, codec), width = coalesce(?, width), height = coalesce(?, height)
       WHERE id = ?`,
      [status, reason, status, now, status, now, media?.codec ?? null, media?.width ?? null, media?.height ?? null, id],
    );
    // The history availability is computed from (migration 018): changes only.
    if (prev.status !== status) await db.run('INSERT INTO camera_status_log (camera_id, at, status) VALUES (?, ?, ?)', [id, now, status]);
    return { previous: prev.status, changed: prev.status !== status || prev.reason !== reason };
  }

  /** Stored status and reason of many cameras (absent ids are missing from the map). */
  async statuses(ids: number[], db: Queryable = this.db): Promise<Map<number, { status: CameraStatus; reason: string | null }>> {
    if (ids.length === 0) return new Map();
    const rows = await db.all<{ id: number; status: CameraStatus; reason: string | null }>(
      'SELECT id, status, status_reason AS reason FROM cameras WHERE id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))',
      [JSON.stringify(ids)],
    );
    return new Map(rows.map((r) => [r.id, { status: r.status, reason: r.reason }]));
  }

  /** Online cameras seen again with nothing to report: one statement for a batch of health checks. */
  async touchSeen(ids: number[], at: string, db: Queryable = this.db): Promise<void> {
    if (ids.length === 0) return;
    await db.run("UPDATE cameras SET last_seen_at = ? WHERE id IN (SELECT CAST(value AS INTEGER) FROM json_each(?)) AND status = 'online'", [at, JSON.stringify(ids)]);
  }

  /** Org paths of many cameras in one query (unknown ids are absent from the map). */
  async orgPaths(ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.all<{ id: number; orgPath: string }>(
      `SELECT id, org_path AS orgPath FROM cameras WHERE id IN (${ids.map(() => '?').join(', ')})`,
      ids,
    );
    return new Map(rows.map((r) => [r.id, r.orgPath]));
  }

  /** Source facts learnt by ONVIF discovery: device identity, service and stream addresses (never with credentials).
   * The sub-stream is what this discovery saw: a device no longer offering a smaller profile loses it. */
  async setDeviceSource(
    id: number, src: { endpoint: string; streamUrl: string | null; subStreamUrl: string | null; snapshotUrl: string | null; deviceId: string | null; ptz: boolean },
    db: Queryable = this.db,
  ): Promise<boolean> {
    const { changes } = await db.run(
      `UPDATE cameras SET source_kind = 'onvif', endpoint = ?, stream_url = ?, sub_stream_url = ?, snapshot_url = ?, device_id = coalesce(?, device_id), ptz = ?,
              updated_at = ? WHERE id = ?`,
      [
        withoutCredentials(src.endpoint), src.streamUrl ? withoutCredentials(src.streamUrl) : null,
        src.subStreamUrl ? withoutCredentials(src.subStreamUrl) : null, src.snapshotUrl ? withoutCredentials(src.snapshotUrl) : null,
        src.deviceId, src.ptz ? 1 : 0, new Date().toISOString(), id,
      ],
    );
    return changes > 0;
  }

  /** Where to pull a camera's stream from, with decrypted credentials; never return this from an API. `sub`
   * falls back to the main stream for a camera without one. Undefined when there is no such camera. */
  async source(id: number, stream: StreamKind = 'main'): Promise<CameraSource | undefined> {
    const row = await this.db.get<{ id: number; orgUnitId: number; orgPath: string; url: string | null; subUrl: string | null; endpoint: string; username: string | null; secret: string | null }>(
      `SELECT c.id, c.org_unit_id AS orgUnitId, c.org_path AS orgPath, c.stream_url AS url, c.sub_stream_url AS subUrl, c.endpoint, k.username, k.secret
       FROM cameras c LEFT JOIN camera_credentials k ON k.camera_id = c.id WHERE c.id = ?`,
      [id],
    );
    if (!row) return undefined;
    return {
      cameraId: row.id,
      orgUnitId: row.orgUnitId,
      orgPath: row.orgPath,
      url: (stream === 'sub' ? row.subUrl : null) ?? row.url ?? row.endpoint,
      username: row.username ?? undefined,
      password: row.secret ? this.secrets.decrypt(row.secret) : undefined,
    };
  }

  /** Where to steer a camera from: its ONVIF device address and decrypted credentials (PTZ). Never return this from
   * an API. Undefined when there is no such camera. */
  async ptzTarget(id: number): Promise<{ cameraId: number; xaddr: string; sourceKind: string; ptz: boolean; username?: string; password?: string } | undefined> {
    const row = await this.db.get<{ id: number; endpoint: string; sourceKind: string; ptz: number; username: string | null; secret: string | null }>(
      `SELECT c.id, c.endpoint, c.source_kind AS sourceKind, c.ptz, k.username, k.secret
       FROM cameras c LEFT JOIN camera_credentials k ON k.camera_id = c.id WHERE c.id = ?`,
      [id],
    );
    if (!row) return undefined;
    return {
      cameraId: row.id, xaddr: row.endpoint, sourceKind: row.sourceKind, ptz: !!row.ptz,
      username: row.username ?? undefined, password: row.secret ? this.secrets.decrypt(row.secret) : undefined,
    };
  }

  /** What the live routes check per camera: where it sits (scope, audit) and whether it has a sub-stream. */
  async liveFacts(id: number): Promise<{ orgPath: string; hasSubStream: boolean; codec: string | null } | undefined> {
    const row = await this.db.get<{ orgPath: string; hasSubStream: number; codec: string | null }>(
      'SELECT org_path AS orgPath, sub_stream_url IS NOT NULL AS hasSubStream, codec FROM cameras WHERE id = ?', [id],
    );
    return row && { orgPath: row.orgPath, hasSubStream: !!row.hasSubStream, codec: row.codec };
  }

  /** The camera's own snapshot address with decrypted credentials, null when it has none, undefined when there is
   * no such camera. Never return this from an API. */
  async snapshotSource(id: number): Promise<{ url: string; username?: string; password?: string } | null | undefined> {
    const row = await this.db.get<{ url: string | null; username: string | null; secret: string | null }>(
      `SELECT c.snapshot_url AS url, k.username, k.secret
       FROM cameras c LEFT JOIN camera_credentials k ON k.camera_id = c.id WHERE c.id = ?`,
      [id],
    );
    if (!row) return undefined;
    if (!row.url) return null;
    return { url: row.url, username: row.username ?? undefined, password: row.secret ? this.secrets.decrypt(row.secret) : undefined };
  }

  count(): Promise<number> {
    return this.db.get<{ n: number }>('SELECT count(*) AS n FROM cameras').then((r) => r?.n ?? 0);
  }
}
