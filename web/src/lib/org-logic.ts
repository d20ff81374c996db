// Pure logic of the 组织机构 view and of every place that names a unit: the name to show in a language, why a unit
// cannot be deleted (from the counts the tree already has), and what a move may target. The level rule is the
// server's (server/domain/org-rules.ts), imported, never restated.
import type { OrgLevel, OrgUnit } from '../../../server/contracts/api';
import { childLevel, levelDistance, ORG_NAME_EN_MAX, ORG_NAME_MAX, parentLevel } from '../../../server/domain/org-rules';
import type { Lang, MessageKey, Params } from '../i18n';

export { childLevel, ORG_NAME_EN_MAX, ORG_NAME_MAX, parentLevel };

/** A unit's name in the UI language: the English name where there is one, else the Chinese name. */
export function unitLabel(unit: { name: string; nameEn?: string | null }, lang: Lang): string {
  return lang === 'en' && unit.nameEn ? unit.nameEn : unit.name;
}

/** Why a unit cannot be deleted, as far as the tree's counts tell (the server names history too, with a 409). */
export function deleteBlockers(unit: Pick<OrgUnit, 'childCount' | 'cameraCount' | 'userCount'>): Array<{ key: MessageKey; params: Params }> {
  const out: Array<{ key: MessageKey; params: Params }> = [];
  if (unit.childCount > 0) out.push({ key: 'org.reason.children', params: { n: unit.childCount } });
  if (unit.cameraCount > 0) out.push({ key: 'org.reason.cameras', params: { n: unit.cameraCount } });
  if (unit.userCount > 0) out.push({ key: 'org.reason.users', params: { n: unit.userCount } });
  return out;
}

/**
 * How many picker levels below the caller's scope root a move target of `unit` sits: the new parent is one level
 * above the unit, so a village's target (a township) is one level below a county root. 0 or less: the only
 * possible parent is the root or above it, nothing to choose.
 */
export function moveTargetDepth(unitLevel: OrgLevel, rootLevel: OrgLevel): number {
  return levelDistance(rootLevel, unitLevel) - 1;
}

/** Trimmed form values → a create/update body's names (an empty English name clears it). */
export function nameFields(name: string, nameEn: string): { name: string; nameEn: string | null } {
  return { name: name.trim(), nameEn: nameEn.trim() || null };
}

/** A name the server would take: not blank, no "/" (it separates a name path), within the length. */
export function validName(name: string, max = ORG_NAME_MAX): boolean {
  const trimmed = name.trim();
  return trimmed.length > 0 && trimmed.length <= max && !trimmed.includes('/');
}
