// First-time setup (no users yet): the county root and the first administrator, guarded by the setup token the
// server printed (/setup#token=…, or pasted). On success the new administrator is signed in through the normal login.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../../server/domain/password-policy';
import { ApiError, describeError } from '../api/http';
import { setupApi, type SetupStatus } from '../api/setup-api';
import { LangToggle } from '../components/common/lang-toggle';
import { useI18n } from '../hooks/use-i18n';
import { EMPTY_SETUP_FORM, formFieldOf, setupBody, setupProblems, tokenFromHash, type SetupField, type SetupForm } from '../lib/setup-logic';
import '../styles/setup.css';

interface Props {
  status: SetupStatus;
  onLogin: (username: string, password: string) => Promise<void>;
  /** Setup is over (done here but the sign-in failed, or done elsewhere): show the login page with this notice. */
  onDone: (notice: string) => void;
}

const LIMITS = { min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD_LENGTH };

export function SetupPage({ status, onLogin, onDone }: Props) {
  const { t } = useI18n();
  const [linkToken] = useState(() => tokenFromHash(window.location.hash));
  const [form, setForm] = useState<SetupForm>(() => ({
    ...EMPTY_SETUP_FORM, token: linkToken ?? '', countyName: status.county?.name ?? '', countyCode: status.county?.code ?? '',
  }));
  const [showProblems, setShowProblems] = useState(false);
  const [serverProblem, setServerProblem] = useState<{ field?: SetupField; text: string }>();
  const [tokenRejected, setTokenRejected] = useState(false);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  // The token has been read: take it out of the address bar and the history (and land on / for the console).
  useEffect(() => {
    if (window.location.hash || window.location.pathname === '/setup') window.history.replaceState(null, '', '/');
  }, []);

  const problems = setupProblems(form);
  const problemOf = (field: SetupField): string | undefined => {
    if (field === 'token' && tokenRejected) return t('setup.error.wrongToken');
    if (serverProblem?.field === field) return serverProblem.text;
    const key = showProblems ? problems[field] : undefined;
    return key ? t(key, LIMITS) : undefined;
  };
  const set = (field: SetupField) => (value: string) => {
    setForm((f) => ({ ...f, [field]: value }));
    if (serverProblem?.field === field) setServerProblem(undefined);
    if (field === 'token') setTokenRejected(false);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setServerProblem(undefined);
    if (Object.keys(problems).length) {
      setShowProblems(true);
      const first = Object.keys(problems)[0];
      formRef.current?.querySelector<HTMLInputElement>(`[name="${first}"]`)?.focus();
      return;
    }
    setBusy(true);
    try {
      await setupApi.create(setupBody(form));
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.status === 410) return onDone(t('setup.error.done'));
      if (err instanceof ApiError && err.status === 403) return setTokenRejected(true);
      const field = err instanceof ApiError ? formFieldOf(err.field) : undefined;
      return setServerProblem({ field, text: describeError(err, t) });
    }
    try {
      await onLogin(form.username.trim(), form.password);
    } catch {
      onDone(t('setup.createdSignIn'));
    }
  };

  const field = (name: SetupField, label: string, props: { type?: string; hint?: string; placeholder?: string; disabled?: boolean; autoComplete?: string; inputMode?: 'numeric' } = {}) => {
    const problem = problemOf(name);
    return (
      <label className={problem ? 'invalid' : undefined}>
        <span>{label}</span>
        <input
          name={name} type={props.type ?? 'text'} value={form[name]} onChange={(e) => set(name)(e.target.value)} disabled={props.disabled || busy}
          placeholder={props.placeholder} autoComplete={props.autoComplete ?? 'off'} inputMode={props.inputMode} aria-invalid={!!problem}
          maxLength={name === 'token' ? 200 : 256}
        />
        {problem ? <small className="field-error" data-field-error={name}>{problem}</small> : props.hint ? <small className="muted">{props.hint}</small> : null}
      </label>
    );
  };

  const countyLocked = !!status.county;
  return (
    <div className="login-page setup-page" data-testid="setup-page">
      <div className="login-lang">
        <LangToggle />
      </div>
      <form ref={formRef} className="login-card setup-card" onSubmit={submit} noValidate aria-labelledby="setup-title">
        <div className="brand login-brand">
          <span className="brand-mark" aria-hidden />
          <h1 id="setup-title">{t('app.name')} · {t('setup.title')}</h1>
        </div>
        <p className="muted">{t('setup.intro')}</p>
        {linkToken && !tokenRejected ? <p className="setup-token-note" data-testid="setup-token-from-link">{t('setup.tokenFromLink')}</p> : field('token', t('setup.token'), { hint: t('setup.tokenHint') })}
        <fieldset>
          <legend>{t('setup.county')}</legend>
          {countyLocked && <p className="muted">{t('setup.countyExisting', { name: status.county!.name, code: status.county!.code })}</p>}
          {field('countyName', t('setup.countyName'), { placeholder: t('setup.countyNamePlaceholder'), disabled: countyLocked })}
          {field('countyCode', t('setup.countyCode'), { hint: t('setup.countyCodeHint'), disabled: countyLocked, inputMode: 'numeric', placeholder: '339901' })}
        </fieldset>
        <fieldset>
          <legend>{t('setup.admin')}</legend>
          {field('username', t('setup.username'), { hint: t('setup.usernameHint'), autoComplete: 'username' })}
          {field('displayName', t('setup.displayName'))}
          {field('password', t('setup.password'), { type: 'password', hint: t('setup.passwordHint', LIMITS), autoComplete: 'new-password' })}
          {field('confirm', t('setup.confirm'), { type: 'password', autoComplete: 'new-password' })}
        </fieldset>
        <div className="login-error" role="alert" aria-live="assertive">
          {serverProblem && !serverProblem.field ? serverProblem.text : null}
        </div>
        <button type="submit" className="btn primary" disabled={busy}>
          {busy ? t('setup.submitting') : t('setup.submit')}
        </button>
        <p className="login-footer muted">{t('setup.cli')}</p>
      </form>
    </div>
  );
}
