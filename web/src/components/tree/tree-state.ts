// The lazily loaded org tree as pure data: units arrive one level at a time (GET /api/org/units?parentId),
// are flattened into rows for a virtualised list, and live status events adjust online counts up the ancestor chain.
import type { CameraQuery, CameraStatus, OrgUnit } from '../../../../server/contracts/api';

export interface TreeState {
  units: ReadonlyMap<number, OrgUnit>;
  /** Child ids per loaded parent; absent means "not loaded yet". */
  children: ReadonlyMap<number, readonly number[]>;
  rootIds: readonly number[];
  expanded: ReadonlySet<number>;
  loading: ReadonlySet<number>;
  errors: ReadonlyMap<number, string>;
}

export interface TreeRow {
  unit: OrgUnit;
  depth: number;
  expanded: boolean;
  loading: boolean;
  error: string | undefined;
}

export const emptyTree = (): TreeState => ({
  units: new Map(),
  children: new Map(),
  rootIds: [],
  expanded: new Set(),
  loading: new Set(),
  errors: new Map(),
});

function withUnits(units: ReadonlyMap<number, OrgUnit>, list: readonly OrgUnit[]): Map<number, OrgUnit> {
  const next = new Map(units);
  for (const unit of list) next.set(unit.id, unit);
  return next;
}

export function setRoots(state: TreeState, roots: readonly OrgUnit[]): TreeState {
  const expanded = new Set(state.expanded);
  // A scope root is opened by default: a village officer's whole world is that one node.
  if (state.rootIds.length === 0) for (const r of roots) if (r.childCount > 0) expanded.add(r.id);
  return { ...state, units: withUnits(state.units, roots), rootIds: roots.map((r) => r.id), expanded };
}

export function setChildren(state: TreeState, parentId: number, list: readonly OrgUnit[]): TreeState {
  const children = new Map(state.children);
  children.set(parentId, list.map((u) => u.id));
  const loading = new Set(state.loading);
  loading.delete(parentId);
  const errors = new Map(state.errors);
  errors.delete(parentId);
  return { ...state, units: withUnits(state.units, list), children, loading, errors };
}

export function setLoading(state: TreeState, parentId: number): TreeState {
  const loading = new Set(state.loading);
  loading.add(parentId);
  const errors = new Map(state.errors);
  errors.delete(parentId);
  return { ...state, loading, errors };
}

export function setError(state: TreeState, parentId: number, message: string): TreeState {
  const loading = new Set(state.loading);
  loading.delete(parentId);
  const errors = new Map(state.errors);
  errors.set(parentId, message);
  return { ...state, loading, errors };
}

export function toggle(state: TreeState, id: number): TreeState {
  const expanded = new Set(state.expanded);
  if (expanded.has(id)) expanded.delete(id);
  else expanded.add(id);
  return { ...state, expanded };
}

/** Opens every unit of `ids` (a path to reveal); their children load as for a click. */
export function expandAll(state: TreeState, ids: readonly number[]): TreeState {
  if (ids.every((id) => state.expanded.has(id))) return state;
  return { ...state, expanded: new Set([...state.expanded, ...ids]) };
}

/**
 * Forgets the children of collapsed units, so they are read again when opened: after the tree itself changed
 * (组织机构: a unit created, moved or deleted), what was loaded under a closed branch may be stale. Open
 * branches keep theirs until the caller re-reads them.
 */
export function forgetCollapsed(state: TreeState): TreeState {
  const children = new Map([...state.children].filter(([id]) => state.expanded.has(id)));
  return children.size === state.children.size ? state : { ...state, children };
}

/** Expanded units whose children are neither loaded nor loading: what to fetch next. */
export function pendingLoads(state: TreeState): number[] {
  return [...state.expanded].filter(
    (id) =>
      (state.units.get(id)?.childCount ?? 0) > 0 && !state.children.has(id) && !state.loading.has(id) && !state.errors.has(id),
  );
}

/** Depth-first rows of the visible tree (expanded branches only). */
export function flattenTree(state: TreeState): TreeRow[] {
  const rows: TreeRow[] = [];
  const visit = (id: number, depth: number, parentId: number | null) => {
    const unit = state.units.get(id);
    // The units map holds each unit's latest record: a child list read before a move still names the moved unit,
    // which now belongs to another parent and is shown there only (once, never twice).
    if (!unit || (parentId !== null && unit.parentId !== parentId)) return;
    const expanded = state.expanded.has(id) && unit.childCount > 0;
    rows.push({ unit, depth, expanded, loading: state.loading.has(id), error: state.errors.get(id) });
    if (expanded) for (const child of state.children.get(id) ?? []) visit(child, depth + 1, id);
  };
  for (const id of state.rootIds) visit(id, 0, null);
  return rows;
}

/** The unit and its loaded ancestors up to a root; `complete` is false when the chain is not fully known. */
export function ancestorChain(state: TreeState, unitId: number): { ids: number[]; complete: boolean } {
  const ids: number[] = [];
  let current = state.units.get(unitId);
  const seen = new Set<number>();
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    ids.push(current.id);
    if (current.parentId === null || state.rootIds.includes(current.id)) return { ids, complete: true };
    current = state.units.get(current.parentId);
  }
  return { ids, complete: false };
}

/** Change in online count when a camera goes from `prev` to `next`; null when prev is unknown. */
export function onlineDelta(prev: CameraStatus | undefined, next: CameraStatus): number | null {
  if (prev === undefined) return null;
  return (next === 'online' ? 1 : 0) - (prev === 'online' ? 1 : 0);
}

/**
 * Applies a camera's status change to the online counts of its unit and every loaded ancestor.
 * Returns `exact: false` when the caller must refresh counts from the server instead
 * (previous status unknown, or the unit's ancestor chain is not loaded).
 */
export function applyStatusChange(
  state: TreeState,
  unitId: number,
  prev: CameraStatus | undefined,
  next: CameraStatus,
): { state: TreeState; exact: boolean } {
  const delta = onlineDelta(prev, next);
  const chain = ancestorChain(state, unitId);
  if (delta === null || !chain.complete) return { state, exact: false };
  if (delta === 0) return { state, exact: true };
  const units = new Map(state.units);
  for (const id of chain.ids) {
    const unit = units.get(id)!;
    units.set(id, { ...unit, onlineCount: clamp(unit.onlineCount + delta, 0, unit.cameraCount) });
  }
  return { state: { ...state, units }, exact: true };
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

// ---- Camera list filters ----------------------------------------------------------------------------

export interface CameraFilters {
  /** Selected unit: its whole subtree is listed. */
  orgUnitId: number | null;
  /** One network key, or null for all. */
  network: string | null;
  /** Free-text search; when set it searches the user's whole scope, not only the selected unit. */
  q: string;
}

export const PAGE_SIZE = 100;

export function cameraQuery(filters: CameraFilters, offset = 0): CameraQuery | null {
  const q = filters.q.trim().slice(0, 100);
  if (!q && filters.orgUnitId === null) return null;
  const query: CameraQuery = { limit: PAGE_SIZE, offset };
  if (q) query.q = q;
  else if (filters.orgUnitId !== null) query.orgUnitId = filters.orgUnitId;
  if (filters.network) query.network = filters.network;
  return query;
}

/** Single-select chips: clicking the active chip goes back to "all". */
export function toggleNetwork(current: string | null, clicked: string | null): string | null {
  return clicked === null || clicked === current ? null : clicked;
}

/** A stable key for a filter set, to reset paging when it changes. */
export const filtersKey = (f: CameraFilters): string => JSON.stringify([f.orgUnitId, f.network, f.q.trim()]);
