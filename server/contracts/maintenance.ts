// Shapes of the maintenance-ticket API (运维工单: cameras that stay dark, issue #21) and of availability (在线率,
// 完好率): one TypeBox schema per shape, for validation, TypeScript types and OpenAPI. The rules are in
// server/domain/ticket-workflow.ts.
import { Type, type Static } from 'typebox';
import { Id } from './api';

const DateTime = Type.String({ format: 'date-time' });
const NullableDateTime = Type.Union([DateTime, Type.Null()]);

export const TicketState = Type.Union(
  [Type.Literal('dispatched'), Type.Literal('repairing'), Type.Literal('recovered'), Type.Literal('closed')],
  { description: '已派单 dispatched · 维修中 repairing · 已恢复 recovered · 已关闭 closed' },
);
export type TicketState = Static<typeof TicketState>;

export const TicketAction = Type.Union(
  [Type.Literal('start'), Type.Literal('online'), Type.Literal('fixed'), Type.Literal('close')],
  { description: 'start 开始维修 · fixed 报修复 (checked now) · close 关闭 (centre) · online: health checks only' },
);
export type TicketAction = Static<typeof TicketAction>;

export const TicketOrigin = Type.Union([Type.Literal('offline'), Type.Literal('picture')], {
  description: 'offline: the camera stayed offline past the threshold · picture: 画面异常 (blurred, blocked) reported by a person',
});
export type TicketOrigin = Static<typeof TicketOrigin>;

export const Ticket = Type.Object(
  {
    id: Id,
    cameraId: Id,
    cameraName: Type.String(),
    network: Type.String(),
    orgUnitId: Id,
    orgUnitName: Type.String(),
    state: TicketState,
    origin: TicketOrigin,
    reason: Type.Union([Type.String(), Type.Null()], { description: 'The last check failure when opened (refused, timeout, …)' }),
    note: Type.String(),
    unitName: Type.String({ description: 'The maintenance unit it went to (copied at opening)' }),
    contact: Type.String(),
    phone: Type.String(),
    openedAt: DateTime,
    openedBy: Type.String({ description: '"system" for the health-check sweep, else the username' }),
    repairStartedAt: NullableDateTime,
    recoveredAt: NullableDateTime,
    closedAt: NullableDateTime,
    closedBy: Type.Union([Type.String(), Type.Null()]),
    cameraStatus: Type.Union([Type.Literal('online'), Type.Literal('offline'), Type.Literal('unknown'), Type.Null()], { description: 'null when the camera was deleted' }),
  },
  { $id: 'MaintenanceTicket' },
);
export type Ticket = Static<typeof Ticket>;

export const TicketQuery = Type.Object({
  state: Type.Optional(Type.Union([TicketState, Type.Literal('open')], { description: 'open: dispatched or repairing' })),
  network: Type.Optional(Type.String({ maxLength: 32 })),
  cameraId: Type.Optional(Id),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 })),
});
export type TicketQuery = Static<typeof TicketQuery>;

export const TicketList = Type.Object({ total: Type.Integer(), items: Type.Array(Ticket) });
export type TicketList = Static<typeof TicketList>;

export const MAX_TICKET_NOTE = 500;

export const TicketOpenBody = Type.Object(
  {
    cameraId: Id,
    note: Type.String({ minLength: 1, maxLength: MAX_TICKET_NOTE, description: '画面异常: what is wrong with the picture' }),
  },
  { additionalProperties: false },
);
export type TicketOpenBody = Static<typeof TicketOpenBody>;

export const TicketActionBody = Type.Object(
  {
    action: Type.Union([Type.Literal('start'), Type.Literal('fixed'), Type.Literal('close')]),
    note: Type.Optional(Type.String({ maxLength: MAX_TICKET_NOTE, description: 'Required for close' })),
  },
  { additionalProperties: false },
);
export type TicketActionBody = Static<typeof TicketActionBody>;

export const Maintainer = Type.Object({
  network: Type.String(),
  networkName: Type.String(),
  unitName: Type.String({ description: 'Empty: not configured yet (tickets then go to 未配置运维单位)' }),
  contact: Type.String(),
  phone: Type.String(),
  updatedAt: NullableDateTime,
});
export type Maintainer = Static<typeof Maintainer>;

export const MaintainerBody = Type.Object(
  {
    unitName: Type.String({ minLength: 1, maxLength: 100 }),
    contact: Type.String({ maxLength: 50 }),
    phone: Type.String({ maxLength: 30, pattern: '^[0-9+() -]*$' }),
  },
  { additionalProperties: false },
);
export type MaintainerBody = Static<typeof MaintainerBody>;

export const NetworkParams = Type.Object({ network: Type.String({ minLength: 1, maxLength: 32 }) });

/** One row of availability: a network or a child unit (township) over the range. */
export const AvailabilityRow = Type.Object({
  key: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  cameras: Type.Integer(),
  onlineRate: Type.Union([Type.Number(), Type.Null()], { description: '在线率: online time ÷ observed (online + offline) time in the range; null when nothing was observed' }),
  intactRate: Type.Union([Type.Number(), Type.Null()], { description: '完好率: camera time without an open maintenance ticket ÷ camera time in the range' }),
  openTickets: Type.Integer({ description: 'Tickets open now' }),
  ticketsOpened: Type.Integer({ description: 'Tickets opened in the range' }),
});
export type AvailabilityRow = Static<typeof AvailabilityRow>;

export const Availability = Type.Object(
  {
    from: DateTime,
    to: DateTime,
    scope: Type.Object({ orgUnitId: Id, name: Type.String() }),
    total: AvailabilityRow,
    byNetwork: Type.Array(AvailabilityRow),
    byUnit: Type.Array(AvailabilityRow),
  },
  { $id: 'Availability' },
);
export type Availability = Static<typeof Availability>;

export const AvailabilityCsvQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Default 30 days ago' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Default now' })),
    orgUnitId: Type.Optional(Type.Integer({ minimum: 1, description: 'Narrow to this unit (inside your scope)' })),
    groupBy: Type.Optional(Type.Union([Type.Literal('unit'), Type.Literal('network')], { default: 'unit' })),
  },
  { additionalProperties: false },
);
export type AvailabilityCsvQuery = Static<typeof AvailabilityCsvQuery>;
