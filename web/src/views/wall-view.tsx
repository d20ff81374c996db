import { WallGrid } from '../components/wall/wall-grid';
import { WallToolbar } from '../components/wall/wall-toolbar';
import { capacity, type WallAction, type WallState } from '../components/wall/wall-state';
import { useI18n } from '../hooks/use-i18n';

interface Props {
  state: WallState;
  dispatch: (action: WallAction) => void;
}

export function WallView({ state, dispatch }: Props) {
  const { t } = useI18n();
  const cap = capacity(state.layout);
  const playing = state.slots.slice(0, cap).filter(Boolean).length;
  const hidden = state.slots.slice(cap).filter(Boolean).length;
  return (
    <main className="wall-pane" aria-label={t('wall.layout')}>
      <WallToolbar
        layout={state.layout}
        playing={playing}
        hidden={hidden}
        focused={state.focused}
        onLayout={(layout) => dispatch({ type: 'layout', layout })}
        onClear={() => dispatch({ type: 'clear' })}
      />
      <WallGrid state={state} dispatch={dispatch} />
    </main>
  );
}
