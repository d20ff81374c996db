// First start of a production database: whether setup is needed, and the one-time setup (county root + first admin).
import { Type, type Static } from 'typebox';
import { MAX_COUNTY_NAME, DISPLAY_NAME_MAX, USERNAME_PATTERN } from '../domain/setup-rules';

export const SetupStatus = Type.Object(
  {
    needed: Type.Boolean({ description: 'True while the console has no user at all: the setup page is shown instead of the login' }),
    county: Type.Union([Type.Object({ name: Type.String(), code: Type.String() }), Type.Null()], {
      description: 'The county root when the database has one already (setup then adds only the administrator)',
    }),
  },
  { $id: 'SetupStatus' },
);
export type SetupStatus = Static<typeof SetupStatus>;

export const SetupBody = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 200, description: 'The setup token printed on the console at start and kept in <dataDir>/setup-token' }),
    county: Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: MAX_COUNTY_NAME, description: 'e.g. 安澜县' }),
        code: Type.String({ pattern: '^[0-9]{6}$', description: 'The 6-digit administrative division code (行政区划代码), e.g. 339901' }),
      },
      { additionalProperties: false },
    ),
    admin: Type.Object(
      {
        username: Type.String({ pattern: USERNAME_PATTERN }),
        displayName: Type.String({ minLength: 1, maxLength: DISPLAY_NAME_MAX }),
        password: Type.String({ minLength: 1, maxLength: 256, description: 'Checked against the password policy' }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type SetupBody = Static<typeof SetupBody>;

export const SetupResult = Type.Object(
  {
    user: Type.Object({ id: Type.Integer(), username: Type.String() }),
    county: Type.Object({ id: Type.Integer(), name: Type.String(), code: Type.String() }),
  },
  { $id: 'SetupResult' },
);
export type SetupResult = Static<typeof SetupResult>;
