// The org tree's use cases (组织机构): create, rename, move, delete. Framework-free: server/plugins/org.ts hands in
// the database, the repositories and the publisher. Each write, its audit row and its 'org:changed' event share
// one transaction (atomically); a unit outside the caller's area answers 404 as if absent (visibleUnit).
//
// Rules: a child is exactly one level below its parent (domain/org-rules.ts); names are unique among siblings
// (the catalogue import finds a unit by its name path); an administrator cannot move or delete their own unit or
// one above it; a unit is deleted only when nothing names it any more.
import type { OrgUnit } from '../contracts/api';
import type { OrgUnitCreateBody, OrgUnitUpdateBody } from '../contracts/org';
import { atomically, type Publish, type Publisher } from '../db/atomically';
import type { Database, Queryable } from '../db/database';
import type { Repositories } from '../db/repositories';
import type { OrgUnitRow } from '../db/repositories/org-units';
import type { UserWithScope } from '../db/repositories/users';
import { childLevel, nextChildCode, parentLevel } from '../domain/org-rules';
import { inScope } from '../domain/scope';
import { BadRequestError, ConflictError, ForbiddenError } from '../errors';
import { visibleUnit } from './visible-unit';

export interface OrgDeps {
  db: Database;
  repos: Repositories;
  publisher: Publisher;
  /**
   * Called after a move commits, with the subtree's old and new path prefix: live sockets hold their user's scope
   * path from when they connected (the plugin rewrites it); sessions read it per request and need nothing.
   */
  rescoped?: (fromPath: string, toPath: string) => void;
}

/** Who acts: a signed-in administrator, within their own area. */
export type Caller = Pick<UserWithScope, 'id' | 'username' | 'orgUnitId' | 'scopePath'>;

/** A trimmed English name, or null for none (empty clears it). */
const englishName = (nameEn: string | null | undefined) => (nameEn === undefined ? undefined : nameEn?.trim() || null);

export class OrgService {
  constructor(private readonly deps: OrgDeps) {}

  private get units() {
    return this.deps.repos.orgUnits;
  }

  private atomically<T>(work: (tx: Queryable, publish: Publish) => Promise<T>): Promise<T> {
    return atomically(this.deps.db, this.deps.publisher, work);
  }

  private audit(tx: Queryable, caller: Caller, action: 'org.create' | 'org.update' | 'org.move' | 'org.delete', unitId: number, orgUnitId: number, detail: Record<string, unknown>, ip: string) {
    return this.deps.repos.audit.record({
      actorType: 'user', actorId: caller.id, actorName: caller.username, action, targetType: 'org_unit', targetId: unitId, orgUnitId, detail, ip,
    }, tx);
  }

  /** The unit with its counts, as the tree shows it (after the transaction committed). */
  private async present(id: number): Promise<OrgUnit> {
    return (await this.units.withCounts(id))!;
  }

  /** Your own unit and those above it hold your area together: moving or deleting them is refused (403). */
  private notOwnOrAbove(caller: Caller, unit: OrgUnitRow, verb: string): void {
    if (inScope(unit.path, caller.scopePath)) throw new ForbiddenError(`You cannot ${verb} your own unit (${unit.name}) or one above it`);
  }

  private async nameFree(parentId: number | null, name: string, self: number | null, field: string, tx: Queryable): Promise<void> {
    const taken = await this.units.childNamed(parentId, name, tx);
    if (taken && taken.id !== self) {
      const parent = parentId === null ? undefined : await this.units.byId(parentId, tx);
      throw new ConflictError(`${parent ? parent.name : 'The top level'} already has a unit named ${name} (${taken.code})`, field);
    }
  }

  private async codeFree(code: string, self: number | null, tx: Queryable): Promise<void> {
    const taken = await this.units.findByCode(code, tx);
    if (taken && taken.id !== self) throw new ConflictError(`Code ${code} is taken by ${taken.name}`, 'code');
  }

  /** A new unit one level below `parentId`; without a code it gets the parent's code plus the next sequence. */
  async create(caller: Caller, body: OrgUnitCreateBody, ip: string): Promise<OrgUnit> {
    const id = await this.atomically(async (tx, publish) => {
      const parent = await visibleUnit(this.units, caller.scopePath, body.parentId, 'parentId', tx);
      const level = childLevel(parent.level);
      if (!level) throw new BadRequestError(`parentId: ${parent.name} is a ${parent.level}, the lowest level; it has no child units`, 'parentId');
      const name = body.name.trim();
      const nameEn = englishName(body.nameEn) ?? null;
      await this.nameFree(parent.id, name, null, 'name', tx);
      let code = body.code;
      if (code !== undefined) await this.codeFree(code, null, tx);
      else {
        const codes = new Set(await this.units.codesStartingWith(parent.code, tx));
        const siblings = (await this.units.children(parent.id, tx)).map((u) => u.code);
        code = nextChildCode(parent.code, siblings, (c) => codes.has(c));
      }
      const [unit] = await this.units.insertMany([{ code, name, nameEn, level, parent: { id: parent.id } }], tx);
      await this.audit(tx, caller, 'org.create', unit.id, unit.id, { name, nameEn, code, level, parentId: parent.id }, ip);
      await publish(unit.path, 'org:changed', { action: 'create', orgUnitId: unit.id, parentId: parent.id, by: caller.username });
      return unit.id;
    });
    return this.present(id);
  }

  /** Renames a unit (Chinese and/or English name) or changes its code; your own unit too. */
  async update(caller: Caller, id: number, change: OrgUnitUpdateBody, ip: string): Promise<OrgUnit> {
    await this.atomically(async (tx, publish) => {
      const unit = await visibleUnit(this.units, caller.scopePath, id, 'id', tx);
      const next = { name: change.name?.trim(), nameEn: englishName(change.nameEn), code: change.code };
      if (next.name !== undefined) await this.nameFree(unit.parent_id, next.name, unit.id, 'name', tx);
      if (next.code !== undefined) await this.codeFree(next.code, unit.id, tx);
      await this.units.update(unit.id, next, tx);
      // What it was, for the fields that changed: the log alone can tell a unit's earlier names.
      const before: Record<string, string | null> = {};
      if (next.name !== undefined && next.name !== unit.name) before.name = unit.name;
      if (next.nameEn !== undefined && next.nameEn !== unit.name_en) before.nameEn = unit.name_en;
      if (next.code !== undefined && next.code !== unit.code) before.code = unit.code;
      await this.audit(tx, caller, 'org.update', unit.id, unit.id, { fields: Object.keys(change), before }, ip);
      await publish(unit.path, 'org:changed', { action: 'update', orgUnitId: unit.id, parentId: unit.parent_id, by: caller.username });
    });
    return this.present(id);
  }

  /**
   * Puts a unit and its whole subtree under another parent of the level above it. Every stored path of the
   * subtree is rewritten in the same transaction (OrgUnitRepository.move); cameras, users, tasks, dangers and links
   * keep their unit ids and go along. Moving to the parent it has is a no-op (no audit row, no event).
   */
  async move(caller: Caller, id: number, parentId: number, ip: string): Promise<OrgUnit> {
    const moved = await this.atomically(async (tx, publish) => {
      const unit = await visibleUnit(this.units, caller.scopePath, id, 'id', tx);
      this.notOwnOrAbove(caller, unit, 'move');
      const parent = await visibleUnit(this.units, caller.scopePath, parentId, 'parentId', tx);
      if (inScope(unit.path, parent.path)) throw new BadRequestError(`parentId: ${parent.name} is inside ${unit.name} itself`, 'parentId');
      const wanted = parentLevel(unit.level);
      if (parent.level !== wanted) {
        throw new BadRequestError(`parentId: a ${unit.level} goes directly under a ${wanted ?? 'nothing'}; ${parent.name} is a ${parent.level}`, 'parentId');
      }
      if (unit.parent_id === parent.id) return null;
      const taken = await this.units.childNamed(parent.id, unit.name, tx);
      if (taken) throw new ConflictError(`${parent.name} already has a unit named ${unit.name} (${taken.code}); rename one of them first`, 'parentId');
      const previous = (await this.units.byId(unit.parent_id!, tx))!;
      const { path, rewritten } = await this.units.move(unit, parent, tx);
      await this.audit(tx, caller, 'org.move', unit.id, unit.id, { from: previous.id, to: parent.id, fromPath: unit.path, toPath: path, rewritten }, ip);
      const event = { action: 'move', orgUnitId: unit.id, parentId: parent.id, previousParentId: previous.id, by: caller.username } as const;
      await publish(previous.path, 'org:changed', event);
      await publish(path, 'org:changed', event);
      return { from: unit.path, to: path };
    });
    if (moved) this.deps.rescoped?.(moved.from, moved.to);
    return this.present(id);
  }

  /** Deletes a unit nothing names any more (409 listing what is left: child units, cameras, users, history …). */
  async delete(caller: Caller, id: number, ip: string): Promise<void> {
    await this.atomically(async (tx, publish) => {
      const unit = await visibleUnit(this.units, caller.scopePath, id, 'id', tx);
      this.notOwnOrAbove(caller, unit, 'delete');
      const left = await this.units.references(unit.id, tx);
      if (Object.keys(left).length) {
        const list = Object.entries(left).map(([what, n]) => `${n} ${what}`).join(', ');
        throw new ConflictError(`${unit.name} still has ${list}; only an empty unit can be deleted`);
      }
      const parent = (await this.units.byId(unit.parent_id!, tx))!;
      await this.units.delete(unit.id, tx);
      // At the parent: the audit filter "this unit and below" finds units that still exist.
      await this.audit(tx, caller, 'org.delete', unit.id, parent.id, { name: unit.name, nameEn: unit.name_en, code: unit.code, level: unit.level, parentId: parent.id }, ip);
      await publish(parent.path, 'org:changed', { action: 'delete', orgUnitId: unit.id, parentId: parent.id, by: caller.username });
    });
  }
}
