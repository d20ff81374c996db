// The operator console: header, camera tree, wall, side panel. Loaded lazily after login (it carries hls.js).
import { useCallback, useMemo, useState } from 'react';
import type { SessionInfo } from '../api/http';
import { AppHeader } from '../components/common/app-header';
import type { TileCamera } from '../components/wall/wall-state';
import { useWallHotkeys } from '../hooks/use-hotkeys';
import { useNetworks } from '../hooks/use-networks';
import { NetworksContext } from '../hooks/use-networks-context';
import { useOrgTree } from '../hooks/use-org-tree';
import { useSocketEvent } from '../hooks/use-socket';
import { useStatusFeed } from '../hooks/use-status-feed';
import { useWall } from '../hooks/use-wall';
import { CameraTreeView } from '../views/camera-tree-view';
import { SidePanelView } from '../views/side-panel-view';
import { WallView } from '../views/wall-view';
import '../styles/console.css';
import '../styles/wall.css';

interface Props {
  session: SessionInfo;
  onLogout: () => void;
}

const narrow = () => typeof window !== 'undefined' && window.innerWidth < 1400;

export default function ConsolePage({ session, onLogout }: Props) {
  const { user } = session;
  const networks = useNetworks();
  const networkMap = useMemo(() => new Map(networks.map((n) => [n.key, n])), [networks]);
  const tree = useOrgTree();
  const { statusChanged, refreshCounts } = tree;
  const events = useStatusFeed(useMemo(() => ({ statusChanged, refreshCounts }), [statusChanged, refreshCounts]));
  const [wall, dispatch] = useWall(user.username);
  const [sideCollapsed, setSideCollapsed] = useState(narrow);

  // Another tab signed in as someone else replaced the cookie: this page's session and CSRF token are stale.
  useSocketEvent('session:ready', ({ user: current }) => {
    if (typeof current?.id === 'number' && current.id !== user.id) window.location.reload();
  });
  const selected = wall.selected;
  useWallHotkeys((key) => {
    if (key.type === 'layout') dispatch({ type: 'layout', layout: key.layout });
    else if (key.type === 'unfocus') dispatch({ type: 'focus', slot: null });
    else dispatch({ type: 'remove', slot: selected });
  });
  const onOpen = useCallback((camera: TileCamera) => dispatch({ type: 'place', camera }), [dispatch]);
  const onWall = useMemo(() => new Set(wall.slots.filter((c): c is TileCamera => c !== null).map((c) => c.id)), [wall.slots]);

  return (
    <NetworksContext.Provider value={networkMap}>
      <div className={`console${sideCollapsed ? ' side-collapsed' : ''}`}>
        <AppHeader user={user} onLogout={onLogout} />
        <CameraTreeView tree={tree} networks={networks} onWall={onWall} onOpen={onOpen} />
        <WallView state={wall} dispatch={dispatch} />
        <SidePanelView events={events} collapsed={sideCollapsed} onToggle={() => setSideCollapsed((c) => !c)} />
      </div>
    </NetworksContext.Provider>
  );
}
