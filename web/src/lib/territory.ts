// 属地管理: a task must go to the subordinate unit that contains the danger's location. The camera rows carry only
// their own unit id, not the path, so the dispatch form finds the right child by asking, per child, whether a
// search for the camera inside that child's subtree returns it (one request per child, in parallel).

export interface ChildUnit {
  id: number;
  name: string;
}

/** Camera ids found by a search inside one unit's subtree. */
export type SubtreeSearch = (unitId: number, q: string) => Promise<number[]>;

const cache = new Map<string, number | null>();

export async function findChildContaining(
  children: readonly ChildUnit[],
  camera: { id: number; name: string; orgUnitId?: number },
  search: SubtreeSearch,
): Promise<number | null> {
  if (children.length === 0) return null;
  if (camera.orgUnitId !== undefined) {
    const direct = children.find((c) => c.id === camera.orgUnitId);
    if (direct) return direct.id; // the camera sits right in one of the children
  }
  const key = `${children.map((c) => c.id).join(',')}:${camera.id}`;
  if (cache.has(key)) return cache.get(key) ?? null;
  const answers = await Promise.all(
    children.map((c) => search(c.id, camera.name.slice(0, 100)).then((ids) => ids.includes(camera.id), () => false)),
  );
  const index = answers.indexOf(true);
  const found = index >= 0 ? children[index].id : null;
  cache.set(key, found);
  return found;
}

export function clearTerritoryCache(): void {
  cache.clear();
}
