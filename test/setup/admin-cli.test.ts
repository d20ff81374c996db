// The admin CLI as an operator runs it (a child process): create-admin on an empty data directory with the password
// piped on stdin — never on the command line — creates the county root and the first administrator, who can then
// sign in to the gateway; later admins go to the root; weak passwords and --password are refused.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSetupToken, SETUP_TOKEN_FILE } from '../../server/setup/setup-token';
import { login } from '../helpers/app';
import { ADMIN_PASSWORD, appOn, COUNTY, loginStatus, runAdmin } from './helpers';

const hasScript = existsSync('/usr/bin/script');

/**
 * The CLI on a terminal: util-linux `script` gives it a pseudo-terminal, and each answer is typed only once its prompt
 * is on the screen (so the prompt's raw mode is on). Returns everything the terminal showed.
 */
function onTerminal(dataDir: string, args: string[], answers: string[]): Promise<{ code: number | null; screen: string }> {
  const command = ['node', '--import', 'tsx', 'scripts/admin.ts', ...args].map((a) => `'${a}'`).join(' ');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('CONSOLE_')) env[k] = v;
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: join(import.meta.dirname, '../..'), env: { ...env, CONSOLE_DATA_DIR: dataDir } });
  let screen = '';
  let prompts = 0;
  child.stdout.on('data', (d: Buffer) => {
    screen += d.toString();
    const seen = (screen.match(/Password: |Again: /g) ?? []).length;
    while (prompts < seen && prompts < answers.length) child.stdin.write(`${answers[prompts++]}\r`);
  });
  return new Promise((res) => child.once('close', (code) => res({ code, screen })));
}

const FIRST = ['create-admin', '--username', 'li.na', '--display-name', '李娜', '--county-name', COUNTY.name, '--county-code', COUNTY.code];

describe('npm run admin -- create-admin', { timeout: 120_000 }, () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'cvc-cli-')), 'data');
  });
  afterAll(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));

  it('refuses a password on the command line, and a weak one on stdin, creating nothing', async () => {
    const argv = await runAdmin(dataDir, [...FIRST, '--password', ADMIN_PASSWORD]);
    expect(argv.code).toBe(2);
    expect(argv.stderr).toContain('never taken from the command line');
    const weak = await runAdmin(dataDir, FIRST, 'admin12345\n');
    expect(weak.code, weak.stderr).toBe(1);
    expect(weak.stderr).toContain('admin.password');
    const noCounty = await runAdmin(dataDir, ['create-admin', '--username', 'li.na', '--display-name', '李娜'], `${ADMIN_PASSWORD}\n`);
    expect(noCounty.code).toBe(1);
    expect(noCounty.stderr).toContain('--county-code');
    const badCode = await runAdmin(dataDir, [...FIRST.slice(0, -1), '33990'], `${ADMIN_PASSWORD}\n`);
    expect(badCode.code).toBe(1);
    expect(badCode.stderr).toContain('county.code');
    const app = await appOn(dataDir);
    try {
      expect((await app.inject({ url: '/api/setup' })).json()).toMatchObject({ needed: true });
    } finally {
      await app.close();
    }
  });

  it('creates the county and the first administrator from a password piped on stdin', async () => {
    ensureSetupToken(dataDir); // as a gateway that started without users left it
    const run = await runAdmin(dataDir, FIRST, `${ADMIN_PASSWORD}\n`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Administrator li.na created at 安澜县 (339901), a new county root');
    expect(run.argv.join(' ')).not.toContain(ADMIN_PASSWORD);
    expect(run.stdout + run.stderr).not.toContain(ADMIN_PASSWORD);
    // The web setup is over: the token file is gone.
    expect(existsSync(join(dataDir, SETUP_TOKEN_FILE))).toBe(false);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'console.sqlite')).mode & 0o777).toBe(0o600);

    const app = await appOn(dataDir);
    try {
      expect((await app.inject({ url: '/api/setup' })).json()).toEqual({ needed: false, county: null });
      const session = await login(app, 'li.na', ADMIN_PASSWORD);
      const me = (await app.inject({ url: '/api/auth/me', headers: { cookie: session.cookie } })).json();
      expect(me.user).toMatchObject({ role: 'admin', displayName: '李娜', orgUnitName: COUNTY.name });
      const [row] = await app.repos.audit.recent(5, 'setup.first-admin');
      expect(row).toMatchObject({ actorType: 'system', actorId: null, actorName: 'cli', targetType: 'user', targetId: String(me.user.id), orgUnitId: me.user.orgUnitId });
      expect(JSON.parse(row!.detail!)).toEqual({ via: 'cli', username: 'li.na', county: COUNTY, rootCreated: true });
    } finally {
      await app.close();
    }
  });

  it('adds one more administrator at the root once the console has users (a locked-out county), refusing a taken name', async () => {
    const second = await runAdmin(dataDir, ['create-admin', '--username', 'wang.qiang', '--display-name', '王强'], 'Another-Strong-Pass-9\n');
    expect(second.code, second.stderr).toBe(0);
    const taken = await runAdmin(dataDir, ['create-admin', '--username', 'LI.NA', '--display-name', '李娜'], 'Another-Strong-Pass-9\n');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('exists already');
    const otherCounty = await runAdmin(dataDir, ['create-admin', '--username', 'zhao', '--display-name', '赵', '--county-name', '别县', '--county-code', '110101'], 'Another-Strong-Pass-9\n');
    expect(otherCounty.code).toBe(1);
    expect(otherCounty.stderr).toContain('339901');
    const app = await appOn(dataDir);
    try {
      expect(await loginStatus(app, 'wang.qiang', 'Another-Strong-Pass-9')).toBe(200);
      expect(await app.repos.orgUnits.count()).toBe(1);
      const [row] = await app.repos.audit.recent(5, 'setup.create-admin');
      expect(row).toMatchObject({ actorType: 'system', actorName: 'cli', targetType: 'user' });
      expect(JSON.stringify(await app.repos.audit.recent(100))).not.toContain('Another-Strong-Pass-9');
    } finally {
      await app.close();
    }
  });

  it.skipIf(!hasScript)('asks twice with echo off on a terminal, and refuses two different answers', async () => {
    const differ = await onTerminal(dataDir, ['create-admin', '--username', 'tty.one', '--display-name', '终端'], ['Terminal-Pass-Word-3', 'Terminal-Pass-Word-4']);
    expect(differ.code).toBe(1);
    expect(differ.screen).toContain('the two passwords differ');
    const typed = await onTerminal(dataDir, ['create-admin', '--username', 'tty.one', '--display-name', '终端'], ['Terminal-Pass-Word-3', 'Terminal-Pass-Word-3']);
    expect(typed.code, typed.screen).toBe(0);
    expect(typed.screen).toContain('密码 / Password: ');
    expect(typed.screen).toContain('Administrator tty.one created');
    expect(typed.screen).not.toContain('Terminal-Pass-Word');
    const app = await appOn(dataDir);
    try {
      expect(await loginStatus(app, 'tty.one', 'Terminal-Pass-Word-3')).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('prints its usage for help, and exits 2 for an unknown command or option', async () => {
    const help = await runAdmin(dataDir, ['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('create-admin');
    expect((await runAdmin(dataDir, ['frobnicate'])).code).toBe(2);
    expect((await runAdmin(dataDir, ['backup', '--verbose', 'x'])).code).toBe(2);
  });
});
