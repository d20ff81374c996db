// Filters of the dangers tab: category and status (the list is searched server-side, in the user's scope).
import type { DangerStatus } from '../../api/dispatch-api';
import { useDispatch } from '../../hooks/use-dispatch-context';
import { useI18n } from '../../hooks/use-i18n';

export interface DangerFilter {
  category: string;
  status: DangerStatus | '';
}

const STATUSES: DangerStatus[] = ['reported', 'dispatched', 'accepted', 'handling', 'resolved', 'closed', 'returned', 'escalated'];

export function DangerFilters({ value, onChange }: { value: DangerFilter; onChange: (value: DangerFilter) => void }) {
  const { t, lang } = useI18n();
  const { taxonomy } = useDispatch();
  return (
    <div className="danger-filters">
      <select className="small-select" aria-label={t('tag.category')} data-testid="danger-filter-category" value={value.category} onChange={(e) => onChange({ ...value, category: e.target.value })}>
        <option value="">{t('filter.allCategories')}</option>
        {taxonomy?.categories.map((c) => (
          <option key={c.key} value={c.key}>
            {lang === 'en' ? c.nameEn : c.name}
          </option>
        ))}
      </select>
      <select className="small-select" aria-label={t('filter.status')} data-testid="danger-filter-status" value={value.status} onChange={(e) => onChange({ ...value, status: e.target.value as DangerFilter['status'] })}>
        <option value="">{t('filter.allStatuses')}</option>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {s === 'reported' ? t('dangerStatus.reported') : t(`taskStatus.${s}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
