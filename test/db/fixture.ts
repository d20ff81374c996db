// A small county written through the repositories, identical on either engine: the same rows in the same order,
// so that any difference a test sees comes from the engine, not the data.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../server/db/database';
import { migrate } from '../../server/db/migrate';
import { createRepositories, type Repositories } from '../../server/db/repositories';
import { createSecrets } from '../../server/security/secrets';

export const NETWORKS = [
  { key: 'xueliang', name: '雪亮工程', nameEn: 'Xueliang', color: '#d32f2f' },
  { key: 'police', name: '公安网', nameEn: 'Police', color: '#1976d2' },
];

/** Camera names with Chinese, ASCII of both cases, LIKE wildcards and a double quote, to exercise search. */
export const CAMERA_NAMES = [
  '城关镇主路口', '城关镇东风路口', '东风小学门口', 'Dongfeng Market North', '人民医院_急诊', '100% 覆盖测试',
  '"引号"路口', '城西加油站', 'XUELIANG-GATE-01', '东城社区东门', '东城社区西门', '河滨公园',
];

export async function seedCounty(db: Database): Promise<{ repos: Repositories; county: number; towns: number[] }> {
  await migrate(db);
  const repos = createRepositories(db, createSecrets(mkdtempSync(join(tmpdir(), 'cvc-keys-')), 'fixed-test-secret'));
  await repos.networks.sync(NETWORKS);
  const [county, ...towns] = await repos.orgUnits.insertMany([
    { code: '339901', name: '安澜县', level: 'county', parent: null },
    { code: '339901001', name: '城关镇', nameEn: 'Chengguan', level: 'township', parent: { index: 0 } },
    { code: '339901002', name: '东城街道', level: 'township', parent: { index: 0 } },
  ]);
  for (const [i, name] of CAMERA_NAMES.entries()) {
    await repos.cameras.insert({
      network: NETWORKS[i % 2]!.key, externalId: `EXT-${String(i).padStart(3, '0')}`, name, orgUnitId: towns[i % 2]!.id,
      lat: 29.1 + i / 1000, lng: 119.3 + i / 1000, address: i % 3 === 0 ? '安澜县城关镇解放路' : `Road ${i}`,
      sourceKind: 'rtsp', endpoint: `rtsp://127.0.0.1:8554/s${i}`, streamUrl: `rtsp://127.0.0.1:8554/s${i}`,
      credentials: i % 4 === 0 ? { username: 'admin', password: `pw${i}` } : null,
    });
  }
  return { repos, county: county!.id, towns: towns.map((t) => t.id) };
}

/** Substring searches, 1 to many characters, Chinese and ASCII, with wildcards and quotes taken literally. */
export const SEARCHES = ['东', '路口', '城关镇', '东风路', 'dong', 'DONG', 'market north', '100%', '_急', '"引号"', 'ext-00', 'road 1', '解放路', 'zzz', 'gate-0'];
