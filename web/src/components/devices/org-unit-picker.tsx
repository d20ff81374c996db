// Cascading selects over the user's area: the scope root, then one select per level down (township → village →
// compound), each loaded when its parent is chosen. Reports the deepest unit chosen (the root when none).
import { useEffect, useState } from 'react';
import { useI18n } from '../../hooks/use-i18n';
import { useScopeRoot, useUnitChildren } from '../../hooks/use-devices-units';

interface Props {
  /** Called with the chosen unit's id (the root's when nothing below it is chosen). */
  onChange: (unitId: number | null) => void;
  testId: string;
  /** Label of the "nothing chosen at this level" option. */
  anyLabel?: string;
  version?: number;
}

export function OrgUnitPicker({ onChange, testId, anyLabel, version = 0 }: Props) {
  const { t } = useI18n();
  const root = useScopeRoot();
  const [chain, setChain] = useState<number[]>([]);

  useEffect(() => {
    if (root) onChange(chain.at(-1) ?? root.id);
    // onChange is the parent's setter; calling it on every render would loop.
  }, [root, chain]);

  if (!root) return <span className="muted small" data-testid={testId}>{t('common.loading')}</span>;
  const parents = [root.id, ...chain];
  return (
    <span className="org-picker" data-testid={testId} data-value={chain.at(-1) ?? root.id}>
      <span className="org-picker-root" title={root.name}>{root.name}</span>
      {parents.map((parentId, depth) => (
        <LevelSelect
          key={`${depth}:${parentId}`}
          parentId={parentId}
          depth={depth}
          value={chain[depth] ?? null}
          anyLabel={anyLabel ?? t('devices.unitAny')}
          version={version}
          onPick={(id) => setChain((c) => (id === null ? c.slice(0, depth) : [...c.slice(0, depth), id]))}
        />
      ))}
    </span>
  );
}

function LevelSelect(props: { parentId: number; depth: number; value: number | null; anyLabel: string; version: number; onPick: (id: number | null) => void }) {
  const units = useUnitChildren(props.parentId, props.version);
  if (units.length === 0) return null;
  return (
    <select
      className="org-picker-level"
      data-level={props.depth}
      value={props.value ?? ''}
      onChange={(e) => props.onPick(e.target.value ? Number(e.target.value) : null)}
    >
      <option value="">{props.anyLabel}</option>
      {units.map((u) => (
        <option key={u.id} value={u.id}>
          {u.name}
        </option>
      ))}
    </select>
  );
}
