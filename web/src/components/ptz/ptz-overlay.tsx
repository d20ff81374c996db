// PTZ on a wall tile (云台控制): a surface over the picture (keyboard when focused: arrows, + and −; drag to
// pan/tilt), a pad (eight directions, zoom ±, speed), presets (go to, save, delete, home), the "being steered by …"
// badge with take-over for a higher level. Renders nothing for a camera without PTZ.
import { useRef, useState, type KeyboardEvent, type PointerEvent, type SyntheticEvent } from 'react';
import { ptzApi, type PtzPreset } from '../../api/ptz-api';
import { useI18n } from '../../hooks/use-i18n';
import { usePtz } from '../../hooks/use-ptz';
import { PtzTourEditor } from './ptz-tour';
import { combine, dragVelocity, keyDirection, PAD, STILL, velocityOf, type Direction } from '../../lib/ptz-logic';

const ARROW: Record<Direction, string> = {
  up: '▲', down: '▼', left: '◀', right: '▶', 'up-left': '◤', 'up-right': '◥', 'down-left': '◣', 'down-right': '◢', 'zoom-in': '+', 'zoom-out': '−',
};

const swallow = (e: SyntheticEvent) => e.stopPropagation();

/** `onSteer`: the operator started (true) or stopped (false) steering this tile — the tile then switches to the
 * low-latency transport (hooks/use-low-latency.ts). */
export function PtzOverlay({ cameraId, onSteer }: { cameraId: number; onSteer?: (on: boolean) => void }) {
  const { t } = useI18n();
  const ptz = usePtz(cameraId);
  const [speed, setSpeed] = useState(0.5);
  const [menu, setMenu] = useState(false);
  const [presets, setPresets] = useState<PtzPreset[] | null>(null);
  const [name, setName] = useState('');
  const held = useRef(new Set<Direction>());
  const drag = useRef<{ x: number; y: number } | null>(null);
  if (!ptz.capable) return null;

  const lock = ptz.lock;
  const blocked = !!lock?.holder && !lock.mine;
  const keysChanged = () => ptz.setVelocity(combine(held.current, speed));
  const onKeyDown = (e: KeyboardEvent) => {
    const dir = keyDirection(e.key);
    if (!dir) return;
    e.preventDefault();
    e.stopPropagation();
    if (e.repeat && held.current.has(dir)) return;
    held.current.add(dir);
    keysChanged();
  };
  const onKeyUp = (e: KeyboardEvent) => {
    const dir = keyDirection(e.key);
    if (!dir) return;
    e.preventDefault();
    held.current.delete(dir);
    keysChanged();
  };
  const letGo = () => {
    held.current.clear();
    drag.current = null;
    ptz.setVelocity(STILL);
  };
  const padDown = (dir: Direction) => (e: PointerEvent<HTMLButtonElement>) => {
    e.stopPropagation();
    e.currentTarget.setPointerCapture?.(e.pointerId);
    ptz.setVelocity(velocityOf(dir, speed));
  };
  const surfaceDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.currentTarget.focus();
    e.currentTarget.setPointerCapture?.(e.pointerId);
    drag.current = { x: e.clientX, y: e.clientY };
  };
  const surfaceMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    const r = e.currentTarget.getBoundingClientRect();
    ptz.setVelocity(dragVelocity(e.clientX - drag.current.x, e.clientY - drag.current.y, r.width, r.height, speed));
  };
  const openMenu = async () => {
    setMenu((m) => !m);
    if (!menu) {
      setPresets(null);
      await ptz.run(async () => setPresets(await ptzApi.presets(cameraId)));
    }
  };
  const reloadPresets = async () => setPresets(await ptzApi.presets(cameraId));

  return (
    <>
      <div
        className="ptz-surface"
        tabIndex={0}
        role="application"
        aria-label={t('ptz.surface')}
        title={t('ptz.surfaceHint')}
        data-camera-id={cameraId}
        onKeyDown={onKeyDown}
        onKeyUp={onKeyUp}
        onFocus={() => onSteer?.(true)}
        onBlur={() => { letGo(); onSteer?.(false); }}
        onPointerDown={surfaceDown}
        onPointerMove={surfaceMove}
        onPointerUp={letGo}
        onPointerCancel={letGo}
      />
      {lock?.holder && (
        <div className={`ptz-badge${lock.mine ? ' mine' : ''}`} role="status" data-holder={lock.holder.name} onClick={swallow} onDoubleClick={swallow}>
          <span>{lock.mine ? t('ptz.steeringYou') : t('ptz.steeredBy', { name: lock.holder.name })}</span>
          {lock.canTakeOver && (
            <button type="button" className="btn small" data-action="ptz-take-over" onClick={() => void ptz.takeOver()}>{t('ptz.takeOver')}</button>
          )}
          {lock.mine && (
            <button type="button" className="btn small" data-action="ptz-release" onClick={() => void ptz.release()}>{t('ptz.release')}</button>
          )}
        </div>
      )}
      {(ptz.takenBy || ptz.error) && (
        <div className="ptz-notice" role="alert" onClick={(e) => { e.stopPropagation(); ptz.dismiss(); }}>
          {ptz.takenBy ? t('ptz.takenBy', { name: ptz.takenBy }) : ptz.error}
        </div>
      )}
      <div className={`ptz-pad${blocked ? ' blocked' : ''}`} onClick={swallow} onDoubleClick={swallow} onPointerDown={swallow}>
        <div className="ptz-dirs">
          {PAD.map((dir, i) => dir ? (
            <button
              key={dir}
              type="button"
              className="ptz-dir"
              data-dir={dir}
              aria-label={t(`ptz.dir.${dir}`)}
              title={t(`ptz.dir.${dir}`)}
              onPointerDown={padDown(dir)}
              onPointerUp={letGo}
              onPointerCancel={letGo}
              onLostPointerCapture={letGo}
            >
              {ARROW[dir]}
            </button>
          ) : (
            <button key="home" type="button" className="ptz-dir ptz-home" data-action="ptz-home" title={t('ptz.home')} aria-label={t('ptz.home')} onClick={() => void ptz.run(() => ptzApi.home(cameraId))}>⌂</button>
          ))}
        </div>
        <div className="ptz-zoom">
          {(['zoom-in', 'zoom-out'] as const).map((dir) => (
            <button key={dir} type="button" className="ptz-dir" data-dir={dir} aria-label={t(`ptz.dir.${dir}`)} title={t(`ptz.dir.${dir}`)}
              onPointerDown={padDown(dir)} onPointerUp={letGo} onPointerCancel={letGo} onLostPointerCapture={letGo}>
              {ARROW[dir]}
            </button>
          ))}
        </div>
        <label className="ptz-speed" title={t('ptz.speed')}>
          <span>{t('ptz.speed')}</span>
          <input type="range" min={0.1} max={1} step={0.1} value={speed} onChange={(e) => setSpeed(Number(e.target.value))} aria-label={t('ptz.speed')} />
        </label>
        <button type="button" className="btn small" data-action="ptz-presets" aria-expanded={menu} onClick={() => void openMenu()}>{t('ptz.presets')}</button>
        {menu && (
          <div className="ptz-presets" role="menu">
            {presets === null ? <div className="muted">{t('ptz.loading')}</div> : presets.length === 0 ? <div className="muted">{t('ptz.noPresets')}</div> : (
              <ul>
                {presets.map((p) => (
                  <li key={p.token}>
                    <button type="button" className="link" data-action="ptz-goto" data-token={p.token} onClick={() => void ptz.run(() => ptzApi.gotoPreset(cameraId, p.token))}>{p.name || p.token}</button>
                    <button type="button" className="tile-btn" aria-label={t('ptz.deletePreset', { name: p.name })} title={t('ptz.deletePreset', { name: p.name })}
                      onClick={() => {
                        if (window.confirm(t('ptz.confirmDelete', { name: p.name }))) void ptz.run(async () => { await ptzApi.deletePreset(cameraId, p.token); await reloadPresets(); });
                      }}>×</button>
                  </li>
                ))}
              </ul>
            )}
            <form onSubmit={(e) => {
              e.preventDefault();
              const clean = name.trim();
              if (!clean) return;
              void ptz.run(async () => { await ptzApi.savePreset(cameraId, clean); setName(''); await reloadPresets(); });
            }}>
              <input value={name} maxLength={32} placeholder={t('ptz.presetName')} aria-label={t('ptz.presetName')} onChange={(e) => setName(e.target.value)} onKeyDown={swallow} />
              <button type="submit" className="btn small" disabled={!name.trim()}>{t('ptz.savePreset')}</button>
            </form>
            {presets && presets.length > 0 && <PtzTourEditor cameraId={cameraId} presets={presets} run={(action) => ptz.run(action)} />}
          </div>
        )}
      </div>
    </>
  );
}
