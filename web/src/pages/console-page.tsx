// The operator console: header, camera tree, wall (or statistics), side panel with tasks; dialogs and toasts.
// Loaded lazily after login (it carries hls.js).
import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import type { SessionInfo } from '../api/http';
import { rememberTileCamera, tileCameras } from '../api/tile-cameras';
import { AppHeader, type ConsoleView } from '../components/common/app-header';
import { DangerDrawer } from '../components/dispatch/danger-drawer';
import { PushBanner } from '../components/dispatch/push-banner';
import { PushDialog } from '../components/dispatch/push-dialog';
import { TagDialog, type TagRequest } from '../components/dispatch/tag-dialog';
import { ToastStack } from '../components/dispatch/toast-stack';
import { LayoutsMenu } from '../components/wall/layouts-menu';
import { PatrolBar } from '../components/patrol/patrol-bar';
import { TourControls } from '../components/wall/tour-controls';
import { capacity, layoutForCount, type TileCamera } from '../components/wall/wall-state';
import { DispatchContext, useDispatchSetup } from '../hooks/use-dispatch-context';
import { useDispatchFeed, type PendingPush } from '../hooks/use-dispatch-feed';
import { useWallHotkeys } from '../hooks/use-hotkeys';
import { useI18n } from '../hooks/use-i18n';
import { useNetworks } from '../hooks/use-networks';
import { NetworksContext } from '../hooks/use-networks-context';
import { useNow } from '../hooks/use-now';
import { useOrgTree } from '../hooks/use-org-tree';
import { usePatrolFeed } from '../hooks/use-patrol-feed';
import { usePatrolRun } from '../hooks/use-patrol-run';
import { useSavedLayouts } from '../hooks/use-saved-layouts';
import { useSocketEvent } from '../hooks/use-socket';
import { useStatusFeed } from '../hooks/use-status-feed';
import { useTour } from '../hooks/use-tour';
import { useWall } from '../hooks/use-wall';
import { useRelays, WallServicesContext } from '../hooks/use-wall-services';
import { CameraTreeView } from '../views/camera-tree-view';
import { SidePanelView } from '../views/side-panel-view';
import { WallView } from '../views/wall-view';
import '../styles/console.css';
import '../styles/wall.css';
import '../styles/ptz.css';
import '../styles/dispatch.css';

// Views other than the wall are opened now and then: their code loads on first use.
// The map carries Leaflet (its own chunk, like the resident page).
const MapView = lazy(() => import('../views/map-view').then((m) => ({ default: m.MapView })));
const StatsView = lazy(() => import('../views/stats-view').then((m) => ({ default: m.StatsView })));
const TicketsView = lazy(() => import('../views/tickets-view').then((m) => ({ default: m.TicketsView })));
const DevicesView = lazy(() => import('../views/devices-view').then((m) => ({ default: m.DevicesView })));
const ShareLinksView = lazy(() => import('../views/share-links-view').then((m) => ({ default: m.ShareLinksView })));
const AuditView = lazy(() => import('../views/audit-view').then((m) => ({ default: m.AuditView })));
const UsersView = lazy(() => import('../views/users-view').then((m) => ({ default: m.UsersView })));
const PatrolView = lazy(() => import('../views/patrol-view').then((m) => ({ default: m.PatrolView })));
const AccountView = lazy(() => import('../views/account-view').then((m) => ({ default: m.AccountView })));

interface Props {
  session: SessionInfo;
  freshLogin: boolean;
  onLogout: () => void;
}

const narrow = () => typeof window !== 'undefined' && window.innerWidth < 1400;

export default function ConsolePage({ session, freshLogin, onLogout }: Props) {
  const { t } = useI18n();
  const { user } = session;
  const networks = useNetworks();
  const networkMap = useMemo(() => new Map(networks.map((n) => [n.key, n])), [networks]);
  const tree = useOrgTree();
  const { statusChanged, refreshCounts } = tree;
  const events = useStatusFeed(useMemo(() => ({ statusChanged, refreshCounts }), [statusChanged, refreshCounts]));
  const [wall, dispatch] = useWall(user.username);
  const [sideCollapsed, setSideCollapsed] = useState(narrow);
  const [view, setView] = useState<ConsoleView>('wall');
  const setup = useDispatchSetup(user);
  const feed = useDispatchFeed(setup);
  const { notify, changed } = feed;
  const now = useNow();
  // A tag opened from the patrol bar also records the patrol's 发现隐患 mark once the danger is saved.
  const [tagRequest, setTagRequest] = useState<(TagRequest & { forPatrol?: boolean }) | null>(null);
  const [drawer, setDrawer] = useState<{ dangerId: number; taskId: number | null } | null>(null);
  const [pushOpen, setPushOpen] = useState(false);
  // Cameras a map box selection pushes (the push dialog sends them instead of the wall's).
  const [pushSelection, setPushSelection] = useState<number[] | null>(null);
  // A camera the tree asked the map to show (double-click in map view).
  const [mapFocus, setMapFocus] = useState<TileCamera | null>(null);
  const [unit, setUnit] = useState<{ id: number; name: string } | null>(null);
  // The tree's network chip: one state for the tree and the map beside it (and kept across views).
  const [network, setNetwork] = useState<string | null>(null);
  const tour = useTour(wall, dispatch);
  const patrolFeed = usePatrolFeed(user.orgUnitId, user.role !== 'village_officer', notify);
  const patrol = usePatrolRun(dispatch, notify, useCallback(() => {
    if (tour.running) tour.stop();
    setView('wall');
  }, [tour]));
  const tagForPatrol = useCallback(() => {
    const camera = patrol.detail?.cameras[patrol.index];
    if (!camera) return;
    const frame = patrol.currentFrame();
    if (!frame) return notify('warn', { key: 'patrol.noFrame' });
    setTagRequest({ camera: { id: camera.id, name: camera.name, network: camera.network, orgUnitId: camera.orgUnitId }, evidenceJpeg: frame, capturedAt: new Date().toISOString(), forPatrol: true });
  }, [patrol, notify]);
  const saved = useSavedLayouts(wall, dispatch, freshLogin, (l) => notify('info', { key: 'layouts.restored', params: { name: l.name } }));

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
  const onOpen = useCallback(
    (camera: TileCamera) => {
      rememberTileCamera(camera);
      dispatch({ type: 'place', camera });
    },
    [dispatch],
  );
  const playingIds = useMemo(
    () => wall.slots.slice(0, capacity(wall.layout)).filter((c): c is TileCamera => c !== null).map((c) => c.id),
    [wall.slots, wall.layout],
  );
  const onWall = useMemo(() => new Set(wall.slots.filter((c): c is TileCamera => c !== null).map((c) => c.id)), [wall.slots]);
  const relays = useRelays(view === 'wall' && playingIds.length > 0);
  const services = useMemo(
    () => ({ onTag: (camera: TileCamera, evidenceJpeg: string, capturedAt: string) => setTagRequest({ camera, evidenceJpeg, capturedAt }), relays }),
    [relays],
  );
  const openDanger = useCallback((dangerId: number, taskId?: number) => setDrawer({ dangerId, taskId: taskId ?? null }), []);

  const acceptPush = useCallback(
    async (push: PendingPush) => {
      if (tour.running) tour.stop();
      const slots = (await tileCameras(push.cameraIds.slice(0, 16))).filter((c): c is TileCamera => c !== null);
      dispatch({ type: 'load', slots, layout: layoutForCount(slots.length) });
      notify('info', { key: 'push.accepted' });
    },
    [dispatch, notify, tour],
  );

  const tools = (
    <>
      <TourControls tour={tour} unit={unit} layouts={saved.layouts} />
      <LayoutsMenu saved={saved} onMessage={(message) => notify('info', message)} />
      {setup.canDispatch && (
        <button type="button" className="btn small" data-testid="push-open" onClick={() => setPushOpen(true)}>
          {t('push.button')}
        </button>
      )}
    </>
  );

  return (
    <NetworksContext.Provider value={networkMap}>
      <DispatchContext.Provider value={setup}>
        <WallServicesContext.Provider value={services}>
          <div className={`console${sideCollapsed ? ' side-collapsed' : ''}${view !== 'wall' && view !== 'map' ? ' page-mode' : ''}`}>
            <AppHeader user={user} view={view} onView={setView} onLogout={onLogout} badges={{ patrol: patrolFeed.badge }} />
            {view === 'wall' ? (
              <>
                <CameraTreeView tree={tree} networks={networks} onWall={onWall} onOpen={onOpen} onUnit={setUnit} network={network} onNetwork={setNetwork} />
                <WallView
                  state={wall}
                  dispatch={dispatch}
                  tools={tools}
                  banner={
                    <>
                      <PatrolBar patrol={patrol} onDanger={tagForPatrol} />
                      <PushBanner pushes={feed.pushes} onAccepted={acceptPush} onAnswered={feed.dropPush} />
                    </>
                  }
                />
              </>
            ) : view === 'map' ? (
              <>
                {/* The tree beside the map: double-click flies to a camera; an administrator drags one onto the map to place it. */}
                <CameraTreeView tree={tree} networks={networks} onWall={onWall} onOpen={setMapFocus} onUnit={setUnit} network={network} onNetwork={setNetwork} />
                <Suspense fallback={<div className="app-loading muted">{t('app.loading')}</div>}>
                  <MapView
                    networks={networks}
                    canPlace={user.role === 'admin'}
                    focus={mapFocus}
                    treeUnit={unit}
                    network={network}
                    onOpen={(camera) => {
                      setView('wall');
                      onOpen(camera);
                    }}
                    onOpenMany={(cameras) => {
                      if (tour.running) tour.stop();
                      cameras.forEach(rememberTileCamera);
                      dispatch({ type: 'load', slots: cameras, layout: layoutForCount(cameras.length) });
                      setView('wall');
                    }}
                    onPush={(ids) => {
                      setPushSelection(ids);
                      setPushOpen(true);
                    }}
                    onDanger={openDanger}
                  />
                </Suspense>
              </>
            ) : (
              <Suspense fallback={<div className="app-loading muted">{t('app.loading')}</div>}>
                {view === 'stats' && <StatsView version={feed.version} />}
                {view === 'tickets' && <TicketsView user={user} />}
                {view === 'patrol' && (
                  <PatrolView me={user} version={patrolFeed.version} networks={networks} wallCameraIds={playingIds} onRun={(id) => void patrol.begin(id)} />
                )}
                {view === 'devices' && <DevicesView role={user.role} />}
                {view === 'share' && <ShareLinksView />}
                {view === 'audit' && <AuditView />}
                {view === 'users' && <UsersView me={user} />}
                {view === 'account' && <AccountView user={user} onSignedOut={onLogout} />}
              </Suspense>
            )}
            <SidePanelView
              events={events}
              feed={feed}
              now={now}
              openDanger={drawer?.dangerId ?? null}
              onOpen={openDanger}
              collapsed={sideCollapsed}
              onToggle={() => setSideCollapsed((c) => !c)}
            />
          </div>
          {drawer && (
            <DangerDrawer
              key={drawer.dangerId}
              dangerId={drawer.dangerId}
              focusTaskId={drawer.taskId}
              version={feed.version}
              now={now}
              onClose={() => setDrawer(null)}
              onChanged={(message) => {
                changed();
                notify('info', message);
              }}
              onShowOnWall={(camera) => {
                setView('wall');
                onOpen(camera);
              }}
            />
          )}
          {tagRequest && (
            <TagDialog
              {...tagRequest}
              onClose={() => setTagRequest(null)}
              onDone={({ dangerId, dispatchedTo }) => {
                if (tagRequest.forPatrol) void patrol.markDanger(dangerId, tagRequest.evidenceJpeg);
                setTagRequest(null);
                changed();
                if (dispatchedTo !== null) notify('info', { key: 'tag.savedDispatched', params: { id: dangerId, unit: dispatchedTo } });
                else notify('info', { key: 'tag.saved', params: { id: dangerId } });
              }}
            />
          )}
          {pushOpen && (
            <PushDialog
              wallCameraIds={pushSelection ?? playingIds}
              selection={pushSelection !== null}
              layouts={saved.layouts}
              onClose={() => {
                setPushOpen(false);
                setPushSelection(null);
              }}
              onSent={(unitName, count) => {
                setPushOpen(false);
                setPushSelection(null);
                notify('info', { key: 'push.sent', params: { unit: unitName, count } });
              }}
            />
          )}
          <ToastStack toasts={feed.toasts} onDismiss={feed.dismissToast} onOpen={(id) => openDanger(id)} />
        </WallServicesContext.Provider>
      </DispatchContext.Provider>
    </NetworksContext.Provider>
  );
}
