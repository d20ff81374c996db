import type { ReactNode } from 'react';
import { useI18n } from '../../hooks/use-i18n';
import { shortcutFor } from '../../lib/hotkeys';
import type { MessageKey } from '../../i18n';
import { LAYOUTS, type LayoutId } from './wall-state';

const LABEL: Record<LayoutId, MessageKey> = {
  '1': 'wall.layout1',
  '4': 'wall.layout4',
  '9': 'wall.layout9',
  '16': 'wall.layout16',
  '1+5': 'wall.layout1p5',
};

interface Props {
  layout: LayoutId;
  playing: number;
  hidden: number;
  focused: number | null;
  onLayout: (layout: LayoutId) => void;
  onClear: () => void;
  /** Tour, saved layouts and 视频调度 controls, after the wall info. */
  children?: ReactNode;
}

function LayoutIcon({ layout }: { layout: LayoutId }) {
  const n = layout === '1+5' ? 3 : Math.sqrt(Number(layout));
  return (
    <span className={`layout-icon${layout === '1+5' ? ' l1p5' : ''}`} style={{ ['--n' as string]: n }} aria-hidden>
      {Array.from({ length: layout === '1+5' ? 6 : n * n }, (_, i) => (
        <i key={i} />
      ))}
    </span>
  );
}

export function WallToolbar({ layout, playing, hidden, focused, onLayout, onClear, children }: Props) {
  const { t } = useI18n();
  return (
    <div className="wall-toolbar" role="toolbar" aria-label={t('wall.layout')}>
      <div className="layout-buttons">
        {LAYOUTS.map((l) => (
          <button
            key={l}
            type="button"
            className="layout-btn"
            aria-pressed={layout === l}
            data-layout={l}
            title={`${t(LABEL[l])} · ${t('wall.shortcut', { key: shortcutFor(l) })}`}
            onClick={() => onLayout(l)}
          >
            <LayoutIcon layout={l} />
            <span>{l}</span>
          </button>
        ))}
      </div>
      <div className="wall-info muted">
        {t('wall.onWall', { count: playing })}
        {hidden > 0 && <span> · {t('wall.hidden', { count: hidden })}</span>}
        {focused !== null && <span className="focus-note"> · {t('wall.focused', { n: focused + 1 })}</span>}
      </div>
      {children}
      <button type="button" className="btn small" title={t('wall.clearTitle')} onClick={onClear} disabled={playing + hidden === 0}>
        {t('wall.clear')}
      </button>
    </div>
  );
}
