// The org-unit filter as a chain of selects: the scope root, then each chosen unit's children, loaded when chosen.
// The deepest choice is the filter (the server takes it with everything below it).
import { useEffect, useState } from 'react';
import { api, isAbort, type OrgUnit } from '../../api/http';
import { useI18n } from '../../hooks/use-i18n';

interface Props {
  /** The chosen chain of unit ids, top down; empty for all units. */
  chain: number[];
  onChange: (chain: number[]) => void;
}

export function UnitSelect({ chain, onChange }: Props) {
  const { t } = useI18n();
  // parent id (0 for the scope root) → its children, as loaded
  const [children, setChildren] = useState<Map<number, OrgUnit[]>>(new Map());

  const wanted = [0, ...chain];
  const missing = wanted.find((id) => !children.has(id));
  useEffect(() => {
    if (missing === undefined) return;
    const abort = new AbortController();
    api.orgUnits(missing || undefined, abort.signal).then(
      (units) => setChildren((m) => new Map(m).set(missing, units)),
      (err: unknown) => !isAbort(err) && setChildren((m) => new Map(m).set(missing, [])),
    );
    return () => abort.abort();
  }, [missing]);

  const levels = wanted.filter((id) => (children.get(id)?.length ?? 0) > 0);
  return (
    <span className="audit-units" data-testid="audit-filter-unit">
      {levels.map((parent, depth) => (
        <select
          key={parent}
          aria-label={depth === 0 ? t('audit.orgUnit') : t('audit.subUnit')}
          data-depth={depth}
          value={chain[depth] ?? ''}
          onChange={(e) => onChange([...chain.slice(0, depth), ...(e.target.value ? [Number(e.target.value)] : [])])}
        >
          <option value="">{depth === 0 ? t('audit.anyUnit') : t('audit.subUnit')}</option>
          {children.get(parent)!.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
      ))}
    </span>
  );
}
