// Bulk import of accounts (issue #16): a 530-row staff sheet as CSV, a dry run that names each bad row's field and
// writes nothing, the commit that creates the accepted accounts with their initial passwords answered once (and as
// a CSV to hand out), which sign in and must change them; the export, with no secret in it, imports again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, SessionInfo } from '../../server/contracts/api';
import type { UserImportResult, UserPage } from '../../server/contracts/users';
import { parseCsv } from '../../server/csv/parse';
import { roster, rosterCsv } from '../../scripts/bench/users/roster';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';
import { activate, createUser, units } from './helpers';

const SIZE = 530;

let t: TestApp;
let admin: Login;

const importUsers = async (who: Login, payload: object) => {
  const res = await t.app.inject({ method: 'POST', url: '/api/users/import', headers: who.headers, payload });
  return { status: res.statusCode, body: res.json<UserImportResult & ErrorBody>() };
};

beforeAll(async () => {
  t = await buildTestApp();
  admin = await login(t.app, ...DEMO.admin);
});
afterAll(() => t?.close());

describe('importing a staff sheet', () => {
  const rows = roster(SIZE, 'imp');
  // Six rows a sheet gets wrong, mixed in: each must be reported with its row and field.
  const bad = [
    { username: 'imp0003', name: '重复', role: '乡镇值班员', orgPath: '安澜县/城关镇', phone: '' },
    { username: 'x', name: '太短', role: '乡镇值班员', orgPath: '安澜县/城关镇', phone: '' },
    { username: 'bad.role', name: '角色错', role: '局长', orgPath: '安澜县/城关镇', phone: '' },
    { username: 'bad.unit', name: '单位错', role: '乡镇值班员', orgPath: '安澜县/不存在镇', phone: '' },
    { username: 'bad.level', name: '层级错', role: '村级值班员', orgPath: '安澜县/城关镇', phone: '' },
    { username: 'admin', name: '已有', role: '系统管理员', orgPath: '安澜县', phone: 'not a phone' },
  ];
  const sheet = rosterCsv([...rows.slice(0, 100), ...bad, ...rows.slice(100)]);

  it('a dry run reports every bad row with its field and writes nothing', async () => {
    const before = (await t.app.inject({ url: '/api/users?limit=1', headers: { cookie: admin.cookie } })).json<UserPage>().total;
    const { status, body } = await importUsers(admin, { content: sheet, dryRun: true });
    expect(status).toBe(200);
    expect(body).toMatchObject({ dryRun: true, committed: false, passwordsCsv: null, summary: { total: SIZE + 6, accepted: SIZE, created: 0, rejected: 6 } });
    expect(body.columns).toEqual({ 用户名: 'username', 姓名: 'displayName', 角色: 'role', 所属单位: 'orgUnitPath', 手机: 'phone' });
    const errors = body.errors.map((e) => [e.row, e.field]);
    expect(errors).toEqual([
      [101, 'username'], [102, 'username'], [103, 'role'], [104, 'orgUnitPath'], [105, 'role'], [106, 'username'], [106, 'phone'],
    ]);
    expect(body.errors[0]).toMatchObject({ line: 102, message: expect.stringMatching(/repeats row 3/) });
    expect(body.users).toHaveLength(SIZE);
    expect(body.users.every((u) => u.initialPassword === null && u.id === null)).toBe(true);
    expect((await t.app.inject({ url: '/api/users?limit=1', headers: { cookie: admin.cookie } })).json<UserPage>().total).toBe(before);
  });

  it('an atomic commit with a bad row writes nothing', async () => {
    const { body } = await importUsers(admin, { content: sheet, atomic: true });
    expect(body).toMatchObject({ committed: false, summary: { created: 0, rejected: 6 } });
    expect(await t.app.repos.users.credentials('imp0001')).toBeUndefined();
  });

  it(`the commit creates the ${SIZE} good accounts and answers their initial passwords once`, async () => {
    const { status, body } = await importUsers(admin, { content: sheet });
    expect(status).toBe(200);
    expect(body).toMatchObject({ dryRun: false, committed: true, summary: { total: SIZE + 6, created: SIZE, rejected: 6 } });
    expect(body.users).toHaveLength(SIZE);
    const listed = (await t.app.inject({ url: '/api/users?q=imp&limit=500', headers: { cookie: admin.cookie } })).json<UserPage>();
    expect(listed.total).toBe(SIZE);
    expect(listed.items.every((u) => u.mustChangePassword && u.status === 'active')).toBe(true);

    // The passwords file: BOM, the accounts in row order with their passwords.
    expect(body.passwordsCsv!.startsWith('\uFEFF用户名,姓名,角色,所属单位,初始密码\r\n')).toBe(true);
    const table = parseCsv(body.passwordsCsv!);
    expect(table.records).toHaveLength(SIZE);
    expect(table.records[0].values).toEqual([rows[0].username, rows[0].name, rows[0].role, rows[0].orgPath, body.users[0].initialPassword]);
    const passwords = new Set(body.users.map((u) => u.initialPassword));
    expect(passwords.size).toBe(SIZE);

    // Never in clear in the database or the audit log.
    const dump = JSON.stringify(await t.app.db.all('SELECT * FROM users')) + JSON.stringify(await t.app.db.all('SELECT * FROM audit_log'));
    expect([...passwords].filter((p) => dump.includes(p!))).toEqual([]);

    // One of them signs in, must change the password, then sees only its village.
    const sample = body.users[7];
    expect(sample.role).toBe('village_officer');
    const first = await login(t.app, sample.username, sample.initialPassword!);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: first.cookie } })).json<SessionInfo>().mustChangePassword).toBe(true);
    const session = await activate(t, sample.username, sample.initialPassword!);
    const root = (await t.app.inject({ url: '/api/org/units', headers: { cookie: session.cookie } })).json<Array<{ name: string; level: string }>>();
    expect(root).toEqual([expect.objectContaining({ name: sample.orgUnitPath.split('/').at(-1), level: 'village' })]);
  });

  it('a second import of the same sheet creates nothing: every name is taken', async () => {
    const { body } = await importUsers(admin, { content: rosterCsv(rows.slice(0, 20)), dryRun: true });
    expect(body.summary).toMatchObject({ accepted: 0, rejected: 20 });
    expect(body.errors.every((e) => e.field === 'username' && /taken/.test(e.message))).toBe(true);
  });

  it('refuses a file without the columns it needs (400 naming content)', async () => {
    const { status, body } = await importUsers(admin, { content: '用户名,手机\r\nabc,123\r\n', dryRun: true });
    expect(status).toBe(400);
    expect(body).toMatchObject({ field: 'content', message: expect.stringMatching(/displayName/) });
    expect((await importUsers(admin, { content: '"unclosed\r\n', dryRun: true })).status).toBe(400);
  });

  it('a township administrator imports into the township only, and no county operator', async () => {
    const u = await units(t);
    const made = await createUser(t, admin, { username: 'cg-importer', displayName: '城关管理员', role: 'admin', orgUnitId: u.chengguan.id });
    const townAdmin = await activate(t, 'cg-importer', made.initialPassword);
    const csv = rosterCsv([
      { username: 'cg.new1', name: '城关一', role: '乡镇值班员', orgPath: '安澜县/城关镇', phone: '' },
      { username: 'cg.new2', name: '城关二', role: '乡镇值班员', orgPath: '安澜县/东城街道', phone: '' },
      { username: 'cg.new3', name: '城关三', role: '县级调度员', orgPath: '安澜县', phone: '' },
    ]);
    const { body } = await importUsers(townAdmin, { content: csv });
    expect(body.summary).toMatchObject({ created: 1, rejected: 2 });
    expect(body.errors.map((e) => [e.row, e.field])).toEqual([[2, 'orgUnitPath'], [3, 'role'], [3, 'orgUnitPath']]);
    expect(body.users.map((x) => x.username)).toEqual(['cg.new1']);
  });
});

describe('exporting accounts', () => {
  it('writes the area\'s accounts as CSV in the import format, no secret, audited', async () => {
    const res = await t.app.inject({ url: '/api/users/export.csv', headers: { cookie: admin.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="users-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(res.body).not.toMatch(/scrypt|password_hash|初始密码/);
    const table = parseCsv(res.body);
    expect(table.headers.slice(0, 5)).toEqual(['用户名', '姓名', '角色', '所属单位', '手机']);
    const admins = table.records.find((r) => r.values[0] === 'admin')!;
    expect(admins.values.slice(0, 4)).toEqual(['admin', '系统管理员', '系统管理员', '安澜县']);
    expect(table.records.length).toBeGreaterThan(SIZE);

    // Re-imported after the usernames are changed, it is accepted as it is.
    const renamed = res.body.replace(/^(imp)(\d{4}),/gm, 'again$2,').split('\r\n').filter((line, i) => i === 0 || line.startsWith('again')).join('\r\n');
    const { body } = await importUsers(admin, { content: renamed, dryRun: true });
    expect(body.summary).toMatchObject({ total: SIZE, accepted: SIZE, rejected: 0 });

    const unitExport = await t.app.inject({ url: `/api/users/export.csv?orgUnitId=${(await units(t)).dongcheng.id}`, headers: { cookie: admin.cookie } });
    expect(parseCsv(unitExport.body).records.every((r) => r.values[3].startsWith('安澜县/东城街道'))).toBe(true);
    const [row] = await t.app.repos.audit.recent(1, 'user.export');
    expect(row).toMatchObject({ actorName: 'admin', targetType: 'org_unit' });
  });
});
