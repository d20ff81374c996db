// The console's admin CLI:  npm run admin -- <command>
//   create-admin --username U --display-name N [--county-name C --county-code 339901]
//       The first administrator (and the county root, on a database that has none), or one more administrator at the
//       county root. The password is read from stdin when piped, else asked for with echo off; never from argv.
//   backup <file>              an online backup (the gateway may keep running) of the database and its keys
//   restore <file> [--force]   into the data directory; refused while a gateway runs on it
//   migrate-to-postgres <url>  copies the SQLite database into an empty PostgreSQL database and verifies the counts
//   help
// The data directory is the gateway's (config/default.json, CONSOLE_CONFIG, CONSOLE_DATA_DIR), or --data-dir DIR.
// Exit status: 0 done, 1 refused or failed, 2 bad usage.
import { parseArgs } from 'node:util';
import { RestoreRefusedError } from '../server/backup/backup';
import { RunLockHeldError } from '../server/backup/run-lock';
import { ConfigError, loadConfig, type Config } from '../server/config';
import { HttpError } from '../server/errors';
import { backupCommand, CliError, createAdminCommand, migrateToPostgresCommand, restoreCommand } from './admin/commands';

const USAGE = `综治视频调度平台 admin CLI / County video dispatch console admin CLI

  npm run admin -- create-admin --username <name> --display-name <name> [--county-name <name> --county-code <code>]
      Create an administrator. On a new database (no county yet) also pass the county: its name (e.g. 安澜县) and
      its 6-digit administrative division code (行政区划代码, e.g. 339901). The password is read from stdin when
      piped, otherwise asked for twice with echo off. It is never taken from the command line.
  npm run admin -- backup <file>
      Back up the database (online: the gateway may keep running) and the keys it needs, into one file. On
      PostgreSQL (\`database\` a postgres:// URL) the file holds a pg_dump (custom format) instead: restore that
      with pg_restore; \`restore\` below is for SQLite backups.
  npm run admin -- restore <file> [--force]
      Restore a backup into the data directory. Refused while a gateway runs on it; --force replaces an existing
      database (the replaced files are moved to <dataDir>/replaced-<time>/).
  npm run admin -- migrate-to-postgres <postgres://user[:password]@host[:port]/database>
      Copy this configuration's SQLite database (\`database\`, or <dataDir>/console.sqlite) into an EMPTY PostgreSQL
      database (migrated first), every table and id, then compare the row counts of both sides and print them.
      Refused while a gateway runs on the data directory, and for a target that holds data. The keys stay files in
      the data directory: copy it to every gateway node. Then set "database" to the URL.
  npm run admin -- help

Options for every command: --data-dir <dir> (default: the gateway's dataDir from its configuration).
`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  // A password on the command line is refused outright rather than ignored: the caller must learn it leaked.
  if (argv.some((a) => a === '--password' || a.startsWith('--password=') || a === '-p')) {
    throw new UsageError('passwords are never taken from the command line (anyone on this machine can read it): pipe it on stdin, or type it at the prompt');
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: {
        username: { type: 'string' }, 'display-name': { type: 'string' }, 'county-name': { type: 'string' }, 'county-code': { type: 'string' },
        force: { type: 'boolean', default: false }, 'data-dir': { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (!command || command === 'help') {
    console.log(USAGE);
    return;
  }
  // Read only when needed: with --data-dir, create-admin and restore work even where the configuration does not load.
  let config: Config | undefined;
  const cfg = () => (config ??= loadConfig());
  const dataDir = values['data-dir'] ?? cfg().dataDir;
  switch (command) {
    case 'create-admin':
      if (rest.length) throw new UsageError(`create-admin takes no positional arguments (got ${rest.join(' ')})`);
      if (!values.username || !values['display-name']) throw new UsageError('create-admin needs --username and --display-name');
      return createAdminCommand(dataDir, {
        username: values.username, displayName: values['display-name'], countyName: values['county-name'], countyCode: values['county-code'],
      });
    case 'backup':
      if (rest.length !== 1) throw new UsageError('backup needs exactly one file name');
      return backupCommand(dataDir, rest[0]!, cfg().database);
    case 'restore':
      if (rest.length !== 1) throw new UsageError('restore needs exactly one file name');
      return restoreCommand(dataDir, rest[0]!, values.force);
    case 'migrate-to-postgres':
      if (rest.length !== 1) throw new UsageError('migrate-to-postgres needs exactly one PostgreSQL URL');
      return migrateToPostgresCommand(dataDir, cfg().database, rest[0]!);
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

try {
  await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof UsageError) {
    console.error(`${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  const known = err instanceof CliError || err instanceof HttpError || err instanceof RunLockHeldError || err instanceof ConfigError || err instanceof RestoreRefusedError;
  console.error(`admin: ${known ? (err as Error).message : (err as Error).stack ?? String(err)}`);
  process.exit(1);
}
