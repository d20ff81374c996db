import type { ReactNode } from 'react';
import { WallGrid } from '../components/wall/wall-grid';
import { SyncControls } from '../components/wall/sync-controls';
import { WallToolbar } from '../components/wall/wall-toolbar';
import { capacity, type WallAction, type WallState } from '../components/wall/wall-state';
import { useI18n } from '../hooks/use-i18n';
import { SyncPlaybackProvider } from '../hooks/use-sync-playback';

interface Props {
  state: WallState;
  dispatch: (action: WallAction) => void;
  tools?: ReactNode;
  /** Shown between the toolbar and the grid (a received 视频调度 push). */
  banner?: ReactNode;
}

export function WallView({ state, dispatch, tools, banner }: Props) {
  const { t } = useI18n();
  const cap = capacity(state.layout);
  const playing = state.slots.slice(0, cap).filter(Boolean).length;
  const hidden = state.slots.slice(cap).filter(Boolean).length;
  return (
    <SyncPlaybackProvider>
      <main className="wall-pane" aria-label={t('wall.layout')}>
        <WallToolbar
          layout={state.layout}
          playing={playing}
          hidden={hidden}
          focused={state.focused}
          onLayout={(layout) => dispatch({ type: 'layout', layout })}
          onClear={() => dispatch({ type: 'clear' })}
        >
          <SyncControls tiles={playing} />
          {tools}
        </WallToolbar>
        {banner}
        <WallGrid state={state} dispatch={dispatch} />
      </main>
    </SyncPlaybackProvider>
  );
}
