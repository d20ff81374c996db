import { useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../api/http';
import { LangToggle } from '../components/common/lang-toggle';
import { useI18n } from '../hooks/use-i18n';

interface Props {
  onLogin: (username: string, password: string) => Promise<void>;
  /** Shown once on arrival: session expired, or the server could not be reached. */
  notice?: string;
}

export function LoginPage({ onLogin, notice }: Props) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(notice);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!username.trim() || !password) return setError(t('login.required'));
    setBusy(true);
    setError(undefined);
    try {
      await onLogin(username.trim(), password);
    } catch (err) {
      setPassword('');
      if (err instanceof ApiError && err.status === 401) setError(t('login.badCredentials'));
      // 429 naming the username: that name is locked after wrong passwords (429 without a field: this address is throttled).
      else if (err instanceof ApiError && err.status === 429 && err.field === 'username')
        setError(t('login.locked', { minutes: Math.max(1, Math.ceil((err.retryAfter ?? 60) / 60)) }));
      else if (err instanceof ApiError && err.status === 429)
        setError(err.retryAfter ? t('login.throttledWait', { seconds: err.retryAfter }) : t('login.throttled'));
      else setError(describeError(err, t));
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <div className="login-lang">
        <LangToggle />
      </div>
      <form className="login-card" onSubmit={submit} noValidate aria-labelledby="login-title">
        <div className="brand login-brand">
          <span className="brand-mark" aria-hidden />
          <h1 id="login-title">{t('app.name')}</h1>
        </div>
        <p className="muted">{t('app.subtitle')}</p>
        <label>
          <span>{t('login.username')}</span>
          <input name="username" autoComplete="username" autoFocus value={username} onChange={(e) => setUsername(e.target.value)} maxLength={64} />
        </label>
        <label>
          <span>{t('login.password')}</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            maxLength={256}
          />
        </label>
        <div className="login-error" role="alert" aria-live="assertive">
          {error}
        </div>
        <button type="submit" className="btn primary" disabled={busy}>
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
        <p className="login-footer muted">{t('login.footer')}</p>
      </form>
    </div>
  );
}
