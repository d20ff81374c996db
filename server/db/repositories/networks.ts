import type { Network } from '../../contracts/api';
import type { Queryable } from '../database';

export class NetworkRepository {
  constructor(private readonly db: Queryable) {}

  /** Networks are configuration: the config file's list is written through at every start. */
  async sync(networks: Network[]): Promise<void> {
    for (const [sort, n] of networks.entries()) {
      await this.db.run(
        `INSERT INTO networks (key, name, name_en, color, sort) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, color = excluded.color, sort = excluded.sort`,
        [n.key, n.name, n.nameEn, n.color, sort],
      );
    }
  }

  list(): Promise<Network[]> {
    return this.db.all<Network>('SELECT key, name, name_en AS nameEn, color FROM networks ORDER BY sort, key');
  }
}
