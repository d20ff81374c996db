import type { CameraList as CameraListData } from '../../hooks/use-camera-list';
import { useI18n } from '../../hooks/use-i18n';
import { VirtualList } from '../common/virtual-list';
import type { TileCamera } from '../wall/wall-state';
import { CameraRow } from './camera-row';

interface Props {
  title: string;
  list: CameraListData;
  onWall: ReadonlySet<number>;
  onOpen: (camera: TileCamera) => void;
}

const ROW_HEIGHT = 28;

export function CameraList({ title, list, onWall, onOpen }: Props) {
  const { t } = useI18n();
  if (!list.active) return <div className="cam-list-empty muted">{t('tree.selectUnit')}</div>;

  const more = list.items.length < list.total;
  const footer = (
    <div className="cam-list-footer">
      {list.error ? (
        <span className="danger">
          {list.error}{' '}
          <button type="button" className="link" onClick={list.retry}>
            {t('error.retry')}
          </button>
        </span>
      ) : list.loading ? (
        <span className="muted">{t('tree.loading')}</span>
      ) : more ? (
        <button type="button" className="btn small" onClick={list.loadMore}>
          {t('tree.more', { shown: list.items.length, total: list.total })}
        </button>
      ) : list.items.length === 0 ? (
        <span className="muted">{t('tree.empty')}</span>
      ) : null}
    </div>
  );

  return (
    <section className="cam-list" aria-label={title}>
      <header className="pane-title">
        <span className="ellipsis">{title}</span>
        <span className="muted">{t('tree.total', { total: list.total })}</span>
      </header>
      <VirtualList
        className="cam-list-body"
        ariaLabel={title}
        items={list.items}
        rowHeight={ROW_HEIGHT}
        getKey={(c) => c.id}
        renderRow={(c) => <CameraRow camera={c} onWall={onWall.has(c.id)} onOpen={onOpen} />}
        footer={footer}
      />
    </section>
  );
}
