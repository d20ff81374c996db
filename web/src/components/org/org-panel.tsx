// 组织机构 (issue #16): the org tree of the user's area with cameras and users per unit (whole subtree), and, for
// administrators, create, rename (Chinese and English), move and delete. The tree loads one level at a time like
// the camera tree (about 530 units in a county, never its 100,000 cameras); after every change it is read again,
// and other pages' trees hear the server's 'org:changed' (use-org-tree.ts).
import { useState } from 'react';
import type { OrgUnit } from '../../api/http';
import { useI18n } from '../../hooks/use-i18n';
import { formatMessage } from '../../i18n';
import { useOrgTree, type OrgTree as OrgTreeState } from '../../hooks/use-org-tree';
import { deleteBlockers, unitLabel } from '../../lib/org-logic';
import { OrgTree } from '../tree/org-tree';
import { CreateChildForm, DeleteUnit, MoveForm, RenameForm, type Outcome } from './org-forms';

export function OrgPanel({ canEdit }: { canEdit: boolean }) {
  const { t } = useI18n();
  const tree = useOrgTree();
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const rootId = tree.tree.rootIds[0] ?? null;
  const unit = tree.tree.units.get(selectedId ?? rootId ?? -1);
  const root = rootId === null ? undefined : tree.tree.units.get(rootId);

  return (
    <div className="org-layout">
      <section className="org-side" data-testid="org-tree">
        <div className="pane-title">
          <span>{t('org.tree')}</span>
          <span className="muted">{t('org.legend')}</span>
        </div>
        {tree.rootError ? (
          <p className="danger pane-message">
            {tree.rootError}{' '}
            <button type="button" className="link" onClick={() => tree.retry(null)}>{t('error.retry')}</button>
          </p>
        ) : (
          <OrgTree
            rows={tree.rows}
            selectedId={unit?.id ?? null}
            onToggle={tree.toggle}
            onSelect={(id) => {
              setSelectedId(id);
              setOutcome(null);
            }}
            onRetry={tree.retry}
            ariaLabel={t('org.tree')}
            renderCounts={(u) => (
              <span className="org-count" data-cameras={u.cameraCount} data-users={u.userCount} title={t('org.rowCounts', { cameras: u.cameraCount, users: u.userCount })}>
                {u.cameraCount} · {u.userCount}
              </span>
            )}
          />
        )}
      </section>
      <section className="org-main">
        {outcome && (
          <p className={outcome.ok ? 'ok small' : 'danger small'} role={outcome.ok ? 'status' : 'alert'} data-testid={outcome.ok ? 'org-message' : 'org-error'}>
            {outcome.ok ? formatMessage(t, outcome.message) : outcome.text}
          </p>
        )}
        {unit && root ? (
          <UnitDetails key={unit.id} unit={unit} root={root} canEdit={canEdit} tree={tree} onSelect={setSelectedId} onOutcome={setOutcome} />
        ) : (
          <p className="muted">{t('org.select')}</p>
        )}
      </section>
    </div>
  );
}

interface DetailsProps {
  unit: OrgUnit;
  root: OrgUnit;
  canEdit: boolean;
  tree: OrgTreeState;
  onSelect: (id: number) => void;
  onOutcome: (outcome: Outcome) => void;
}

function UnitDetails({ unit, root, canEdit, tree, onSelect, onOutcome }: DetailsProps) {
  const { t, lang } = useI18n();
  const own = unit.id === root.id;
  const blockers = deleteBlockers(unit);
  const actions = { tree, onSelect, onOutcome };
  return (
    <div className="org-details" data-testid="org-details" data-unit-id={unit.id}>
      <h3 data-testid="org-title">{unitLabel(unit, lang)}</h3>
      <dl className="org-facts">
        <dt>{t('org.field.name')}</dt><dd data-field="name">{unit.name}</dd>
        <dt>{t('org.field.nameEn')}</dt><dd data-field="nameEn">{unit.nameEn ?? '—'}</dd>
        <dt>{t('org.field.code')}</dt><dd data-field="code">{unit.code}</dd>
        <dt>{t('org.field.level')}</dt><dd data-field="level">{t(`level.${unit.level}`)}</dd>
        <dt>{t('org.count.cameras')}</dt><dd data-field="cameras">{unit.cameraCount}</dd>
        <dt>{t('org.count.online')}</dt><dd data-field="online">{unit.onlineCount}</dd>
        <dt>{t('org.count.users')}</dt><dd data-field="users">{unit.userCount}</dd>
        <dt>{t('org.count.children')}</dt><dd data-field="children">{unit.childCount}</dd>
      </dl>
      {!canEdit ? (
        <p className="muted small">{t('org.readOnly')}</p>
      ) : (
        <>
          <RenameForm unit={unit} {...actions} />
          <CreateChildForm parent={unit} {...actions} />
          {own ? <p className="muted small" data-testid="org-own">{t('org.own')}</p> : <MoveForm unit={unit} root={root} {...actions} />}
          {!own && <DeleteUnit unit={unit} blockers={blockers} {...actions} />}
        </>
      )}
    </div>
  );
}
