// An org unit looked up for a user: absent and outside the user's scope answer the same 404 (naming the field),
// so no answer hints that a unit exists elsewhere. The one such lookup every route and service uses.
import type { Queryable } from '../db/database';
import type { OrgUnitRow } from '../db/repositories/org-units';
import { NotFoundError } from '../errors';
import { inScope } from '../domain/scope';

export interface UnitLookup {
  byId(id: number, db?: Queryable): Promise<OrgUnitRow | undefined>;
}

export async function visibleUnit(units: UnitLookup, scopePath: string, id: number, field = 'orgUnitId', db?: Queryable): Promise<OrgUnitRow> {
  const unit = await units.byId(id, db);
  if (!unit || !inScope(scopePath, unit.path)) throw new NotFoundError(`Org unit ${id}`, field);
  return unit;
}
