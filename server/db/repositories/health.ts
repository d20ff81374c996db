// What the health checker reads (cameras with their decrypted credentials, paged by id) and the online rates.
import type { OnlineRate } from '../../contracts/catalogue';
import type { HealthTarget } from '../../discovery/health/checker';
import { prefixUpperBound } from '../../domain/scope';
import type { Secrets } from '../../security/secrets';
import type { Queryable } from '../database';

interface StatusCounts {
  key: string;
  name: string;
  total: number;
  online: number;
  offline: number;
  unknown: number;
}

function rate(c: StatusCounts): OnlineRate {
  const checked = c.online + c.offline;
  return { ...c, rate: checked ? Math.round((c.online / checked) * 10_000) / 10_000 : 0 };
}

export class HealthRepository {
  constructor(private readonly db: Queryable, private readonly secrets: Secrets) {}

  async page(afterId: number, limit: number): Promise<HealthTarget[]> {
    const rows = await this.db.all<Omit<HealthTarget, 'password'> & { secret: string | null }>(
      `SELECT c.id, c.source_kind AS sourceKind, c.endpoint, c.stream_url AS streamUrl, k.username, k.secret
       FROM cameras c LEFT JOIN camera_credentials k ON k.camera_id = c.id
       -- Pushed cameras (RTMP, 'push:') have nothing to probe: their publish is their status.
       WHERE c.id > ? AND c.endpoint NOT LIKE 'push:%' ORDER BY c.id LIMIT ?`,
      [afterId, limit],
    );
    return rows.map(({ secret, ...r }) => ({ ...r, password: secret ? this.secrets.decrypt(secret) : null }));
  }

  async byNetwork(path: string): Promise<OnlineRate[]> {
    const rows = await this.db.all<StatusCounts>(
      `SELECT n.key, n.name, count(c.id) AS total, coalesce(sum(c.status = 'online'), 0) AS online,
              coalesce(sum(c.status = 'offline'), 0) AS offline, coalesce(sum(c.status = 'unknown'), 0) AS unknown
       FROM networks n LEFT JOIN cameras c ON c.network = n.key AND c.org_path >= ? AND c.org_path < ?
       GROUP BY n.key ORDER BY n.sort, n.key`,
      [path, prefixUpperBound(path)],
    );
    return rows.map(rate);
  }

  /** Per child unit of `parentId` (the townships, for the county). */
  async byChild(parentId: number): Promise<OnlineRate[]> {
    const rows = await this.db.all<StatusCounts>(
      `SELECT CAST(u.id AS TEXT) AS key, u.name,
              (SELECT count(*) FROM cameras c WHERE c.org_path >= u.path AND c.org_path < u.path || '~') AS total,
              (SELECT count(*) FROM cameras c WHERE c.org_path >= u.path AND c.org_path < u.path || '~' AND c.status = 'online') AS online,
              (SELECT count(*) FROM cameras c WHERE c.org_path >= u.path AND c.org_path < u.path || '~' AND c.status = 'offline') AS offline,
              0 AS unknown
       FROM org_units u WHERE u.parent_id = ? ORDER BY u.code`,
      [parentId],
    );
    return rows.map((r) => rate({ ...r, unknown: r.total - r.online - r.offline }));
  }
}
