// The cameras a link shares: the unit's public-area cameras come ticked; the others are listed unticked and
// marked non-public (the server refuses them, and says which one, if they are ticked anyway).
import type { UnitCameras } from '../../hooks/use-unit-cameras';
import { useI18n } from '../../hooks/use-i18n';
import { FieldError } from './field-error';

interface Props {
  list: UnitCameras;
  selected: readonly number[];
  onChange: (ids: number[]) => void;
  error?: string;
  /** The camera the server refused (its `cameraIds.N` field), highlighted in the list. */
  refusedId?: number;
}

export function CameraPicker({ list, selected, onChange, error, refusedId }: Props) {
  const { t } = useI18n();
  const chosen = new Set(selected);
  const publicIds = list.cameras.filter((c) => c.publicArea).map((c) => c.id);
  // Keep the list's order in the request, whatever order the boxes were ticked in.
  const setChecked = (id: number, on: boolean) =>
    onChange(list.cameras.map((c) => c.id).filter((cid) => (cid === id ? on : chosen.has(cid))));

  return (
    <fieldset className="field share-cameras-field" data-field="cameras">
      <legend>{t('shareLinks.cameras')}</legend>
      {list.unitId === null ? (
        <small className="muted">{t('shareLinks.camerasPickUnit')}</small>
      ) : list.loading ? (
        <small className="muted">{t('common.loading')}</small>
      ) : list.error ? (
        <small className="danger">{list.error}</small>
      ) : (
        <>
          <div className="share-cameras-bar">
            <span className="muted" data-testid="share-camera-count" data-selected={selected.length} data-public={publicIds.length}>
              {t('shareLinks.camerasCount', { selected: selected.length, public: publicIds.length, total: list.total })}
            </span>
            <button type="button" className="link" data-action="select-public" onClick={() => onChange(publicIds)}>
              {t('shareLinks.selectPublic')}
            </button>
            <button type="button" className="link" data-action="select-none" onClick={() => onChange([])}>
              {t('shareLinks.selectNone')}
            </button>
          </div>
          {list.total > list.cameras.length && (
            <small className="muted">{t('shareLinks.camerasCut', { shown: list.cameras.length, total: list.total })}</small>
          )}
          {list.cameras.length === 0 ? (
            <small className="muted">{t('shareLinks.noCameras')}</small>
          ) : (
            <ul className="share-camera-list" data-testid="share-cameras">
              {list.cameras.map((c) => (
                <li
                  key={c.id}
                  data-camera-id={c.id}
                  data-public={c.publicArea}
                  className={`${c.publicArea ? '' : 'non-public'}${c.id === refusedId ? ' refused' : ''}`}
                >
                  <label>
                    <input type="checkbox" checked={chosen.has(c.id)} onChange={(e) => setChecked(c.id, e.target.checked)} />
                    <span className="ellipsis" title={c.name}>
                      {c.name}
                    </span>
                    {!c.publicArea && <span className="share-tag warn">{t('shareLinks.nonPublic')}</span>}
                  </label>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <small className="muted">{t('shareLinks.camerasHint')}</small>
      <FieldError field="cameraIds" message={error} />
    </fieldset>
  );
}
