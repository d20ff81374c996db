// The first-time setup form (no users yet): where the token comes from, what the form must hold before it is sent,
// and which field a server refusal is about. The rules are the server's own (server/domain), imported, not restated.
import type { SetupBody } from '../../../server/contracts/setup';
import { countyCodeProblem, MAX_COUNTY_NAME, DISPLAY_NAME_MAX, usernameValid } from '../../../server/domain/setup-rules';
import { passwordProblem } from '../../../server/domain/password-policy';
import type { MessageKey } from '../i18n';

export interface SetupForm {
  token: string;
  countyName: string;
  countyCode: string;
  username: string;
  displayName: string;
  password: string;
  confirm: string;
}

export type SetupField = keyof SetupForm;
export type SetupProblems = Partial<Record<SetupField, MessageKey>>;

export const EMPTY_SETUP_FORM: SetupForm = { token: '', countyName: '', countyCode: '', username: '', displayName: '', password: '', confirm: '' };

/**
 * The token from the URL fragment (/setup#token=…): the server prints that link, and a fragment never leaves the
 * browser, so the token is not in any proxy's access log.
 */
export function tokenFromHash(hash: string): string | undefined {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token')?.trim();
  return token || undefined;
}

/** Every problem the form has now, by field, as dictionary keys; empty when it may be sent. */
export function setupProblems(form: SetupForm): SetupProblems {
  const problems: SetupProblems = {};
  if (!form.token.trim()) problems.token = 'setup.error.token';
  if (!form.countyName.trim()) problems.countyName = 'setup.error.required';
  else if ([...form.countyName.trim()].length > MAX_COUNTY_NAME) problems.countyName = 'setup.error.tooLong';
  const code = countyCodeProblem(form.countyCode.trim());
  if (code) problems.countyCode = code === 'not-six-digits' ? 'setup.error.countyCode' : 'setup.error.notCounty';
  if (!usernameValid(form.username.trim())) problems.username = 'setup.error.username';
  if (!form.displayName.trim()) problems.displayName = 'setup.error.required';
  else if ([...form.displayName.trim()].length > DISPLAY_NAME_MAX) problems.displayName = 'setup.error.tooLong';
  const password = passwordProblem(form.password, form.username.trim());
  if (password) problems.password = `password.problem.${password}`;
  else if (form.confirm !== form.password) problems.confirm = 'setup.error.confirm';
  return problems;
}

export function setupBody(form: SetupForm): SetupBody {
  return {
    token: form.token.trim(),
    county: { name: form.countyName.trim(), code: form.countyCode.trim() },
    admin: { username: form.username.trim(), displayName: form.displayName.trim(), password: form.password },
  };
}

const SERVER_FIELDS: Record<string, SetupField> = {
  token: 'token', 'county.name': 'countyName', 'county.code': 'countyCode', county: 'countyCode',
  'admin.username': 'username', 'admin.displayName': 'displayName', 'admin.password': 'password',
};

/** The form field a 400/409 names (the server's `field`), so its message shows beside the right input. */
export function formFieldOf(serverField: string | undefined): SetupField | undefined {
  return serverField ? SERVER_FIELDS[serverField] : undefined;
}
