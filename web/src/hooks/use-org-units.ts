// Org units for the unit pickers (components/common/org-unit-picker.tsx): the scope root and each unit's children,
// loaded on demand and cached for the page's life (units change rarely; an import that creates units calls
// clearUnitCache()). The server answers only inside the user's scope, so a picker never offers a unit outside it.
import { useEffect, useState } from 'react';
import { api, type OrgUnit } from '../api/http';

const children = new Map<number, Promise<OrgUnit[]>>();
let root: Promise<OrgUnit | null> | null = null;

export function clearUnitCache(): void {
  children.clear();
  root = null;
}

function loadRoot(): Promise<OrgUnit | null> {
  root ??= api.orgUnits().then(([own]) => own ?? null, (err: unknown) => {
    root = null;
    throw err;
  });
  return root;
}

function loadChildren(parentId: number): Promise<OrgUnit[]> {
  let p = children.get(parentId);
  if (!p) {
    p = api.orgUnits(parentId).catch((err: unknown) => {
      children.delete(parentId);
      throw err;
    });
    children.set(parentId, p);
  }
  return p;
}

/** The user's own unit (the root of everything the user may see); null until loaded, or when not `wanted`. */
export function useScopeRoot(wanted = true): OrgUnit | null {
  const [unit, setUnit] = useState<OrgUnit | null>(null);
  useEffect(() => {
    if (!wanted) return setUnit(null);
    let live = true;
    loadRoot().then((u) => live && setUnit(u), () => { /* pickers stay empty; the list shows the API error */ });
    return () => {
      live = false;
    };
  }, [wanted]);
  return unit;
}

/** Children of a unit (null: none asked). */
export function useUnitChildren(parentId: number | null, version = 0): OrgUnit[] {
  const [units, setUnits] = useState<OrgUnit[]>([]);
  useEffect(() => {
    if (parentId === null) return setUnits([]);
    let live = true;
    loadChildren(parentId).then((u) => live && setUnits(u), () => live && setUnits([]));
    return () => {
      live = false;
    };
  }, [parentId, version]);
  return units;
}
