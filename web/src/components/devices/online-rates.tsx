// 在线率: online / (online + offline) per network and per township (children of the user's unit), from the health
// checks. Re-read when the camera list reloads.
import { useEffect, useState } from 'react';
import { devicesApi, type OnlineRate, type OnlineRates as Rates } from '../../api/devices-api';
import { useI18n } from '../../hooks/use-i18n';
import { formatRate } from '../../lib/stats-logic';
import { useNetworkLabel } from './network-select';

export function OnlineRates({ version }: { version: number }) {
  const { t } = useI18n();
  const networkLabel = useNetworkLabel();
  const [rates, setRates] = useState<Rates | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const abort = new AbortController();
    devicesApi.rates(undefined, abort.signal).then(
      (r) => {
        setRates(r);
        setFailed(false);
      },
      () => !abort.signal.aborted && setFailed(true),
    );
    return () => abort.abort();
  }, [version]);

  if (failed) return <p className="muted small">{t('devices.ratesUnavailable')}</p>;
  if (!rates) return null;
  const table = (id: string, title: string, rows: OnlineRate[], label: (r: OnlineRate) => string) =>
    rows.length > 0 && (
      <table className="devices-rates" data-table={id}>
        <caption>{title}</caption>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-key={r.key} title={t('devices.rateDetail', { online: r.online, offline: r.offline, unknown: r.unknown, total: r.total })}>
              <th scope="row">{label(r)}</th>
              <td className="bar-cell rate">
                <span className="bar" style={{ width: `${Math.round(r.rate * 100)}%` }} aria-hidden />
                <span className="bar-value">{r.online + r.offline > 0 ? formatRate(r.rate) : '—'}</span>
              </td>
              <td className="muted">{t('devices.rateCounts', { online: r.online, total: r.total })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  return (
    <div className="devices-rates-box" data-testid="devices-rates">
      {table('rates-network', t('devices.rateByNetwork'), rates.byNetwork, (r) => networkLabel(r.key))}
      {table('rates-unit', t('devices.rateByUnit'), rates.byTownship, (r) => r.name)}
      {!rates.checker.enabled && <p className="muted small">{t('devices.checkerOff')}</p>}
    </div>
  );
}
