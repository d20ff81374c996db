import { describe, expect, it } from 'vitest';
import type { OrgUnit } from '../../../../server/contracts/api';
import {
  ancestorChain, applyStatusChange, cameraQuery, emptyTree, expandAll, filtersKey, flattenTree, forgetCollapsed, onlineDelta, pendingLoads,
  setChildren, setError, setLoading, setRoots, toggle, toggleNetwork,
} from './tree-state';

const unit = (id: number, parentId: number | null, childCount = 0, onlineCount = 5, cameraCount = 10): OrgUnit => ({
  id, parentId, childCount, onlineCount, cameraCount, userCount: 0, code: String(id), name: `u${id}`, nameEn: null,
  level: parentId === null ? 'county' : 'township',
});

const county = unit(1, null, 2, 50, 100);
const towns = [unit(2, 1, 1, 20, 40), unit(3, 1, 0, 30, 60)];
const villages = [unit(4, 2, 0, 5, 10)];

function loaded() {
  let s = setRoots(emptyTree(), [county]);
  s = setChildren(s, 1, towns);
  return s;
}

describe('lazy tree', () => {
  it('opens the scope root by default and asks to load its children', () => {
    const s = setRoots(emptyTree(), [county]);
    expect(pendingLoads(s)).toEqual([1]);
    expect(pendingLoads(setLoading(s, 1))).toEqual([]);
  });

  it('flattens expanded branches only, depth first', () => {
    let s = loaded();
    expect(flattenTree(s).map((r) => [r.unit.id, r.depth])).toEqual([[1, 0], [2, 1], [3, 1]]);
    s = toggle(s, 2);
    expect(pendingLoads(s)).toEqual([2]);
    s = setChildren(s, 2, villages);
    expect(flattenTree(s).map((r) => [r.unit.id, r.depth])).toEqual([[1, 0], [2, 1], [4, 2], [3, 1]]);
    s = toggle(s, 1);
    expect(flattenTree(s).map((r) => r.unit.id)).toEqual([1]);
  });

  it('shows a moved unit once, under its new parent, while the old parent still lists it', () => {
    let s = setChildren(toggle(toggle(loaded(), 2), 3), 2, villages);
    // Village 4 moved from township 2 to 3: 3's children are read afresh, 2's list is from before the move.
    s = setChildren(s, 1, [towns[0], { ...towns[1], childCount: 1 }]);
    s = setChildren(s, 3, [{ ...villages[0], parentId: 3 }]);
    expect(flattenTree(s).map((r) => [r.unit.id, r.depth])).toEqual([[1, 0], [2, 1], [3, 1], [4, 2]]);
  });

  it('does not mark leaves as expanded and records load errors', () => {
    let s = toggle(loaded(), 3);
    expect(flattenTree(s).find((r) => r.unit.id === 3)?.expanded).toBe(false);
    s = setError(toggle(s, 2), 2, 'boom');
    expect(flattenTree(s).find((r) => r.unit.id === 2)?.error).toBe('boom');
    expect(pendingLoads(s)).toEqual([]); // no retry storm; the row offers a retry
  });
});

describe('live status counts', () => {
  it('computes deltas only when the previous status is known', () => {
    expect(onlineDelta('offline', 'online')).toBe(1);
    expect(onlineDelta('online', 'offline')).toBe(-1);
    expect(onlineDelta('unknown', 'offline')).toBe(0);
    expect(onlineDelta(undefined, 'online')).toBeNull();
  });

  it('walks the ancestor chain', () => {
    let s = toggle(loaded(), 2);
    s = setChildren(s, 2, villages);
    expect(ancestorChain(s, 4)).toEqual({ ids: [4, 2, 1], complete: true });
    expect(ancestorChain(s, 99)).toEqual({ ids: [], complete: false });
  });

  it('updates the unit and all ancestors', () => {
    let s = setChildren(toggle(loaded(), 2), 2, villages);
    const r = applyStatusChange(s, 4, 'online', 'offline');
    expect(r.exact).toBe(true);
    s = r.state;
    expect([1, 2, 4].map((id) => s.units.get(id)!.onlineCount)).toEqual([49, 19, 4]);
    expect(s.units.get(3)!.onlineCount).toBe(30);
  });

  it('asks for a refresh when it cannot be exact', () => {
    const s = loaded();
    expect(applyStatusChange(s, 4, 'online', 'offline').exact).toBe(false); // unit 4 not loaded
    expect(applyStatusChange(s, 2, undefined, 'offline').exact).toBe(false);
  });

  it('stays within 0..cameraCount', () => {
    const s = setRoots(emptyTree(), [unit(1, null, 0, 10, 10)]);
    expect(applyStatusChange(s, 1, 'offline', 'online').state.units.get(1)!.onlineCount).toBe(10);
  });

  it('treats a scope root with a parent (a township officer) as the top of the chain', () => {
    const s = setRoots(emptyTree(), [unit(2, 1, 0, 5, 10)]);
    expect(ancestorChain(s, 2)).toEqual({ ids: [2], complete: true });
  });
});

describe('camera filters', () => {
  it('lists the selected unit, paged by 100', () => {
    expect(cameraQuery({ orgUnitId: 2, network: null, q: '' })).toEqual({ orgUnitId: 2, limit: 100, offset: 0 });
    expect(cameraQuery({ orgUnitId: 2, network: 'skynet', q: '' }, 200)).toEqual({ orgUnitId: 2, network: 'skynet', limit: 100, offset: 200 });
  });

  it('searches the whole scope when a query is typed', () => {
    expect(cameraQuery({ orgUnitId: 2, network: null, q: '  桥头 ' })).toEqual({ q: '桥头', limit: 100, offset: 0 });
    expect(cameraQuery({ orgUnitId: null, network: null, q: 'x'.repeat(150) })?.q).toHaveLength(100);
  });

  it('asks for nothing when neither a unit nor a query is set', () => {
    expect(cameraQuery({ orgUnitId: null, network: 'skynet', q: ' ' })).toBeNull();
  });

  it('toggles network chips as single select', () => {
    expect(toggleNetwork(null, 'skynet')).toBe('skynet');
    expect(toggleNetwork('skynet', 'skynet')).toBeNull();
    expect(toggleNetwork('skynet', 'traffic')).toBe('traffic');
    expect(toggleNetwork('skynet', null)).toBeNull();
  });

  it('keys filter sets ignoring surrounding spaces', () => {
    expect(filtersKey({ orgUnitId: 1, network: null, q: 'a ' })).toBe(filtersKey({ orgUnitId: 1, network: null, q: 'a' }));
  });
});

describe('after the tree itself changed (组织机构)', () => {
  it('forgets children of collapsed units only, and opens a path to reveal', () => {
    let s = setChildren(loaded(), 2, villages);
    expect(s.expanded.has(2)).toBe(false);
    s = forgetCollapsed(s);
    expect(s.children.has(2)).toBe(false); // closed: read again when opened
    expect(s.children.get(1)).toEqual([2, 3]); // open: kept until re-read
    expect(forgetCollapsed(s)).toBe(s);
    s = expandAll(s, [1, 2]);
    expect(pendingLoads(s)).toEqual([2]);
    expect(expandAll(s, [2])).toBe(s);
  });
});
