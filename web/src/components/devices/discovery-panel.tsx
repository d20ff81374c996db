// 发现: start an ONVIF discovery job (unicast addresses/ranges, or multicast on an interface), watch its progress
// live, then review what answered (name, network, org unit, selection) and add it; failures show their reason.
import { useEffect, useState } from 'react';
import { devicesApi, type CredentialProfile } from '../../api/devices-api';
import { describeError } from '../../api/http';
import { useDevicesDiscovery } from '../../hooks/use-devices-discovery';
import { useI18n } from '../../hooks/use-i18n';
import { parseTargets, progressPercent } from '../../lib/devices-logic';
import { DiscoveryResults } from './discovery-results';

export function DiscoveryPanel() {
  const { t } = useI18n();
  const discovery = useDevicesDiscovery();
  const { job } = discovery;
  const [mode, setMode] = useState<'unicast' | 'multicast'>('unicast');
  const [targetsText, setTargetsText] = useState('');
  const [iface, setIface] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [timeoutMs, setTimeoutMs] = useState(3000);
  const [profiles, setProfiles] = useState<CredentialProfile[]>([]);
  const [profile, setProfile] = useState('');
  const [starting, setStarting] = useState(false);
  const parsed = parseTargets(targetsText);
  const ready = mode === 'unicast' ? parsed.targets.length > 0 && parsed.invalid.length === 0 : /^[A-Za-z0-9_.:-]+$/.test(iface);
  const running = job?.state === 'running';

  useEffect(() => {
    const abort = new AbortController();
    // Listing profiles is for county roles; anyone else just types credentials.
    devicesApi.profiles(abort.signal).then(setProfiles, () => setProfiles([]));
    return () => abort.abort();
  }, []);

  const start = async () => {
    setStarting(true);
    await discovery.start({
      mode,
      ...(mode === 'unicast' ? { targets: parsed.targets } : { interface: iface }),
      ...(profile ? { credentialRef: profile } : username ? { credentials: { username, password } } : {}),
      timeoutMs,
    });
    setStarting(false);
  };

  return (
    <div className="devices-discovery">
      <form
        className="devices-form"
        data-testid="disc-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready && !running) void start();
        }}
      >
        <fieldset className="devices-mode">
          <label>
            <input type="radio" name="disc-mode" value="unicast" checked={mode === 'unicast'} onChange={() => setMode('unicast')} />
            {t('devices.discUnicast')}
          </label>
          <label>
            <input type="radio" name="disc-mode" value="multicast" data-testid="disc-multicast" checked={mode === 'multicast'} onChange={() => setMode('multicast')} />
            {t('devices.discMulticast')}
          </label>
        </fieldset>
        {mode === 'unicast' ? (
          <label className="devices-wide">
            <span>{t('devices.discTargets')}</span>
            <textarea data-testid="disc-targets" rows={3} value={targetsText} placeholder="10.1.2.3&#10;10.1.2.10-10.1.2.50&#10;10.1.3.0/28" onChange={(e) => setTargetsText(e.target.value)} />
            {parsed.invalid.length > 0 && (
              <span className="danger small" data-testid="disc-invalid">
                {t('devices.discInvalid', { items: parsed.invalid.slice(0, 5).join(', ') })}
              </span>
            )}
          </label>
        ) : (
          <label>
            <span>{t('devices.discInterface')}</span>
            <input data-testid="disc-interface" value={iface} placeholder="eth0" maxLength={32} onChange={(e) => setIface(e.target.value)} />
          </label>
        )}
        {profiles.length > 0 && (
          <label>
            <span>{t('devices.discProfile')}</span>
            <select data-testid="disc-profile" value={profile} onChange={(e) => setProfile(e.target.value)}>
              <option value="">{t('devices.discProfileNone')}</option>
              {profiles.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          <span>{t('devices.username')}</span>
          <input data-testid="disc-username" autoComplete="off" disabled={!!profile} value={username} maxLength={128} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>
          <span>{t('devices.password')}</span>
          <input
            data-testid="disc-password"
            type="password"
            autoComplete="new-password"
            disabled={!!profile}
            value={password}
            maxLength={256}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <label>
          <span>{t('devices.discTimeout')}</span>
          <input type="number" min={200} max={30000} step={100} value={timeoutMs} onChange={(e) => setTimeoutMs(Math.min(30000, Math.max(200, Number(e.target.value) || 3000)))} />
        </label>
        <button type="submit" className="btn small primary" data-testid="disc-start" disabled={!ready || running || starting}>
          {t('devices.discStart')}
        </button>
        <p className="muted small devices-hint">{t('devices.discHint')}</p>
      </form>

      {discovery.history.length > 0 && (
        <label className="devices-history">
          <span className="muted">{t('devices.discHistory')}</span>
          <select data-testid="disc-history" value={job?.id ?? ''} onChange={(e) => e.target.value && discovery.open(Number(e.target.value))}>
            <option value="">—</option>
            {discovery.history.map((j) => (
              <option key={j.id} value={j.id}>
                {t('devices.discJobLabel', { id: j.id, time: new Date(j.createdAt).toLocaleString(), found: j.found, state: t(`devices.jobState.${j.state}`) })}
              </option>
            ))}
          </select>
        </label>
      )}

      {discovery.error !== null && <p className="danger pane-message" role="alert" data-testid="disc-error">{describeError(discovery.error, t)}</p>}

      {job && (
        <section className="devices-job" data-testid="disc-job" data-job-id={job.id}>
          <div className="devices-progress" data-testid="disc-progress" data-state={job.state} data-probed={job.probed} data-total={job.total}>
            <progress max={100} value={progressPercent(job)} />
            <span>
              {t(`devices.jobState.${job.state}`)} · {t('devices.discCounts', { probed: job.probed, total: job.total, found: job.found, failed: job.failed })}
            </span>
            {running && (
              <button type="button" className="btn small" data-testid="disc-cancel" onClick={() => void discovery.cancel()}>
                {t('devices.discCancel')}
              </button>
            )}
          </div>
          {job.error && <p className="danger small">{job.error}</p>}
          {/* Keyed by job: a new job starts with nothing selected and no edited names. */}
          <DiscoveryResults key={job.id} results={discovery.results} onAdd={discovery.add} />
        </section>
      )}
    </div>
  );
}
