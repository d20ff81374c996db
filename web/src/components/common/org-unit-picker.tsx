// The one org-unit picker: a chain of selects, each level's units loaded when its parent is chosen.
// - Cascading (devices list and review, RTSP add, audit filter): starts under the user's own unit (the scope root),
//   whose name is shown first, then township → village → compound as deep as the tree goes.
// - Plain select (dispatch and push targets, statistics scope): the caller passes the first level's units (the
//   subordinate units it may send to) and depth 1.
// The caller owns the chosen chain; its last id is the unit chosen, [] is "none" (callers read that as "all" or
// "the root" or "pick one", as fits the form). Selects carry data-level=N for tests.
import type { OrgUnit } from '../../api/http';
import { useI18n } from '../../hooks/use-i18n';
import { useScopeRoot, useUnitChildren } from '../../hooks/use-org-units';
import { unitLabel } from '../../lib/org-logic';

interface Props {
  /** The chosen units, top down: value[0] from the first level, each next one among its predecessor's children. */
  value: readonly number[];
  onChange: (chain: number[]) => void;
  /** The "nothing chosen" option of every level. */
  anyLabel: string;
  /** The first level's units when the caller has them already; without it, the children of the scope root. */
  units?: readonly OrgUnit[];
  /** Levels that may be chosen; 1 makes one plain select. Default: as deep as the tree goes. */
  depth?: number;
  testId?: string;
  /** data-field of the first select, for forms whose fields are addressed that way (the dispatch dialogs). */
  field?: string;
  /** Accessible name of the first select; deeper ones are 下级单位. */
  label?: string;
  /** Bump to read the children again (after an import created units). */
  version?: number;
}

export function OrgUnitPicker({ value, onChange, anyLabel, units, depth = Infinity, testId, field, label, version = 0 }: Props) {
  const { t, lang } = useI18n();
  const root = useScopeRoot(units === undefined);
  if (!units && !root) return <span className="muted small" data-testid={testId}>{t('common.loading')}</span>;

  // Level N lists the children of value[N - 1]; level 0 the given units or the root's children.
  const parents: (number | null)[] = [units ? null : root!.id, ...value].slice(0, depth);
  const pick = (level: number, id: number | null) => onChange(id === null ? value.slice(0, level) : [...value.slice(0, level), id]);
  return (
    <span className="org-picker" data-testid={testId} data-value={value.at(-1) ?? ''}>
      {root && <span className="org-picker-root" title={unitLabel(root, lang)}>{unitLabel(root, lang)}</span>}
      {parents.map((parentId, level) => (
        <LevelSelect
          key={`${level}:${parentId}`}
          parentId={parentId}
          given={level === 0 ? units : undefined}
          level={level}
          value={value[level] ?? null}
          anyLabel={anyLabel}
          field={level === 0 ? field : undefined}
          label={level === 0 ? label : t('common.subUnit')}
          version={version}
          onPick={(id) => pick(level, id)}
        />
      ))}
    </span>
  );
}

interface LevelProps {
  parentId: number | null;
  given: readonly OrgUnit[] | undefined;
  level: number;
  value: number | null;
  anyLabel: string;
  field: string | undefined;
  label: string | undefined;
  version: number;
  onPick: (id: number | null) => void;
}

function LevelSelect({ parentId, given, level, value, anyLabel, field, label, version, onPick }: LevelProps) {
  const { lang } = useI18n();
  const loaded = useUnitChildren(given ? null : parentId, version);
  const units = given ?? loaded;
  if (units.length === 0) return null;
  return (
    <select
      className="org-picker-level"
      data-level={level}
      data-field={field}
      aria-label={label}
      value={value ?? ''}
      onChange={(e) => onPick(e.target.value ? Number(e.target.value) : null)}
    >
      <option value="">{anyLabel}</option>
      {units.map((u) => (
        <option key={u.id} value={u.id}>
          {unitLabel(u, lang)}
        </option>
      ))}
    </select>
  );
}
