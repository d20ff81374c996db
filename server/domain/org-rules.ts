// The org tree's shape: four levels, and where a unit may sit. Pure, shared by the org service, the catalogue
// import (which creates missing units one level down) and the web's 组织机构 view (which offers only what the
// server would accept).
//
// The rule: a unit's parent is exactly one level above it — county → township → village/community → compound.
// Dispatch leans on it (a county sends to its townships, a township to its villages: dispatch/permissions.ts), so
// a move keeps the unit's level and needs a new parent of the level above: a village moves between townships, a
// compound between villages; a township would need a second county, which a deployment normally does not have.
import type { OrgLevel } from '../contracts/api';

export const ORG_LEVELS: readonly OrgLevel[] = ['county', 'township', 'village', 'compound'];

/** Longest Chinese name; English names may be longer (transliterations run long). */
export const ORG_NAME_MAX = 50;
export const ORG_NAME_EN_MAX = 100;
/** Unit codes: digits and letters (行政区划代码 plus a sequence, or a site's own scheme). */
export const ORG_CODE_PATTERN = '^[0-9A-Za-z][0-9A-Za-z-]{0,31}$';
/**
 * Names: no "/" (it separates the names of a path, the catalogue import's key), no control characters, not blank.
 * The pattern is for the schema; the service trims.
 */
export const ORG_NAME_PATTERN = '^[^/\\u0000-\\u001f\\u007f]*[^/\\s\\u0000-\\u001f\\u007f][^/\\u0000-\\u001f\\u007f]*$';

/** The level of a unit's children; null below a compound. */
export function childLevel(level: OrgLevel): OrgLevel | null {
  return ORG_LEVELS[ORG_LEVELS.indexOf(level) + 1] ?? null;
}

/** The level a unit's parent must have; null for a county (a root). */
export function parentLevel(level: OrgLevel): OrgLevel | null {
  const i = ORG_LEVELS.indexOf(level);
  return i > 0 ? ORG_LEVELS[i - 1] : null;
}

/** Levels between two units: 1 for a parent and its child, 0 for the same level, negative upwards. */
export function levelDistance(from: OrgLevel, to: OrgLevel): number {
  return ORG_LEVELS.indexOf(to) - ORG_LEVELS.indexOf(from);
}

/**
 * The next free child code: the parent's code plus a three-digit sequence above every sibling that follows the
 * same pattern (national codes: 339901 → 339901002 → 339901002001), skipping codes taken anywhere.
 */
export function nextChildCode(parentCode: string, siblingCodes: Iterable<string>, taken: (code: string) => boolean): string {
  let seq = 0;
  for (const code of siblingCodes) {
    const tail = code.startsWith(parentCode) ? code.slice(parentCode.length) : '';
    if (/^\d{3,}$/.test(tail)) seq = Math.max(seq, Number(tail));
  }
  let code: string;
  do code = parentCode + String(++seq).padStart(3, '0');
  while (taken(code));
  return code;
}
