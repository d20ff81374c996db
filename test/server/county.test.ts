import { describe, expect, it } from 'vitest';
import { COMPOUND_NAME, DEMO_PLAN, generateCounty, LARGE_PLAN } from '../../server/demo/county';
import { planFleet, simHost } from '../../server/demo/camera-plan';

describe('generated county', () => {
  it('is deterministic and covers every network and level', () => {
    const a = generateCounty(DEMO_PLAN);
    expect(generateCounty(DEMO_PLAN)).toEqual(a);
    expect(a.cameras).toHaveLength(DEMO_PLAN.cameras + DEMO_PLAN.compoundCameras);
    expect(new Set(a.cameras.map((c) => c.network))).toEqual(new Set(['skynet', 'xueliang', 'huiyan', 'traffic', 'city-management']));
    expect(new Set(a.units.map((u) => u.level))).toEqual(new Set(['county', 'township', 'village', 'compound']));
    expect(new Set(a.cameras.map((c) => `${c.network}/${c.externalId}`)).size).toBe(a.cameras.length);
  });

  it('gives 东城小区 its 74 cameras, public areas flagged and back offices not', () => {
    const { units, cameras, compoundCode } = generateCounty(DEMO_PLAN);
    expect(units.find((u) => u.code === compoundCode)?.name).toBe(COMPOUND_NAME);
    const compound = cameras.filter((c) => c.orgUnitCode === compoundCode);
    expect(compound).toHaveLength(74);
    const privateOnes = compound.filter((c) => !c.publicArea);
    expect(privateOnes.length).toBeGreaterThan(0);
    expect(privateOnes.every((c) => /物业办公室|监控室|配电房|水泵房/.test(c.name))).toBe(true);
    expect(new Set(compound.map((c) => c.name)).size).toBe(74);
  });

  it('scales to a real county’s size: 33 townships, ~500 villages, 100,000 cameras, every parent before its child', () => {
    const big = generateCounty(LARGE_PLAN);
    expect(big.units.filter((u) => u.level === 'township')).toHaveLength(33);
    expect(big.units.filter((u) => u.level === 'village')).toHaveLength(495);
    expect(big.cameras).toHaveLength(100_074);
    const seen = new Set<string>();
    for (const u of big.units) {
      if (u.parentCode) expect(seen.has(u.parentCode)).toBe(true);
      seen.add(u.code);
    }
  });

  it('places each simulated camera on its own loopback address', () => {
    const specs = planFleet(generateCounty(DEMO_PLAN).cameras);
    expect(new Set(specs.map((s) => s.host)).size).toBe(specs.length);
    expect(specs.every((s) => s.host.startsWith('127.'))).toBe(true);
    expect(simHost(0)).toBe('127.0.1.1');
    expect(simHost(250)).toBe('127.0.2.1');
  });
});
