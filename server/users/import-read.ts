// From a user list's CSV text to rows with their cell-level problems: columns found by name (English or Chinese
// headers, as people title them in a sheet), roles by key or by their Chinese name, every value trimmed and checked
// on its own. What needs the database (units, usernames taken, who may grant what) is import.ts's.
import type { Role } from '../contracts/api';
import type { UserField, UserRowError } from '../contracts/users';
import { CsvError, parseCsv } from '../csv/parse';
import { undoFormulaGuard } from '../csv/write';
import { normalizeHeader } from '../discovery/catalogue/fields';
import { DISPLAY_NAME_MAX, PHONE_PATTERN, ROLES, USERNAME_PATTERN } from '../domain/user-roles';
import { BadRequestError } from '../errors';

/** More than a county has staff, by far; a file this long is a mistake. */
export const MAX_IMPORT_ROWS = 20_000;

export const USER_FIELD_ALIASES: Record<UserField, string[]> = {
  username: ['username', 'user', 'login', 'account', '用户名', '账号', '帐号', '登录名'],
  displayName: ['name', 'displayName', 'fullName', '姓名', '名称', '显示名', '显示名称'],
  role: ['role', '角色', '岗位', '用户角色'],
  orgUnitPath: ['orgPath', 'orgUnitPath', 'orgUnit', 'unit', 'org', '所属单位', '组织路径', '单位', '所属组织', '所属区域', '组织'],
  phone: ['phone', 'mobile', 'tel', 'telephone', '手机', '手机号', '手机号码', '电话', '联系电话'],
};

const BY_ALIAS = new Map<string, UserField>();
for (const [field, aliases] of Object.entries(USER_FIELD_ALIASES) as Array<[UserField, string[]]>) {
  for (const alias of aliases) BY_ALIAS.set(normalizeHeader(alias), field);
}

/** Role keys, their Chinese names as the console shows them, and the words people write in sheets. */
const ROLE_WORDS: Record<string, Role> = {
  系统管理员: 'admin', 管理员: 'admin', administrator: 'admin',
  县级调度员: 'county_operator', 县级操作员: 'county_operator', 县中心值班员: 'county_operator', 县级值班员: 'county_operator', countyoperator: 'county_operator',
  乡镇值班员: 'township_officer', 乡镇干部: 'township_officer', 乡镇: 'township_officer', 街道值班员: 'township_officer', townshipofficer: 'township_officer',
  村级值班员: 'village_officer', 村干部: 'village_officer', 网格员: 'village_officer', 村: 'village_officer', 社区网格员: 'village_officer', villageofficer: 'village_officer',
};

export function parseRole(text: string): Role | undefined {
  const key = text.trim();
  if ((ROLES as readonly string[]).includes(key)) return key as Role;
  return ROLE_WORDS[key] ?? ROLE_WORDS[key.toLowerCase().replace(/[\s_-]/g, '')];
}

/** '安澜县 / 城关镇' and '安澜县／城关镇' → ['安澜县', '城关镇']. */
export function pathNames(text: string): string[] {
  return text.split(/[/／]/).map((s) => s.trim()).filter(Boolean);
}

export interface UserSourceRow {
  row: number;
  line: number;
  username: string;
  displayName: string;
  role: Role | undefined;
  orgPath: string[];
  phone: string | null;
  /** Problems found in the row's own cells; empty when the row may go on to the database checks. */
  errors: UserRowError[];
}

export interface UserCsv {
  columns: Record<string, UserField>;
  ignored: string[];
  rows: UserSourceRow[];
}

const USERNAME = new RegExp(USERNAME_PATTERN);
const PHONE = new RegExp(PHONE_PATTERN);

/** Reads the file; a file-level problem (not CSV, a required column missing) is a 400 naming `content` or the column. */
export function readUserCsv(content: string): UserCsv {
  let table: ReturnType<typeof parseCsv>;
  try {
    table = parseCsv(content);
  } catch (err) {
    if (err instanceof CsvError) throw new BadRequestError(`content is not valid CSV: ${err.message}`, 'content');
    throw err;
  }
  if (table.records.length > MAX_IMPORT_ROWS) throw new BadRequestError(`content has more than ${MAX_IMPORT_ROWS} rows; split the file`, 'content');
  const columns: Record<string, UserField> = {};
  const ignored: string[] = [];
  const index = new Map<UserField, number>();
  table.headers.forEach((header, i) => {
    const field = BY_ALIAS.get(normalizeHeader(header));
    if (field && index.has(field)) throw new BadRequestError(`content: two columns are ${field}: "${table.headers[index.get(field)!]}" and "${header}"`, 'content');
    if (field) {
      columns[header] = field;
      index.set(field, i);
    } else ignored.push(header);
  });
  for (const required of ['username', 'displayName', 'role', 'orgUnitPath'] as const) {
    if (!index.has(required)) {
      throw new BadRequestError(`content has no ${required} column (accepted names: ${USER_FIELD_ALIASES[required].join(', ')})`, 'content');
    }
  }
  const rows = table.records.map((record, i): UserSourceRow => {
    const cell = (field: UserField) => {
      const at = index.get(field);
      return at === undefined ? '' : undoFormulaGuard((record.values[at] ?? '').trim());
    };
    const row = i + 1;
    const errors: UserRowError[] = [];
    const problem = (field: UserField, message: string) => errors.push({ row, line: record.line, field, message });
    const username = cell('username');
    if (!username) problem('username', 'is empty');
    else if (!USERNAME.test(username)) problem('username', `"${username}" must be 2–32 letters, digits, _ . @ -, starting with a letter or digit`);
    const displayName = cell('displayName');
    if (!displayName) problem('displayName', 'is empty');
    else if ([...displayName].length > DISPLAY_NAME_MAX) problem('displayName', `is longer than ${DISPLAY_NAME_MAX} characters`);
    const roleText = cell('role');
    const role = parseRole(roleText);
    if (!role) problem('role', roleText ? `"${roleText}" is not a role (${ROLES.join(', ')}, or 系统管理员, 县级调度员, 乡镇值班员, 村级值班员)` : 'is empty');
    const orgPath = pathNames(cell('orgUnitPath'));
    if (orgPath.length === 0) problem('orgUnitPath', 'is empty (unit names from the county down, e.g. 安澜县/城关镇)');
    const phoneText = cell('phone');
    if (phoneText && !PHONE.test(phoneText)) problem('phone', `"${phoneText}" is not a phone number (digits, spaces, + - ( ), 3–20 characters)`);
    return { row, line: record.line, username, displayName, role, orgPath, phone: phoneText || null, errors };
  });
  return { columns, ignored, rows };
}
