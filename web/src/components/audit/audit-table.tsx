// One page of audit rows: China time, who, what in words (the raw key beneath), target, unit, address, detail.
import type { AuditItem } from '../../api/audit-api';
import { useI18n } from '../../hooks/use-i18n';
import type { MessageKey } from '../../i18n';
import { actionKey, chinaTime, detailSummary } from '../../lib/audit-logic';

const KNOWN_TARGETS = new Set(['camera', 'task', 'danger', 'share-link', 'layout_push', 'discovery_job', 'org_unit', 'user', 'credential_profile', 'audit_log']);

export function AuditTable({ items }: { items: AuditItem[] }) {
  const { t } = useI18n();
  const targetType = (type: string) => (KNOWN_TARGETS.has(type) ? t(`audit.target.${type}` as MessageKey) : type);

  return (
    <table className="audit-table" data-testid="audit-table">
      <thead>
        <tr>
          <th>{t('audit.col.time')}</th>
          <th>{t('audit.col.actor')}</th>
          <th>{t('audit.col.action')}</th>
          <th>{t('audit.col.target')}</th>
          <th>{t('audit.col.orgUnit')}</th>
          <th>{t('audit.col.ip')}</th>
          <th>{t('audit.col.detail')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((row) => {
          const key = actionKey(row.action);
          return (
            <tr key={row.id} data-audit-id={row.id} data-action={row.action}>
              <td className="time">
                <time dateTime={row.at}>{chinaTime(row.at)}</time>
              </td>
              <td>
                <div className="cell-stack">
                  <span>{row.actorName ?? '—'}</span>
                  {row.actorType !== 'user' && <span className={`actor-type ${row.actorType}`}>{t(`audit.actorType.${row.actorType}`)}</span>}
                </div>
              </td>
              <td>
                <div className="cell-stack" data-testid="audit-action">
                  <span>{key ? t(key) : row.action}</span>
                  {key && <code className="muted">{row.action}</code>}
                </div>
              </td>
              <td className="target">{row.targetType ? `${targetType(row.targetType)}${row.targetId ? ` #${row.targetId}` : ''}` : '—'}</td>
              <td>{row.orgUnitName ?? (row.orgUnitId ? `#${row.orgUnitId}` : '—')}</td>
              <td className="ip">{row.ip ?? '—'}</td>
              <td className="detail" title={row.detail ? JSON.stringify(row.detail, null, 2) : undefined}>
                {detailSummary(row.detail)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
