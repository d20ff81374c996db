// The admin CLI's commands (scripts/admin.ts parses the command line). Each opens the data directory the gateway's
// configuration names and uses the same server modules the gateway does.
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createBackup, DATABASE_FILE, restoreBackup } from '../../server/backup/backup';
import { Database } from '../../server/db/database';
import { migrate } from '../../server/db/migrate';
import { AuditRepository } from '../../server/db/repositories/audit';
import { OrgUnitRepository } from '../../server/db/repositories/org-units';
import { UserRepository } from '../../server/db/repositories/users';
import { checkCounty, createAdmin, createFirstAdmin, type SetupDeps } from '../../server/setup/first-admin';
import { removeSetupToken } from '../../server/setup/setup-token';
import { readPassword } from './password-input';

/** A refusal to print without a stack (exit 1). */
export class CliError extends Error {}

async function openDatabase(dataDir: string): Promise<Database> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, DATABASE_FILE);
  const db = await Database.open(file);
  chmodSync(file, 0o600);
  await migrate(db);
  return db;
}

export interface CreateAdminArgs {
  username: string;
  displayName: string;
  countyName?: string;
  countyCode?: string;
}

export async function createAdminCommand(dataDir: string, args: CreateAdminArgs): Promise<void> {
  // What can be checked without the password is checked before asking for it.
  const county = args.countyName !== undefined || args.countyCode !== undefined
    ? checkCounty({ name: args.countyName ?? '', code: args.countyCode ?? '' })
    : undefined;
  const db = await openDatabase(dataDir);
  const deps: SetupDeps = { db, repos: { users: new UserRepository(db), orgUnits: new OrgUnitRepository(db), audit: new AuditRepository(db) } };
  try {
    const first = !(await deps.repos.users.any());
    const root = await deps.repos.orgUnits.root();
    if (!root && !county) throw new CliError('the database has no county yet: pass --county-name <name> and --county-code <6-digit code>');
    if (root && county && root.code !== county.code) throw new CliError(`this database's county is ${root.name} (${root.code}), not ${county.code}`);
    const password = await readPassword();
    const admin = { username: args.username, displayName: args.displayName, password };
    const created = first ? await createFirstAdmin(deps, { county, admin }, { via: 'cli' }) : await createAdmin(deps, admin);
    // The web setup is over once an administrator exists (a running gateway also answers 410 from now on).
    if (first) removeSetupToken(dataDir);
    console.log(`Administrator ${created.username} created at ${created.county.name} (${created.county.code})${created.rootCreated ? ', a new county root' : ''}.`);
    console.log(`管理员 ${created.username} 已创建，所属 ${created.county.name}。Sign in at the console with this name and password.`);
  } finally {
    await db.close();
  }
}

async function audit(dataDir: string, entry: Parameters<AuditRepository['record']>[0]): Promise<void> {
  const db = await Database.open(join(dataDir, DATABASE_FILE));
  try {
    await new AuditRepository(db).record(entry);
  } finally {
    await db.close();
  }
}

export async function backupCommand(dataDir: string, file: string): Promise<void> {
  const result = await createBackup(dataDir, file);
  await audit(dataDir, {
    actorType: 'system', actorName: 'cli', action: 'backup.create', targetType: 'backup', targetId: result.file,
    detail: { file: result.file, bytes: result.bytes, schema: result.manifest.schema },
  });
  console.log(`Backup written: ${result.file} (${result.bytes} bytes; ${Object.keys(result.manifest.files).join(', ')}; schema ${result.manifest.schema}).`);
  console.log('It holds the keys that decrypt camera passwords: keep it as safe as the data directory.');
}

export async function restoreCommand(dataDir: string, file: string, force: boolean): Promise<void> {
  const result = await restoreBackup(file, dataDir, {
    force,
    afterRestore: async (_db, manifest) => {
      await audit(dataDir, {
        actorType: 'system', actorName: 'cli', action: 'backup.restore', targetType: 'backup', targetId: file,
        detail: { file, backupCreatedAt: manifest.createdAt, schema: manifest.schema },
      });
    },
  });
  console.log(`Restored ${file} (made ${result.manifest.createdAt}, schema ${result.manifest.schema}) into ${dataDir}.`);
  if (result.replacedDir) console.log(`The files it replaced are in ${result.replacedDir}.`);
  console.log('Start the gateway: migrations newer than the backup run at start.');
}
