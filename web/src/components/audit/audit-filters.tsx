// The audit filter form: time range (China time), actor, action (a group or one action), target, unit, free text.
// Nothing is sent until 查询; the CSV link always carries the filters last applied, the ones the table shows.
import type { FormEvent } from 'react';
import { AUDIT_CSV_MAX_ROWS } from '../../api/audit-api';
import { useI18n } from '../../hooks/use-i18n';
import type { MessageKey } from '../../i18n';
import { ACTION_GROUPS, actionKey, KNOWN_ACTIONS, type AuditForm, type FormProblem } from '../../lib/audit-logic';
import { OrgUnitPicker } from '../common/org-unit-picker';

const TARGET_TYPES = ['camera', 'task', 'danger', 'share-link', 'layout_push', 'discovery_job', 'org_unit', 'user', 'credential_profile', 'audit_log'] as const;

interface Props {
  form: AuditForm;
  units: number[];
  problem: FormProblem | null;
  csvHref: string;
  onChange: (form: AuditForm) => void;
  onUnits: (chain: number[]) => void;
  onApply: () => void;
  onReset: () => void;
}

export function AuditFilters({ form, units, problem, csvHref, onChange, onUnits, onApply, onReset }: Props) {
  const { t } = useI18n();
  const set = (key: keyof AuditForm) => (e: { target: { value: string } }) => onChange({ ...form, [key]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply();
  };

  return (
    <form className="audit-filters" onSubmit={submit} data-testid="audit-filters">
      <label>
        <span className="muted">{t('audit.from')}</span>
        <input type="datetime-local" value={form.from} onChange={set('from')} data-testid="audit-filter-from" />
      </label>
      <label>
        <span className="muted">{t('audit.to')}</span>
        <input type="datetime-local" value={form.to} onChange={set('to')} data-testid="audit-filter-to" />
      </label>
      <label>
        <span className="muted">{t('audit.actor')}</span>
        <input type="text" value={form.actor} placeholder={t('audit.actorPlaceholder')} onChange={set('actor')} data-testid="audit-filter-actor" />
      </label>
      <label>
        <span className="muted">{t('audit.action')}</span>
        <select value={form.action} onChange={set('action')} data-testid="audit-filter-action">
          <option value="">{t('audit.anyAction')}</option>
          <optgroup label={t('audit.groups')}>
            {ACTION_GROUPS.map((g) => (
              <option key={g} value={`${g}.`}>
                {t('audit.groupAll', { group: t(`audit.group.${g}`) })}
              </option>
            ))}
          </optgroup>
          <optgroup label={t('audit.exactActions')}>
            {KNOWN_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {t(actionKey(a)!)}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      <label>
        <span className="muted">{t('audit.targetType')}</span>
        <select value={form.targetType} onChange={set('targetType')} data-testid="audit-filter-target-type">
          <option value="">{t('audit.anyTarget')}</option>
          {TARGET_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`audit.target.${type}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="muted">{t('audit.targetId')}</span>
        <input type="text" className="narrow" value={form.targetId} onChange={set('targetId')} data-testid="audit-filter-target-id" />
      </label>
      <label>
        <span className="muted">{t('audit.orgUnit')}</span>
        <OrgUnitPicker testId="audit-filter-unit" value={units} onChange={onUnits} anyLabel={t('audit.anyUnit')} label={t('audit.orgUnit')} />
      </label>
      <label>
        <span className="muted">{t('audit.q')}</span>
        <input type="search" value={form.q} onChange={set('q')} data-testid="audit-filter-q" />
      </label>
      <span className="audit-buttons">
        <button type="submit" className="btn small primary" disabled={problem !== null} data-testid="audit-apply">
          {t('audit.apply')}
        </button>
        <button type="button" className="btn small ghost" onClick={onReset} data-testid="audit-reset">
          {t('audit.reset')}
        </button>
        <a className="btn small" href={csvHref} download title={t('audit.exportHint', { max: AUDIT_CSV_MAX_ROWS.toLocaleString() })} data-testid="audit-csv">
          {t('audit.export')}
        </a>
      </span>
      {problem && <span className="danger small" role="alert">{t(problem)}</span>}
    </form>
  );
}
