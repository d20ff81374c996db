// 修改密码: current password, new password twice, the shared policy shown and checked before submit (the server
// checks the same rule, server/domain/password-policy.ts, and names the field when it refuses).
import { useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../../api/http';
import { accountApi } from '../../api/users-api';
import { useI18n } from '../../hooks/use-i18n';
import { MAX_PASSWORD_LENGTH } from '../../../../server/domain/password-policy';
import { checkNewPassword, MIN_PASSWORD_LENGTH } from '../../lib/users-logic';
import { FieldError } from '../share/field-error';

interface Props {
  username: string;
  /** Called after the server took the new password. */
  onChanged: () => void;
  testId?: string;
}

type Field = 'currentPassword' | 'newPassword' | 'confirm';

export function ChangePasswordForm({ username, onChanged, testId }: Props) {
  const { t } = useI18n();
  const [values, setValues] = useState<Record<Field, string>>({ currentPassword: '', newPassword: '', confirm: '' });
  const [error, setError] = useState<{ field: Field | null; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (field: Field) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!values.currentPassword) return setError({ field: 'currentPassword', message: t('login.required') });
    const problem = checkNewPassword(values.newPassword, values.confirm, username, values.currentPassword);
    if (problem) {
      return setError({
        field: problem === 'mismatch' ? 'confirm' : 'newPassword',
        message: problem === 'mismatch' || problem === 'same'
          ? t(`account.problem.${problem}`)
          : t(`password.problem.${problem}`, { min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD_LENGTH }),
      });
    }
    setBusy(true);
    setError(null);
    try {
      await accountApi.changePassword({ currentPassword: values.currentPassword, newPassword: values.newPassword });
      setValues({ currentPassword: '', newPassword: '', confirm: '' });
      onChanged();
    } catch (err) {
      const field = err instanceof ApiError && (err.field === 'currentPassword' || err.field === 'newPassword') ? err.field : null;
      setError({ field, message: describeError(err, t) });
    } finally {
      setBusy(false);
    }
  };

  const input = (field: Field, label: string, autoComplete: string) => (
    <label className="account-field">
      <span>{label}</span>
      <input
        type="password"
        name={field}
        data-field={field}
        autoComplete={autoComplete}
        maxLength={field === 'currentPassword' ? 256 : 128}
        value={values[field]}
        aria-invalid={error?.field === field}
        onChange={set(field)}
      />
      <FieldError field={field} message={error?.field === field ? error.message : undefined} />
    </label>
  );

  return (
    <form className="account-password" onSubmit={submit} noValidate data-testid={testId}>
      <p className="muted small" data-testid="password-policy">{t('account.policy', { min: MIN_PASSWORD_LENGTH })}</p>
      {input('currentPassword', t('account.currentPassword'), 'current-password')}
      {input('newPassword', t('account.newPassword'), 'new-password')}
      {input('confirm', t('account.confirmPassword'), 'new-password')}
      {error && error.field === null && <p className="danger small" role="alert">{error.message}</p>}
      <button type="submit" className="btn primary" disabled={busy} data-testid="password-submit">
        {busy ? t('common.saving') : t('account.submit')}
      </button>
    </form>
  );
}
