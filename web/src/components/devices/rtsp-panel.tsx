// RTSP 添加: a camera without ONVIF, by URL. Credentials sit in their own fields (typed into the URL they move
// there); the password is sent, never shown back. Probe first (codecs, resolution, audio, or why not), then add.
import { useState } from 'react';
import { devicesApi, type RtspProbeResult } from '../../api/devices-api';
import { describeError } from '../../api/http';
import { useI18n } from '../../hooks/use-i18n';
import { useScopeRoot } from '../../hooks/use-org-units';
import { codecLabel, isRtspUrl, splitUrlCredentials } from '../../lib/devices-logic';
import { OrgUnitPicker } from '../common/org-unit-picker';
import { NetworkSelect } from './network-select';

export function RtspPanel() {
  const { t } = useI18n();
  const [url, setUrl] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [probe, setProbe] = useState<RtspProbeResult | null>(null);
  const [name, setName] = useState('');
  const [network, setNetwork] = useState('');
  const root = useScopeRoot();
  // Nothing chosen below the root adds the camera to the root itself (本级).
  const [units, setUnits] = useState<number[]>([]);
  const orgUnitId = units.at(-1) ?? root?.id ?? null;
  const [publicArea, setPublicArea] = useState(false);
  const [subUrl, setSubUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<number | null>(null);

  const credentials = username ? { username, password } : undefined;
  const takeUrl = (value: string) => {
    const split = splitUrlCredentials(value);
    setUrl(split.url);
    if (split.username !== undefined) {
      setUsername(split.username);
      setPassword(split.password ?? '');
    }
    setProbe(null);
  };

  const runProbe = async () => {
    setBusy(true);
    setError(null);
    setAdded(null);
    try {
      setProbe(await devicesApi.probe({ url, credentials }));
    } catch (err) {
      setError(describeError(err, t));
    }
    setBusy(false);
  };

  const add = async () => {
    if (orgUnitId === null) return;
    setBusy(true);
    setError(null);
    try {
      // The sub-stream is optional and probed by the server on add, with the main stream's credentials.
      const subStreamUrl = subUrl.trim() || undefined;
      const answer = await devicesApi.addRtsp({ url, subStreamUrl, credentials, name: name.trim(), network, orgUnitId, publicArea });
      setAdded(answer.cameraId);
      // The stored password stays on the server; nothing of it remains in the page.
      setPassword('');
    } catch (err) {
      setError(describeError(err, t));
    }
    setBusy(false);
  };

  const subOk = subUrl.trim() === '' || isRtspUrl(subUrl.trim());
  const canAdd = probe?.ok === true && name.trim().length > 0 && network !== '' && orgUnitId !== null && subOk && !busy;
  return (
    <div className="devices-rtsp">
      <form
        className="devices-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (isRtspUrl(url) && !busy) void runProbe();
        }}
      >
        <label className="devices-wide">
          <span>{t('devices.rtspUrl')}</span>
          <input data-testid="rtsp-url" value={url} placeholder="rtsp://10.1.2.3:554/Streaming/Channels/101" maxLength={500} onChange={(e) => takeUrl(e.target.value)} />
        </label>
        <label>
          <span>{t('devices.username')}</span>
          <input data-testid="rtsp-username" autoComplete="off" value={username} maxLength={128} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>
          <span>{t('devices.password')}</span>
          <input data-testid="rtsp-password" type="password" autoComplete="new-password" value={password} maxLength={256} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <button type="submit" className="btn small" data-testid="rtsp-probe" disabled={!isRtspUrl(url) || busy}>
          {t('devices.rtspProbe')}
        </button>
      </form>

      {probe && (
        <section className={`devices-probe ${probe.ok ? 'probe-ok' : 'probe-bad'}`} data-testid="rtsp-result" data-ok={probe.ok} data-error={probe.error}>
          {probe.ok ? (
            <dl>
              <dt>{t('devices.probeVideo')}</dt>
              <dd data-field="video">
                {probe.video ? `${codecLabel(probe.video.codec)}${probe.video.width && probe.video.height ? ` · ${probe.video.width}×${probe.video.height}` : ''}${probe.video.fps ? ` · ${probe.video.fps} fps` : ''}` : '—'}
              </dd>
              <dt>{t('devices.probeAudio')}</dt>
              <dd data-field="audio">
                {probe.audio ? `${codecLabel(probe.audio.codec)}${probe.audio.sampleRate ? ` · ${probe.audio.sampleRate} Hz` : ''}${probe.audio.channels ? ` · ${probe.audio.channels} ch` : ''}` : t('devices.probeNoAudio')}
              </dd>
              <dt>{t('devices.probeAuth')}</dt>
              <dd>{probe.auth ?? '—'}{probe.server ? ` · ${probe.server}` : ''} · {Math.round(probe.ms)} ms</dd>
            </dl>
          ) : (
            <p className="danger" data-field="error">
              {t(`devices.probeFailure.${probe.error ?? 'bad-response'}`)}
              {probe.message && <span className="muted small"> {probe.message}</span>}
            </p>
          )}
        </section>
      )}

      {probe?.ok && (
        <form
          className="devices-form"
          data-testid="rtsp-add-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (canAdd) void add();
          }}
        >
          <label>
            <span>{t('devices.colName')}</span>
            <input data-testid="rtsp-name" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
          </label>
          <label className="devices-wide" title={t('devices.rtspSubHint')}>
            <span>{t('devices.rtspSubUrl')}</span>
            <input data-testid="rtsp-sub-url" value={subUrl} placeholder="rtsp://10.1.2.3:554/Streaming/Channels/102" maxLength={500} onChange={(e) => setSubUrl(e.target.value)} />
          </label>
          <NetworkSelect testId="rtsp-network" value={network} emptyLabel={t('devices.chooseNetwork')} onChange={setNetwork} />
          <OrgUnitPicker testId="rtsp-unit" value={units} onChange={setUnits} anyLabel={t('devices.unitHere')} />
          <label>
            <input type="checkbox" data-testid="rtsp-public" checked={publicArea} onChange={(e) => setPublicArea(e.target.checked)} />
            {t('devices.colPublic')}
          </label>
          <button type="submit" className="btn small primary" data-testid="rtsp-add" disabled={!canAdd}>
            {t('devices.rtspAdd')}
          </button>
        </form>
      )}
      {error && <p className="danger pane-message" role="alert" data-testid="rtsp-error">{error}</p>}
      {added !== null && <p className="ok" data-testid="rtsp-added" data-camera-id={added}>{t('devices.rtspAdded', { id: added })}</p>}
    </div>
  );
}
