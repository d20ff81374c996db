// A patrol plan: name, the unit that runs it (mine or one directly under it), cameras (the wall's, or a unit's by
// network, up to 500), shifts, weekdays, dwell and the window before a run is overdue. The server checks the rest
// and answers naming the field.
import { useState } from 'react';
import { api, describeError, type Network } from '../../api/http';
import { patrolApi, type PatrolPlan, type PatrolPlanBody } from '../../api/patrol-api';
import { useDispatch } from '../../hooks/use-dispatch-context';
import { useI18n } from '../../hooks/use-i18n';
import { unitLabel } from '../../lib/org-logic';
import { hasWeekday, parseShifts, toggleWeekday, WEEKDAY_BITS } from '../../lib/patrol-logic';

interface Props {
  plan: PatrolPlan | null;
  wallCameraIds: number[];
  networks: Network[];
  onSaved: (plan: PatrolPlan) => void;
  onCancel: () => void;
}

const MAX_CAMERAS = 500;

export function PlanForm({ plan, wallCameraIds, networks, onSaved, onCancel }: Props) {
  const { t, lang } = useI18n();
  const { unit, targets } = useDispatch();
  const [name, setName] = useState(plan?.name ?? '');
  const [unitId, setUnitId] = useState<number | null>(plan?.orgUnitId ?? unit?.id ?? null);
  const [cameraIds, setCameraIds] = useState<number[]>(plan?.cameraIds ?? []);
  const [network, setNetwork] = useState('');
  const [shiftText, setShiftText] = useState(plan?.shifts.join(', ') ?? '09:00, 15:00, 21:00');
  const [weekdays, setWeekdays] = useState(plan?.weekdays ?? 127);
  const [dwellSec, setDwellSec] = useState(plan?.dwellSec ?? 20);
  const [windowMin, setWindowMin] = useState(plan?.windowMin ?? 120);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const units = unit ? [unit, ...targets] : targets;

  const fromUnit = async () => {
    if (unitId === null) return;
    setBusy(true);
    try {
      const page = await api.cameras({ orgUnitId: unitId, network: network || undefined, limit: MAX_CAMERAS });
      setCameraIds(page.items.map((c) => c.id));
      setError(page.total > MAX_CAMERAS ? t('patrol.plan.capped', { max: MAX_CAMERAS, total: page.total }) : null);
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setBusy(false);
    }
  };

  const save = async () => {
    const { shifts, invalid } = parseShifts(shiftText);
    if (invalid.length > 0 || shifts.length === 0) return setError(t('patrol.plan.badShifts', { shifts: invalid.join(' ') || '—' }));
    if (unitId === null) return setError(t('patrol.plan.chooseUnit'));
    if (cameraIds.length === 0) return setError(t('patrol.plan.noCameras'));
    const body: PatrolPlanBody = { name, orgUnitId: unitId, cameraIds, shifts, weekdays, dwellSec, windowMin, active: true };
    setBusy(true);
    setError(null);
    try {
      onSaved(plan ? await patrolApi.updatePlan(plan.id, body) : await patrolApi.createPlan(body));
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="patrol-plan-form" data-testid="patrol-plan-form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <h3>{plan ? t('patrol.plan.edit') : t('patrol.plan.new')}</h3>
      <label>
        <span>{t('patrol.plan.name')}</span>
        <input name="name" required maxLength={60} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        <span>{t('patrol.plan.unit')}</span>
        <select name="orgUnitId" value={unitId ?? ''} onChange={(e) => setUnitId(e.target.value ? Number(e.target.value) : null)}>
          {units.map((u) => <option key={u.id} value={u.id}>{unitLabel(u, lang)}</option>)}
        </select>
      </label>
      <fieldset className="patrol-cameras">
        <legend>{t('patrol.plan.cameras', { count: cameraIds.length })}</legend>
        <button type="button" className="btn small" data-action="from-wall" disabled={wallCameraIds.length === 0} onClick={() => setCameraIds([...new Set(wallCameraIds)])}>
          {t('patrol.plan.fromWall', { count: wallCameraIds.length })}
        </button>
        <select name="network" value={network} onChange={(e) => setNetwork(e.target.value)} aria-label={t('patrol.plan.network')}>
          <option value="">{t('patrol.plan.anyNetwork')}</option>
          {networks.map((n) => <option key={n.key} value={n.key}>{lang === 'en' ? n.nameEn : n.name}</option>)}
        </select>
        <button type="button" className="btn small" data-action="from-unit" disabled={busy || unitId === null} onClick={() => void fromUnit()}>
          {t('patrol.plan.fromUnit')}
        </button>
      </fieldset>
      <label>
        <span>{t('patrol.plan.shifts')}</span>
        <input name="shifts" value={shiftText} onChange={(e) => setShiftText(e.target.value)} placeholder="09:00, 15:00, 21:00" />
      </label>
      <fieldset className="patrol-weekdays">
        <legend>{t('patrol.plan.weekdays')}</legend>
        {WEEKDAY_BITS.map((_, i) => (
          <label key={i} className="check">
            <input type="checkbox" checked={hasWeekday(weekdays, i)} onChange={() => setWeekdays((m) => toggleWeekday(m, i) || m)} />
            {t(`patrol.weekday.${i}` as 'patrol.weekday.0')}
          </label>
        ))}
      </fieldset>
      <label>
        <span>{t('patrol.plan.dwell')}</span>
        <input name="dwellSec" type="number" min={5} max={600} value={dwellSec} onChange={(e) => setDwellSec(Number(e.target.value))} />
      </label>
      <label>
        <span>{t('patrol.plan.window')}</span>
        <input name="windowMin" type="number" min={10} max={1440} value={windowMin} onChange={(e) => setWindowMin(Number(e.target.value))} />
      </label>
      {error && <p className="modal-error danger" role="alert">{error}</p>}
      <div className="form-actions">
        <button type="button" className="btn" onClick={onCancel}>{t('common.cancel')}</button>
        <button type="submit" className="btn primary" disabled={busy}>{t('patrol.plan.save')}</button>
      </div>
    </form>
  );
}
