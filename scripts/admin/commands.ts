// The admin CLI's commands (scripts/admin.ts parses the command line). Each opens the data directory the gateway's
// configuration names and uses the same server modules the gateway does.
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createBackup, DATABASE_FILE, KEY_FILES, restoreBackup } from '../../server/backup/backup';
import { PgDumpMissingError } from '../../server/backup/pg-dump';
import { acquireRunLock } from '../../server/backup/run-lock';
import { Database, isPostgresUrl } from '../../server/db/database';
import { migrate } from '../../server/db/migrate';
import { AuditRepository } from '../../server/db/repositories/audit';
import { OrgUnitRepository } from '../../server/db/repositories/org-units';
import { UserRepository } from '../../server/db/repositories/users';
import { checkCounty, createAdmin, createFirstAdmin, type SetupDeps } from '../../server/setup/first-admin';
import { removeSetupToken } from '../../server/setup/setup-token';
import { copySqliteToPostgres, CopyRefusedError, redactUrl } from './copy-to-postgres';
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

async function audit(dataDir: string, entry: Parameters<AuditRepository['record']>[0], database = ''): Promise<void> {
  const db = isPostgresUrl(database) ? await Database.connect(database) : await Database.open(join(dataDir, DATABASE_FILE));
  try {
    await new AuditRepository(db).record(entry);
  } finally {
    await db.close();
  }
}

/** On PostgreSQL (`database` a postgres:// URL) the backup holds a pg_dump of it instead of the SQLite file. */
export async function backupCommand(dataDir: string, file: string, database = ''): Promise<void> {
  const result = await createBackup(dataDir, file, { database }).catch((err: Error) => {
    throw err instanceof PgDumpMissingError ? new CliError(err.message) : err;
  });
  await audit(dataDir, {
    actorType: 'system', actorName: 'cli', action: 'backup.create', targetType: 'backup', targetId: result.file,
    detail: { file: result.file, bytes: result.bytes, schema: result.manifest.schema },
  }, database);
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

/**
 * Copies this configuration's SQLite database (`database`, or <dataDir>/console.sqlite) into an empty PostgreSQL
 * database and prints the per-table counts of both sides. The keys stay files in dataDir: the command says so.
 */
export async function migrateToPostgresCommand(dataDir: string, database: string, url: string): Promise<void> {
  if (!isPostgresUrl(url)) throw new CliError(`${url} is not a PostgreSQL URL (postgres://user[:password]@host[:port]/database)`);
  // `database` may already name the PostgreSQL target (the operator switched the config first): the source is then
  // the default file in dataDir.
  const file = database && !isPostgresUrl(database) ? resolve(database) : join(dataDir, DATABASE_FILE);
  if (!existsSync(file)) throw new CliError(`no SQLite database at ${file}: nothing to copy`);
  // A gateway writing meanwhile would lose whatever it wrote after its table was copied.
  const lock = acquireRunLock(dataDir, { kind: 'migrate' });
  try {
    console.log(`Copying ${file} into ${redactUrl(url)} …`);
    const result = await copySqliteToPostgres(file, url).catch((err: Error) => {
      throw err instanceof CopyRefusedError ? new CliError(err.message) : err;
    });
    const width = Math.max(5, ...result.tables.map((t) => t.table.length));
    console.log(`\n${'table'.padEnd(width)}  ${'sqlite'.padStart(9)}  ${'postgres'.padStart(9)}`);
    for (const t of result.tables) {
      console.log(`${t.table.padEnd(width)}  ${String(t.sqlite).padStart(9)}  ${String(t.postgres).padStart(9)}${t.sqlite === t.postgres ? '' : '  MISMATCH'}`);
    }
    const rows = result.tables.reduce((sum, t) => sum + t.postgres, 0);
    if (result.mismatched.length) throw new CliError(`row counts differ for ${result.mismatched.join(', ')}: do not switch to PostgreSQL; drop the target and try again`);
    console.log(`\n${result.tables.length} tables, ${rows} rows copied and counted on both sides in ${(result.ms / 1000).toFixed(1)} s.`);
    console.log(`Next: set "database" to this URL (or CONSOLE_DATABASE) on every gateway node.`);
    console.log(`The keys are not in the database: ${KEY_FILES.join(', ')} stay files in ${dataDir} (vault.key decrypts the camera passwords).`);
    console.log('Copy that directory to every node (same keys everywhere), or camera passwords and sessions will not work there.');
    console.log(`The SQLite file was left as it was; keep it until the cluster runs well. 已迁移到 PostgreSQL：请把 ${dataDir} 复制到每个节点。`);
  } finally {
    lock.release();
  }
}
