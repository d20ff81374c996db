// Left pane: network chips and search on top, the lazy org tree, then the paged camera list of the
// selected unit (or the search results). Never loads all cameras.
import { useCallback, useEffect, useState } from 'react';
import type { Network } from '../api/http';
import { CameraList } from '../components/tree/camera-list';
import { NetworkChips } from '../components/tree/network-chips';
import { OrgTree } from '../components/tree/org-tree';
import { SearchBox } from '../components/tree/search-box';
import { toggleNetwork } from '../components/tree/tree-state';
import type { TileCamera } from '../components/wall/wall-state';
import { useCameraList } from '../hooks/use-camera-list';
import { useI18n } from '../hooks/use-i18n';
import type { OrgTree as OrgTreeData } from '../hooks/use-org-tree';
import { unitLabel } from '../lib/org-logic';

interface Props {
  tree: OrgTreeData;
  networks: readonly Network[];
  onWall: ReadonlySet<number>;
  onOpen: (camera: TileCamera) => void;
  /** The unit whose cameras are listed (the tour cycles through them). */
  onUnit?: (unit: { id: number; name: string } | null) => void;
  /**
   * The network chip, when the page owns it (the console does: the map beside the tree filters on the same
   * state, not a copy). Without it the tree keeps its own.
   */
  network?: string | null;
  onNetwork?: (key: string | null) => void;
}

export function CameraTreeView({ tree, networks, onWall, onOpen, onUnit, network: owned, onNetwork }: Props) {
  const { t, lang } = useI18n();
  const [selected, setSelected] = useState<number | null>(null);
  const [own, setOwn] = useState<string | null>(null);
  const network = onNetwork ? (owned ?? null) : own;
  const setNetwork = onNetwork ? (key: string | null) => onNetwork(key) : setOwn;
  const [q, setQ] = useState('');
  // Until the user picks a unit, list the scope root (the first row) so there is something to double-click.
  const unitId = selected ?? tree.rows[0]?.unit.id ?? null;
  const list = useCameraList({ orgUnitId: unitId, network, q });
  const unit = unitId === null ? undefined : tree.tree.units.get(unitId);
  const unitName = unit ? unitLabel(unit, lang) : null;
  useEffect(() => {
    onUnit?.(unitId !== null && unitName !== null ? { id: unitId, name: unitName } : null);
  }, [unitId, unitName, onUnit]);
  const title = q.trim() ? t('tree.searchResults', { q: q.trim() }) : t('tree.camerasOf', { name: unitName ?? '' });

  return (
    <aside className="tree-pane" aria-label={t('tree.title')}>
      <div className="tree-tools">
        <SearchBox onSearch={useCallback((value: string) => setQ(value), [])} />
        <NetworkChips networks={networks} selected={network} onSelect={(key) => setNetwork(toggleNetwork(network, key))} />
      </div>
      <section className="org-pane" aria-label={t('tree.orgUnits')}>
        {tree.rootError ? (
          <div className="pane-message danger">
            {t('tree.loadFailed', { message: tree.rootError })}{' '}
            <button type="button" className="link" onClick={() => tree.retry(null)}>
              {t('error.retry')}
            </button>
          </div>
        ) : tree.rows.length === 0 ? (
          <div className="pane-message muted">{t('tree.loading')}</div>
        ) : (
          <OrgTree rows={tree.rows} selectedId={unitId} onToggle={tree.toggle} onSelect={setSelected} onRetry={tree.retry} />
        )}
      </section>
      <CameraList title={title} list={list} onWall={onWall} onOpen={onOpen} />
    </aside>
  );
}
