// Catalogue search on SQLite (FTS5 trigram for 3+ characters, a narrow index below) and on PostgreSQL (pg_trgm):
// the same cameras, the same queries, the same answers in the same order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repositories } from '../../server/db/repositories';
import { backends } from '../helpers/backends';
import { SEARCHES, seedCounty } from './fixture';

const [sqlite, postgres] = backends;

describe.skipIf(postgres!.skip)('catalogue search on SQLite and PostgreSQL', () => {
  const opened: Array<() => Promise<void>> = [];
  let lite: { repos: Repositories; county: number; towns: number[] };
  let pg: typeof lite;
  beforeAll(async () => {
    const a = await sqlite!.open('search');
    const b = await postgres!.open('search');
    opened.push(a.dispose, b.dispose);
    lite = await seedCounty(a.db);
    pg = await seedCounty(b.db);
  });
  afterAll(async () => {
    for (const dispose of opened) await dispose();
  });

  it.each(SEARCHES)('"%s" finds the same cameras', async (q) => {
    const run = async (side: typeof lite, path: string) =>
      (await side.repos.cameras.list(path, { q, limit: 100, offset: 0 })).items.map((c) => `${c.id} ${c.name}`);
    const expected = await run(lite, `/${lite.county}/`);
    expect(await run(pg, `/${pg.county}/`)).toEqual(expected);
    // And inside one township's scope.
    expect(await run(pg, `/${pg.county}/${pg.towns[1]}/`)).toEqual(await run(lite, `/${lite.county}/${lite.towns[1]}/`));
  });

  it('the queries are not vacuous: most find something and some find nothing', async () => {
    const totals = await Promise.all(SEARCHES.map(async (q) => (await lite.repos.cameras.list(`/${lite.county}/`, { q, limit: 1, offset: 0 })).total));
    expect(totals.filter((n) => n > 0).length).toBeGreaterThan(SEARCHES.length / 2);
    expect(totals).toContain(0);
  });
});
