// Shapes of user management (/api/users, administrators) and of the user's own account (/api/account): one TypeBox
// schema per shape, for validation, types and OpenAPI. The web imports these with `import type` only.
import { Type, type Static } from 'typebox';
import { DISPLAY_NAME_MAX, PHONE_PATTERN, USERNAME_PATTERN } from '../domain/user-roles';
import { MAX_PASSWORD_LENGTH } from '../domain/password-policy';
import { Id, Role } from './api';

export const UserStatus = Type.Union(
  [Type.Literal('active'), Type.Literal('disabled'), Type.Literal('locked'), Type.Literal('deleted')],
  { $id: 'UserStatus', description: 'active: may sign in; locked: too many wrong passwords (until lockedUntil); deleted: kept for history only' },
);
export type UserStatus = Static<typeof UserStatus>;

const Time = Type.String({ format: 'date-time' });
const NullableTime = Type.Union([Time, Type.Null()]);

export const ManagedUser = Type.Object(
  {
    id: Id,
    username: Type.String(),
    displayName: Type.String(),
    role: Role,
    orgUnitId: Id,
    orgUnitName: Type.String(),
    orgUnitPath: Type.String({ description: 'Unit names from the county down, "/"-separated, as in the import file' }),
    phone: Type.Union([Type.String(), Type.Null()]),
    status: UserStatus,
    disabled: Type.Boolean(),
    mustChangePassword: Type.Boolean({ description: 'Created or reset by an administrator and not yet changed by the user' }),
    failedLogins: Type.Integer({ minimum: 0, description: 'Wrong passwords in a row since the last sign-in' }),
    lockedUntil: NullableTime,
    createdAt: Time,
    passwordChangedAt: NullableTime,
    lastLoginAt: NullableTime,
    deletedAt: NullableTime,
  },
  { $id: 'ManagedUser' },
);
export type ManagedUser = Static<typeof ManagedUser>;

export const UserQuery = Type.Object(
  {
    orgUnitId: Type.Optional(Type.Integer({ minimum: 1, description: 'Only accounts in this unit and below' })),
    role: Type.Optional(Role),
    status: Type.Optional(UserStatus),
    q: Type.Optional(Type.String({ maxLength: 64, description: 'Search username, name and phone' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type UserQuery = Static<typeof UserQuery>;

export const UserPage = Type.Object({ items: Type.Array(ManagedUser), total: Type.Integer() }, { $id: 'UserPage' });
export type UserPage = Static<typeof UserPage>;

const Username = Type.String({ pattern: USERNAME_PATTERN, description: '2–32 letters, digits, _ . @ -; unique, without regard to case' });
const DisplayName = Type.String({ minLength: 1, maxLength: DISPLAY_NAME_MAX });
const Phone = Type.String({ pattern: PHONE_PATTERN, description: 'Digits, spaces, + - ( ); 3–20 characters' });

export const CreateUserBody = Type.Object(
  {
    username: Username,
    displayName: DisplayName,
    role: Role,
    orgUnitId: Id,
    phone: Type.Optional(Type.Union([Phone, Type.Null()])),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object(
  {
    displayName: Type.Optional(DisplayName),
    role: Type.Optional(Role),
    orgUnitId: Type.Optional(Id),
    phone: Type.Optional(Type.Union([Phone, Type.Null()], { description: 'null clears it' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUserBody = Static<typeof UpdateUserBody>;

/** The account with the password the server generated for it: shown to the administrator once, stored only hashed. */
export const UserWithPassword = Type.Object(
  {
    user: ManagedUser,
    initialPassword: Type.String({ description: 'Shown once; the user must replace it at first sign-in' }),
  },
  { $id: 'UserWithPassword' },
);
export type UserWithPassword = Static<typeof UserWithPassword>;

// ── Bulk import / export ───────────────────────────────────────────────────────────────────────────────────

export const UserField = Type.Union(
  [Type.Literal('username'), Type.Literal('displayName'), Type.Literal('role'), Type.Literal('orgUnitPath'), Type.Literal('phone')],
  { $id: 'UserField' },
);
export type UserField = Static<typeof UserField>;

export const UserImportBody = Type.Object(
  {
    content: Type.String({ minLength: 1, maxLength: 5_000_000, description: 'CSV text (UTF-8; Excel\'s "CSV UTF-8" or any CSV export of a sheet)' }),
    dryRun: Type.Optional(Type.Boolean({ default: false, description: 'Check every row, write nothing' })),
    atomic: Type.Optional(Type.Boolean({ default: false, description: 'Write nothing when any row is rejected' })),
  },
  { additionalProperties: false },
);
export type UserImportBody = Static<typeof UserImportBody>;

export const UserRowError = Type.Object(
  {
    row: Type.Integer({ minimum: 1, description: 'Data row, 1-based, header not counted' }),
    line: Type.Integer({ minimum: 1, description: 'CSV line where the record starts (header is line 1)' }),
    field: Type.String(),
    message: Type.String(),
  },
  { $id: 'UserRowError' },
);
export type UserRowError = Static<typeof UserRowError>;

export const ImportedUser = Type.Object(
  {
    row: Type.Integer({ minimum: 1 }),
    id: Type.Union([Id, Type.Null()], { description: 'null in a dry run' }),
    username: Type.String(),
    displayName: Type.String(),
    role: Role,
    orgUnitPath: Type.String(),
    initialPassword: Type.Union([Type.String(), Type.Null()], { description: 'Only in the answer to a commit, once; null in a dry run' }),
  },
  { $id: 'ImportedUser' },
);
export type ImportedUser = Static<typeof ImportedUser>;

export const UserImportResult = Type.Object(
  {
    dryRun: Type.Boolean(),
    committed: Type.Boolean({ description: 'False when nothing was written: a dry run, or an atomic import with rejected rows' }),
    summary: Type.Object({ total: Type.Integer(), accepted: Type.Integer(), created: Type.Integer(), rejected: Type.Integer() }),
    errors: Type.Array(UserRowError, { description: 'At most 1000, in row order' }),
    errorsTruncated: Type.Boolean(),
    columns: Type.Record(Type.String(), UserField),
    ignoredColumns: Type.Array(Type.String()),
    users: Type.Array(ImportedUser, { description: 'The accepted rows (a dry run) or the accounts created (a commit)' }),
    passwordsCsv: Type.Union([Type.String(), Type.Null()], {
      description: 'After a commit: username, name, unit and initial password of each account created, as CSV (BOM, CRLF) to hand out; shown once',
    }),
    seconds: Type.Number(),
  },
  { $id: 'UserImportResult' },
);
export type UserImportResult = Static<typeof UserImportResult>;

export const UserExportQuery = Type.Object(
  { orgUnitId: Type.Optional(Type.Integer({ minimum: 1, description: 'Only this unit and below' })) },
  { additionalProperties: false },
);
export type UserExportQuery = Static<typeof UserExportQuery>;

// ── The user's own account ─────────────────────────────────────────────────────────────────────────────────

export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
    newPassword: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH, description: 'At least 10 characters, not containing the username, not a common password' }),
  },
  { additionalProperties: false },
);
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;

export const AccountSession = Type.Object(
  {
    id: Type.String(),
    createdAt: Time,
    expiresAt: Time,
    ip: Type.Union([Type.String(), Type.Null()]),
    userAgent: Type.Union([Type.String(), Type.Null()]),
    current: Type.Boolean({ description: 'The session this request came with' }),
  },
  { $id: 'AccountSession' },
);
export type AccountSession = Static<typeof AccountSession>;

export const SessionParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 32, pattern: '^[0-9a-f]+$' }) });
export type SessionParams = Static<typeof SessionParams>;
