// Target unit, deadline and instructions of a 派单 or 转派. The unit defaults to the subordinate unit that contains
// the danger (属地管理); the deadline defaults from the severity until the operator edits it.
import { useEffect, useState, type Dispatch, type SetStateAction } from 'react';
import { MAX_NOTE_LENGTH } from '../../../../server/domain/dispatch-limits';
import { api } from '../../api/http';
import type { Severity } from '../../api/dispatch-api';
import { useDispatch } from '../../hooks/use-dispatch-context';
import { useI18n } from '../../hooks/use-i18n';
import { defaultDeadlineHours, toLocalInput } from '../../lib/dispatch-logic';
import { findChildContaining } from '../../lib/territory';
import { OrgUnitPicker } from '../common/org-unit-picker';
import { unitLabel } from '../../lib/org-logic';

export interface DispatchValue {
  toUnitId: number | null;
  /** datetime-local value */
  deadline: string;
  note: string;
}

export function initialDispatch(hours: number, now = new Date()): DispatchValue {
  return { toUnitId: null, deadline: toLocalInput(new Date(now.getTime() + hours * 3600_000)), note: '' };
}

interface Props {
  value: DispatchValue;
  /** A state setter: updates are functional, so an answer arriving late never undoes the operator's typing. */
  onChange: Dispatch<SetStateAction<DispatchValue>>;
  severity: Severity;
  /** Where the danger is: used to pick the unit that contains it. */
  camera: { id: number; name: string; orgUnitId?: number };
  /** 转派: the child task may not outlive its parent's deadline (the server refuses a later one). */
  maxDeadline?: string;
}

const searchSubtree = (unitId: number, q: string) =>
  api.cameras({ orgUnitId: unitId, q, limit: 20 }).then((page) => page.items.map((c) => c.id));

export function DispatchFields({ value, onChange, severity, camera, maxDeadline }: Props) {
  const { t, lang } = useI18n();
  const { targets, taxonomy } = useDispatch();
  const [locating, setLocating] = useState(false);
  const [territory, setTerritory] = useState<number | null>(null);
  const [deadlineTouched, setDeadlineTouched] = useState(false);
  const hours = defaultDeadlineHours(taxonomy, severity);

  useEffect(() => {
    if (deadlineTouched) return;
    const max = maxDeadline ? Date.parse(maxDeadline) : Infinity;
    // toLocalInput drops the seconds, so the parent's deadline itself rounds down and stays allowed.
    const at = Math.min(Date.now() + hours * 3600_000, max);
    onChange((v) => ({ ...v, deadline: toLocalInput(new Date(at)) }));
  }, [hours, deadlineTouched, onChange, maxDeadline]);

  useEffect(() => {
    let live = true;
    setLocating(true);
    findChildContaining(targets, camera, searchSubtree)
      .then((found) => {
        if (!live) return;
        setTerritory(found);
        if (found !== null) onChange((v) => ({ ...v, toUnitId: v.toUnitId ?? found }));
      })
      .finally(() => live && setLocating(false));
    return () => {
      live = false;
    };
    // Once per camera and target list; the camera object itself may be re-created by the parent.
  }, [targets, camera.id, onChange]);

  if (targets.length === 0) return <p className="muted">{t('dispatch.noUnits')}</p>;
  const territoryUnit = targets.find((u) => u.id === territory);
  const territoryName = territoryUnit && unitLabel(territoryUnit, lang);
  return (
    <div className="dispatch-fields">
      <label className="field">
        <span>{t('dispatch.toUnit')}</span>
        <OrgUnitPicker
          field="to-unit"
          units={targets}
          depth={1}
          value={value.toUnitId === null ? [] : [value.toUnitId]}
          anyLabel={t('dispatch.chooseUnit')}
          onChange={([toUnitId = null]) => onChange((v) => ({ ...v, toUnitId }))}
        />
        <small className="muted">{locating ? t('dispatch.locating') : territoryName ? t('dispatch.territory', { unit: territoryName }) : ''}</small>
      </label>
      <label className="field">
        <span>{t('dispatch.deadline')}</span>
        <input
          type="datetime-local"
          data-field="deadline"
          value={value.deadline}
          max={maxDeadline ? toLocalInput(new Date(maxDeadline)) : undefined}
          onChange={(e) => {
            setDeadlineTouched(true);
            const deadline = e.target.value;
            onChange((v) => ({ ...v, deadline }));
          }}
        />
        <small className="muted">
          {maxDeadline
            ? t('dispatch.deadlineMax', { time: new Date(maxDeadline).toLocaleString(lang, { hour12: false }) })
            : t('dispatch.deadlineHint', { hours })}
        </small>
      </label>
      <label className="field">
        <span>{t('dispatch.note')}</span>
        <textarea data-field="dispatch-note" rows={2} maxLength={MAX_NOTE_LENGTH} value={value.note} onChange={(e) => {
          const note = e.target.value;
          onChange((v) => ({ ...v, note }));
        }} />
      </label>
    </div>
  );
}
