// The per-row error table of a file import (cameras in 设备管理, accounts in 用户管理): row, line, field, message, and
// a note when the server cut the list short. data-table names the table for tests; data-row/data-field each row.
import { useI18n } from '../../hooks/use-i18n';

export interface ImportRowError {
  row: number;
  line?: number | null;
  field: string;
  message: string;
}

interface Props {
  errors: readonly ImportRowError[];
  truncated: boolean;
  table: string;
  /** How a field is named to the reader (a translated label); the raw name by default. */
  fieldName?: (field: string) => string;
}

export function ImportErrorTable({ errors, truncated, table, fieldName = (f) => f }: Props) {
  const { t } = useI18n();
  if (errors.length === 0) return null;
  return (
    <div className="devices-table-box">
      <table className="devices-table" data-table={table}>
        <thead>
          <tr>
            <th>{t('devices.errRow')}</th>
            <th>{t('devices.errLine')}</th>
            <th>{t('devices.errField')}</th>
            <th>{t('devices.errMessage')}</th>
          </tr>
        </thead>
        <tbody>
          {errors.map((e, i) => (
            <tr key={i} data-row={e.row} data-field={e.field}>
              <td>{e.row}</td>
              <td>{e.line ?? '—'}</td>
              <td>{fieldName(e.field)}</td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {truncated && <p className="muted small">{t('devices.importTruncated')}</p>}
    </div>
  );
}
