import { beforeEach, describe, expect, it } from 'vitest';
import { clearTerritoryCache, findChildContaining } from './territory';

const children = [{ id: 2, name: '城关镇' }, { id: 7, name: '东城街道' }];

describe('findChildContaining', () => {
  beforeEach(() => clearTerritoryCache());

  it('finds the child whose subtree holds the camera', async () => {
    const calls: number[] = [];
    const search = async (unitId: number) => {
      calls.push(unitId);
      return unitId === 7 ? [40, 41] : [5];
    };
    expect(await findChildContaining(children, { id: 41, name: '东城小区北门' }, search)).toBe(7);
    expect(calls.sort()).toEqual([2, 7]);
    // Cached: no more requests.
    expect(await findChildContaining(children, { id: 41, name: '东城小区北门' }, search)).toBe(7);
    expect(calls).toHaveLength(2);
  });

  it('answers at once when the camera sits directly in a child', async () => {
    const search = async () => {
      throw new Error('not called');
    };
    expect(await findChildContaining(children, { id: 1, name: 'x', orgUnitId: 2 }, search)).toBe(2);
  });

  it('gives null when nothing matches or a search fails', async () => {
    const search = async (unitId: number) => {
      if (unitId === 2) throw new Error('boom');
      return [];
    };
    expect(await findChildContaining(children, { id: 9, name: 'x' }, search)).toBeNull();
    expect(await findChildContaining([], { id: 9, name: 'x' }, search)).toBeNull();
  });
});
