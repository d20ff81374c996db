import type { ReactNode } from 'react';
import type { OrgUnit } from '../../../../server/contracts/api';
import { useI18n } from '../../hooks/use-i18n';
import { unitLabel } from '../../lib/org-logic';
import { VirtualList } from '../common/virtual-list';
import type { TreeRow } from './tree-state';

interface Props {
  rows: TreeRow[];
  selectedId: number | null;
  onToggle: (id: number) => void;
  onSelect: (id: number) => void;
  onRetry: (id: number) => void;
  /** What a row shows after the name; default online/total cameras. */
  renderCounts?: (unit: OrgUnit) => ReactNode;
  /** Accessible name of the tree; default 组织机构 of the camera tree. */
  ariaLabel?: string;
}

const ROW_HEIGHT = 30;

export function OrgTree({ rows, selectedId, onToggle, onSelect, onRetry, renderCounts, ariaLabel }: Props) {
  const { t, lang } = useI18n();
  return (
    <VirtualList
      className="org-tree"
      role="tree"
      ariaLabel={ariaLabel ?? t('tree.orgUnits')}
      items={rows}
      rowHeight={ROW_HEIGHT}
      getKey={(r) => r.unit.id}
      renderRow={(row) => {
        const { unit } = row;
        const leaf = unit.childCount === 0;
        return (
          <div
            className={`org-row${selectedId === unit.id ? ' selected' : ''}`}
            role="treeitem"
            aria-level={row.depth + 1}
            aria-expanded={leaf ? undefined : row.expanded}
            aria-selected={selectedId === unit.id}
            data-unit-id={unit.id}
            style={{ paddingLeft: 6 + row.depth * 14 }}
            onClick={() => onSelect(unit.id)}
            onDoubleClick={() => !leaf && onToggle(unit.id)}
            title={`${unitLabel(unit, lang)} · ${t(`level.${unit.level}`)}`}
          >
            <button
              type="button"
              className="twisty"
              disabled={leaf}
              aria-label={row.expanded ? t('tree.collapse') : t('tree.expand')}
              onClick={(e) => {
                e.stopPropagation();
                onToggle(unit.id);
              }}
            >
              {leaf ? '' : row.loading ? '…' : row.expanded ? '▾' : '▸'}
            </button>
            <span className="org-name">{unitLabel(unit, lang)}</span>
            {row.error ? (
              <button
                type="button"
                className="link danger"
                title={t('tree.loadFailed', { message: row.error })}
                onClick={(e) => {
                  e.stopPropagation();
                  onRetry(unit.id);
                }}
              >
                {t('error.retry')}
              </button>
            ) : renderCounts ? (
              renderCounts(unit)
            ) : (
              <span className="org-count" title={t('tree.counts', { online: unit.onlineCount, total: unit.cameraCount })}>
                <b>{unit.onlineCount}</b>/{unit.cameraCount}
              </span>
            )}
          </div>
        );
      }}
    />
  );
}
