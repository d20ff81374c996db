// Picks the unit a link shares (usually a compound 小区) from the same lazy org tree as the camera tree: it only
// ever holds the user's scope, so a township officer cannot even see a unit outside it.
import type { OrgTree } from '../../hooks/use-org-tree';
import { useI18n } from '../../hooks/use-i18n';
import { OrgTree as OrgTreeList } from '../tree/org-tree';
import { FieldError } from './field-error';

interface Props {
  tree: OrgTree;
  selectedId: number | null;
  /** The selected unit's path for display, root of the scope first. */
  selectedPath: string | null;
  onSelect: (unitId: number) => void;
  error?: string;
  /** The field's label and hint when the unit is not a shared compound (e.g. where a push device belongs). */
  label?: string;
  hint?: string;
}

export function UnitPicker({ tree, selectedId, selectedPath, onSelect, error, label, hint }: Props) {
  const { t } = useI18n();
  return (
    <div className="field share-unit-field" data-field="org-unit">
      <span>{label ?? t('shareLinks.unit')}</span>
      <div className="share-unit-tree" data-testid="share-unit-tree">
        {tree.rootError ? (
          <p className="danger pane-message">
            {tree.rootError}{' '}
            <button type="button" className="link" onClick={() => tree.retry(null)}>
              {t('error.retry')}
            </button>
          </p>
        ) : (
          <OrgTreeList rows={tree.rows} selectedId={selectedId} onToggle={tree.toggle} onSelect={onSelect} onRetry={tree.retry} />
        )}
      </div>
      <small className="muted" data-testid="share-unit" data-unit-id={selectedId ?? undefined}>
        {selectedPath ? t('shareLinks.unitChosen', { path: selectedPath }) : (hint ?? t('shareLinks.unitHint'))}
      </small>
      <FieldError field="orgUnitId" message={error} />
    </div>
  );
}
