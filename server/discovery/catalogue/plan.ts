// Plans an import: which rows add a camera, which change one, which change nothing, which are rejected and
// why, and which org units must be created first. Pure — the repository loads the state it needs and applies
// the plan in one transaction; the dry run stops after planning, so both report the same numbers.
import type { OrgLevel } from '../../contracts/api';
import type { RowError } from '../../contracts/catalogue';
import { childLevel, nextChildCode } from '../../domain/org-rules';
import { inScope } from '../../domain/scope';
import type { CleanRow } from './rows';

/** A camera's catalogue fields as stored: what an import writes, an export reads and a plan compares. */
export interface CatalogueCamera {
  network: string;
  externalId: string;
  name: string;
  lat: number | null;
  lng: number | null;
  address: string;
  sourceKind: 'onvif' | 'rtsp';
  endpoint: string;
  streamUrl: string | null;
  subStreamUrl: string | null;
  publicArea: boolean;
  ptz: boolean;
  credentialRef: string | null;
}

export interface ExistingCamera extends CatalogueCamera {
  id: number;
  orgUnitId: number;
  orgPath: string;
  username: string | null;
  /** Encrypted password; decrypted only when a row brings credentials to compare. */
  secret: string | null;
}

export interface UnitNode {
  id: number;
  code: string;
  name: string;
  level: OrgLevel;
  parentId: number | null;
  path: string;
}

/** An org unit to create; `parent` is an existing unit id or another planned unit. */
export interface PlannedUnit {
  key: number;
  code: string;
  name: string;
  level: OrgLevel;
  parent: number | PlannedUnit;
  names: string[];
}

export type UnitRef = { id: number; path: string } | PlannedUnit;

export interface CameraWrite extends CatalogueCamera {
  row: number;
  existingId: number | null;
  unit: UnitRef;
  /** Credentials to store; null leaves the stored ones as they are. */
  credentials: { username: string; password: string } | null;
}

export interface PlanInput {
  rows: CleanRow[];
  /** Errors found while reading rows; planning adds its own. */
  rowErrors: RowError[];
  scopePath: string;
  createOrgUnits: boolean;
  units: UnitNode[];
  existing: Map<string, ExistingCamera>;
  profiles: Map<string, { username: string; secret: string }>;
  decrypt(secret: string): string;
}

export interface ImportPlan {
  writes: CameraWrite[];
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: RowError[];
  newUnits: PlannedUnit[];
}

export const cameraKey = (network: string, externalId: string) => `${network}\u0000${externalId}`;

/** Finds units by code or by a path of names, and plans the ones to create. Caches per path: 100,000 rows name a few hundred units. */
class UnitResolver {
  private readonly byCode = new Map<string, UnitNode | PlannedUnit>();
  private readonly children = new Map<string, Map<string, Array<UnitNode | PlannedUnit>>>();
  private readonly roots: UnitNode[] = [];
  private readonly cache = new Map<string, UnitRef | { error: string }>();
  readonly planned: PlannedUnit[] = [];
  private nextKey = 1;

  constructor(units: UnitNode[], private readonly scopePath: string, private readonly create: boolean) {
    for (const u of units) {
      this.byCode.set(u.code, u);
      if (u.parentId === null) this.roots.push(u);
      else this.childList(String(u.parentId), u.name).push(u);
    }
  }

  private childList(parentKey: string, name: string): Array<UnitNode | PlannedUnit> {
    let byName = this.children.get(parentKey);
    if (!byName) this.children.set(parentKey, (byName = new Map()));
    let list = byName.get(name);
    if (!list) byName.set(name, (list = []));
    return list;
  }

  private keyOf(u: UnitNode | PlannedUnit): string {
    return 'key' in u ? `p${u.key}` : String(u.id);
  }

  /** The existing unit a planned unit hangs from: scope checks use its path. */
  private realAncestor(u: UnitNode | PlannedUnit): { path: string } {
    let cur: UnitNode | PlannedUnit | number = u;
    while (typeof cur !== 'number' && 'key' in cur) cur = cur.parent;
    if (typeof cur === 'number') return { path: this.pathOfId(cur) };
    return cur;
  }

  private readonly pathById = new Map<number, string>();
  private pathOfId(id: number): string {
    if (this.pathById.size === 0) for (const u of this.byCode.values()) if (!('key' in u)) this.pathById.set(u.id, u.path);
    return this.pathById.get(id) ?? '';
  }

  private ref(u: UnitNode | PlannedUnit): UnitRef {
    return 'key' in u ? u : { id: u.id, path: u.path };
  }

  private visible(u: UnitNode | PlannedUnit): boolean {
    return inScope(this.scopePath, this.realAncestor(u).path);
  }

  byCodeRef(code: string): UnitRef | { error: string } {
    const u = this.byCode.get(code);
    if (!u || !this.visible(u)) return { error: `no org unit with code ${code} in your area` };
    return this.ref(u);
  }

  byPath(names: string[]): UnitRef | { error: string } {
    const joined = names.join('/');
    const hit = this.cache.get(joined);
    if (hit) return hit;
    const result = this.walk(names);
    this.cache.set(joined, result);
    return result;
  }

  private walk(names: string[]): UnitRef | { error: string } {
    const roots = this.roots.filter((r) => r.name === names[0]);
    if (roots.length !== 1) return { error: `must start with ${this.roots.map((r) => r.name).join(' or ')}` };
    let cur: UnitNode | PlannedUnit = roots[0];
    for (let depth = 1; depth < names.length; depth++) {
      const name = names[depth];
      const found: Array<UnitNode | PlannedUnit> = this.children.get(this.keyOf(cur))?.get(name) ?? [];
      if (found.length > 1) return { error: `"${names.slice(0, depth + 1).join('/')}" names ${found.length} units; use orgUnitCode` };
      if (found.length === 1) {
        cur = found[0];
        continue;
      }
      const where = names.slice(0, depth + 1).join('/');
      if (!this.visible(cur)) return { error: `"${where}" is not in your area` };
      if (!this.create) return { error: `"${where}" does not exist (set createOrgUnits to create it)` };
      const level = childLevel(cur.level);
      if (!level) return { error: `"${where}" would be below a compound, the lowest level` };
      cur = this.plan(cur, name, level, names.slice(0, depth + 1));
    }
    if (!this.visible(cur)) return { error: `"${names.join('/')}" is not in your area` };
    return this.ref(cur);
  }

  private plan(parent: UnitNode | PlannedUnit, name: string, level: OrgLevel, names: string[]): PlannedUnit {
    // Codes follow the national pattern: the parent's code plus a three-digit sequence.
    const siblings = [...(this.children.get(this.keyOf(parent))?.values() ?? [])].flat();
    const code = nextChildCode(parent.code, siblings.map((u) => u.code), (c) => this.byCode.has(c));
    const unit: PlannedUnit = { key: this.nextKey++, code, name, level, parent: 'key' in parent ? parent : parent.id, names };
    this.byCode.set(code, unit);
    this.childList(this.keyOf(parent), name).push(unit);
    this.planned.push(unit);
    return unit;
  }
}

/** Where a row's stream comes from: ONVIF device service (with an optional RTSP URL) or a plain RTSP URL. */
function resolveSource(row: CleanRow, existing: ExistingCamera | undefined) {
  const onvif = row.onvifUrl !== undefined ? row.onvifUrl : existing?.sourceKind === 'onvif' ? existing.endpoint : null;
  const rtsp = row.rtspUrl !== undefined ? row.rtspUrl : existing ? existing.streamUrl ?? (existing.sourceKind === 'rtsp' ? existing.endpoint : null) : null;
  if (onvif) return { sourceKind: 'onvif' as const, endpoint: onvif, streamUrl: rtsp };
  if (rtsp) return { sourceKind: 'rtsp' as const, endpoint: rtsp, streamUrl: rtsp };
  return null;
}

/** SQLite's text-to-double conversion (rows reach it as JSON) may differ in the last bit: 1e-9° is 0.1 mm. */
function sameCoordinate(a: number | null, b: number | null): boolean {
  return a === null || b === null ? a === b : Math.abs(a - b) < 1e-9;
}

export function planImport(input: PlanInput): ImportPlan {
  const units = new UnitResolver(input.units, input.scopePath, input.createOrgUnits);
  const errors: RowError[] = [...input.rowErrors];
  const rejectedRows = new Set(input.rowErrors.map((e) => e.row));
  const seen = new Map<string, number>();
  const writes: CameraWrite[] = [];
  let added = 0;
  let updated = 0;
  let unchanged = 0;

  for (const row of input.rows) {
    const rowErrors: RowError[] = [];
    const fail = (field: string, message: string) => rowErrors.push({ row: row.row, ...(row.line ? { line: row.line } : {}), field, message });
    const key = cameraKey(row.network, row.externalId);
    const first = seen.get(key);
    if (first !== undefined) {
      fail('externalId', `duplicates row ${first} (same network and externalId)`);
    } else seen.set(key, row.row);
    const existing = input.existing.get(key);
    if (existing && !inScope(input.scopePath, existing.orgPath)) fail('externalId', 'is already used by a camera outside your area');

    const name = row.name ?? existing?.name;
    if (!name) fail('name', 'is required for a new camera');
    const source = resolveSource(row, existing);
    if (!source) fail(row.rtspUrl !== undefined || row.onvifUrl === undefined ? 'rtspUrl' : 'onvifUrl', 'rtspUrl or onvifUrl is required');

    const credentialRef = row.credentials ? null : row.credentialRef !== undefined ? row.credentialRef : existing?.credentialRef ?? null;
    let credentials: { username: string; password: string } | null = row.credentials ?? null;
    if (row.credentialRef) {
      const profile = input.profiles.get(row.credentialRef);
      if (!profile) fail('credentialRef', `no credential profile named "${row.credentialRef}"`);
      else credentials = { username: profile.username, password: input.decrypt(profile.secret) };
    }

    // The unit last, so rows rejected for other reasons never create org units.
    let unit: UnitRef | undefined;
    if (rowErrors.length === 0) {
      let resolved: UnitRef | { error: string } | undefined;
      let field = 'orgUnitCode';
      if (row.orgUnitCode) resolved = units.byCodeRef(row.orgUnitCode);
      if (row.orgUnitPath && (!resolved || 'error' in resolved)) {
        resolved = units.byPath(row.orgUnitPath);
        field = 'orgUnitPath';
      }
      if (resolved && 'error' in resolved) fail(field, resolved.error);
      else if (resolved) unit = resolved;
      else if (existing) unit = { id: existing.orgUnitId, path: existing.orgPath };
      else fail('orgUnitPath', 'orgUnitPath or orgUnitCode is required for a new camera');
    }

    if (rowErrors.length || !unit || !source || !name) {
      errors.push(...rowErrors);
      rejectedRows.add(row.row);
      continue;
    }
    const write: CameraWrite = {
      row: row.row,
      existingId: existing?.id ?? null,
      network: row.network,
      externalId: row.externalId,
      name,
      unit,
      lat: row.lat !== undefined ? row.lat : existing?.lat ?? null,
      lng: row.lng !== undefined ? row.lng : existing?.lng ?? null,
      address: row.address ?? existing?.address ?? '',
      ...source,
      subStreamUrl: row.subStreamUrl !== undefined ? row.subStreamUrl : existing?.subStreamUrl ?? null,
      publicArea: row.publicArea ?? existing?.publicArea ?? false,
      ptz: row.ptz ?? existing?.ptz ?? false,
      credentialRef,
      credentials,
    };
    if (!existing) {
      added++;
      writes.push(write);
      continue;
    }
    // Only what differs is a change; identical credentials are not rewritten (the ciphertext would differ).
    if (credentials && existing.username === credentials.username && existing.secret && input.decrypt(existing.secret) === credentials.password) {
      write.credentials = null;
    }
    const same =
      write.credentials === null &&
      write.name === existing.name &&
      ('key' in write.unit ? false : write.unit.id === existing.orgUnitId) &&
      sameCoordinate(write.lat, existing.lat) &&
      sameCoordinate(write.lng, existing.lng) &&
      write.address === existing.address &&
      write.sourceKind === existing.sourceKind &&
      write.endpoint === existing.endpoint &&
      (write.streamUrl ?? write.endpoint) === (existing.streamUrl ?? existing.endpoint) &&
      write.subStreamUrl === existing.subStreamUrl &&
      write.publicArea === existing.publicArea &&
      write.ptz === existing.ptz &&
      write.credentialRef === existing.credentialRef;
    if (same) unchanged++;
    else {
      updated++;
      writes.push(write);
    }
  }
  errors.sort((a, b) => a.row - b.row);
  // Units planned only for rows that were rejected later are still reported: they are the rows' own units.
  return { writes, added, updated, unchanged, rejected: rejectedRows.size, errors, newUnits: units.planned };
}
