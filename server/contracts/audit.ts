// The audit log as the admin audit page reads it: filters, one page of rows (newest first), CSV with the same filters.
import { Type, type Static } from 'typebox';

export const AuditFilter = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Rows at or after' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Rows before' })),
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Username (for failed logins: the name tried; for residents: the link label)' })),
    action: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9.\\-]+\\*?$', description: "Exact action, or a prefix ending in '.' or '*' (e.g. 'dispatch.')" }),
    ),
    targetType: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    targetId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    orgUnitId: Type.Optional(Type.Integer({ minimum: 1, description: 'This unit and every unit below it' })),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Free text searched in the detail' })),
  },
  { additionalProperties: false },
);
export type AuditFilter = Static<typeof AuditFilter>;

export const AuditQuery = Type.Object(
  {
    ...AuditFilter.properties,
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'Keyset cursor: rows older than this id (nextBefore of the previous page)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const ActorType = Type.Union([Type.Literal('user'), Type.Literal('resident'), Type.Literal('system'), Type.Literal('anonymous')]);

export const AuditItem = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorType: ActorType,
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  orgUnitId: Type.Union([Type.Integer(), Type.Null()]),
  orgUnitName: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
});
export type AuditItem = Static<typeof AuditItem>;

export const AuditPage = Type.Object({
  items: Type.Array(AuditItem),
  nextBefore: Type.Union([Type.Integer(), Type.Null()], { description: 'Pass as `before` for the next (older) page; null at the end' }),
});
export type AuditPage = Static<typeof AuditPage>;
