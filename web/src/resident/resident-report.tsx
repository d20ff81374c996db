// 随手拍 on the resident page: a "report a problem" form under a camera (category from the link's short list,
// optional words; the server attaches the camera's current frame — the phone sends no picture), and the list of
// this phone's own reports, each only 已受理 received or 已处理 handled.
import { useCallback, useEffect, useState } from 'react';
import { MAX_RESIDENT_NOTE_LENGTH } from '../../../server/domain/share-policy';
import { ApiError } from '../api/http';
import { useI18n } from '../hooks/use-i18n';
import { myReports, sendReport } from './resident-api';
import { categoryName, localMessage, reportProblem, type MyReport, type ReportCategory, type ResidentCamera } from './resident-logic';

interface FormProps {
  camera: ResidentCamera;
  viewerToken: string;
  categories: ReportCategory[];
  onSent: () => void;
  onCancel: () => void;
}

export function ReportForm({ camera, viewerToken, categories, onSent, onCancel }: FormProps) {
  const { t, lang } = useI18n();
  const [category, setCategory] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    const problem = reportProblem({ category, note }, MAX_RESIDENT_NOTE_LENGTH);
    if (problem) return setError(t(problem === 'category' ? 'report.chooseCategory' : 'report.noteTooLong'));
    setBusy(true);
    setError(null);
    try {
      await sendReport(viewerToken, { cameraId: camera.id, category, note: note.trim() || undefined });
      onSent();
    } catch (err) {
      setError(err instanceof ApiError ? (err.status === 0 ? t('error.network') : localMessage(err.message, lang) || t('error.generic', { status: err.status })) : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="resident-report" data-testid="report-form" data-camera-id={camera.id}>
      <label className="field">
        <span>{t('report.category')}</span>
        <select data-field="category" value={category} onChange={(e) => setCategory(e.target.value)}>
          <option value="">{t('report.chooseCategory')}</option>
          {categories.map((c) => (
            <option key={c.key} value={c.key}>{lang === 'en' ? c.nameEn : c.name}</option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('report.note')}</span>
        <textarea data-field="note" rows={2} maxLength={MAX_RESIDENT_NOTE_LENGTH} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <p className="resident-hint">{t('report.frameHint')}</p>
      <div className="resident-report-buttons">
        <button type="button" className="btn primary" data-action="send-report" disabled={busy} onClick={() => void submit()}>
          {busy ? t('report.sending') : t('report.send')}
        </button>
        <button type="button" className="btn ghost" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
      {error && <p className="danger" role="alert" data-testid="report-error">{error}</p>}
    </div>
  );
}

/** This phone's reports; re-read when `version` changes (after sending) and when the page comes back into view. */
export function MyReports({ viewerToken, categories, version }: { viewerToken: string; categories: ReportCategory[]; version: number }) {
  const { t, lang } = useI18n();
  const [items, setItems] = useState<MyReport[] | null>(null);
  const load = useCallback((signal?: AbortSignal) => {
    myReports(viewerToken, signal).then(setItems, () => undefined);
  }, [viewerToken]);
  useEffect(() => {
    const abort = new AbortController();
    load(abort.signal);
    const onVisible = () => document.visibilityState === 'visible' && load();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      abort.abort();
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [load, version]);
  if (!items || items.length === 0) return null;
  const fmt = new Intl.DateTimeFormat(lang, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' });
  return (
    <section className="resident-my-reports" data-testid="my-reports">
      <h2>{t('report.mine')}</h2>
      <ul>
        {items.map((r) => (
          <li key={r.id} data-report-id={r.id} data-status={r.status}>
            <span>{categoryName(categories, r.category, lang)} · {r.cameraName}</span>
            <time>{fmt.format(new Date(r.createdAt))}</time>
            <span className={`report-status rs-${r.status}`}>{t(r.status === 'handled' ? 'report.handled' : 'report.received')}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
