// Shapes of the 视频巡查 (video patrol) API: plans, runs, marks and statistics. One TypeBox schema per shape, for
// validation, TypeScript types and OpenAPI; the web imports these with `import type` only.
import { Type, type Static } from 'typebox';
import { Id } from './api';

const DateTime = Type.String({ format: 'date-time' });
const NullableDateTime = Type.Union([DateTime, Type.Null()]);

/** A patrol covers at most this many cameras: 500 at 20 s is close to three hours of watching. */
export const MAX_PATROL_CAMERAS = 500;

export const PatrolRunState = Type.Union([Type.Literal('due'), Type.Literal('running'), Type.Literal('paused'), Type.Literal('completed')]);
export const PatrolRunAction = Type.Union([
  Type.Literal('start'), Type.Literal('pause'), Type.Literal('resume'), Type.Literal('handover'), Type.Literal('complete'),
]);
export const PatrolMarkResult = Type.Union([Type.Literal('normal'), Type.Literal('danger'), Type.Literal('abnormal')], {
  description: '正常 normal · 发现隐患 a danger was tagged (dangerId) · 画面异常 offline, blurred or blocked',
});
export type PatrolMarkResult = Static<typeof PatrolMarkResult>;

const Shift = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'Shift start "HH:MM", Beijing time' });

export const PatrolPlanBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 60 }),
    orgUnitId: Type.Integer({ minimum: 1, description: 'Who runs it: your unit or one inside it; every camera must lie inside this unit' }),
    cameraIds: Type.Array(Type.Integer({ minimum: 1 }), {
      minItems: 1, maxItems: MAX_PATROL_CAMERAS, uniqueItems: true, description: 'Cameras in patrol order',
    }),
    shifts: Type.Array(Shift, { minItems: 1, maxItems: 24, uniqueItems: true }),
    weekdays: Type.Optional(Type.Integer({ minimum: 1, maximum: 127, default: 127, description: 'Bit mask, Monday = 1 … Sunday = 64; 31 = weekdays' })),
    dwellSec: Type.Optional(Type.Integer({ minimum: 5, maximum: 600, default: 20, description: 'Seconds to watch each camera' })),
    windowMin: Type.Optional(Type.Integer({ minimum: 10, maximum: 1440, default: 120, description: 'A run is overdue this many minutes after it falls due' })),
    active: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);
export type PatrolPlanBody = Static<typeof PatrolPlanBody>;

export const PatrolPlan = Type.Object(
  {
    id: Id,
    name: Type.String(),
    orgUnitId: Id,
    orgUnitName: Type.String(),
    cameraIds: Type.Array(Id),
    shifts: Type.Array(Type.String()),
    weekdays: Type.Integer(),
    dwellSec: Type.Integer(),
    windowMin: Type.Integer(),
    active: Type.Boolean(),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'PatrolPlan' },
);
export type PatrolPlan = Static<typeof PatrolPlan>;

export const PatrolPlanList = Type.Object({ items: Type.Array(PatrolPlan) }, { $id: 'PatrolPlanList' });
export type PatrolPlanList = Static<typeof PatrolPlanList>;

export const PatrolRun = Type.Object(
  {
    id: Id,
    planId: Id,
    planName: Type.String(),
    orgUnitId: Id,
    orgUnitName: Type.String(),
    state: PatrolRunState,
    dueAt: DateTime,
    deadline: DateTime,
    overdue: Type.Boolean({ description: 'Open and past its deadline' }),
    dwellSec: Type.Integer(),
    cameraCount: Type.Integer(),
    marked: Type.Integer(),
    findings: Type.Integer({ description: 'Cameras marked 发现隐患 or 画面异常' }),
    operator: Type.Union([Type.String(), Type.Null()], { description: 'Who runs it now' }),
    startedAt: NullableDateTime,
    completedAt: NullableDateTime,
  },
  { $id: 'PatrolRun' },
);
export type PatrolRun = Static<typeof PatrolRun>;

export const PatrolMark = Type.Object({
  cameraId: Id,
  result: PatrolMarkResult,
  playedSec: Type.Number(),
  hasFrame: Type.Boolean(),
  dangerId: Type.Union([Id, Type.Null()]),
  note: Type.String(),
  markedBy: Type.String(),
  markedAt: DateTime,
});
export type PatrolMark = Static<typeof PatrolMark>;

export const PatrolRunCamera = Type.Object({
  id: Id,
  name: Type.String(),
  network: Type.String(),
  orgUnitId: Id,
  status: Type.String(),
});

export const PatrolRunDetail = Type.Object(
  {
    run: PatrolRun,
    cameras: Type.Array(PatrolRunCamera, { description: 'In patrol order; a camera deleted since the plan was made is left out' }),
    marks: Type.Array(PatrolMark),
  },
  { $id: 'PatrolRunDetail' },
);
export type PatrolRunDetail = Static<typeof PatrolRunDetail>;

export const PatrolRunQuery = Type.Object(
  {
    state: Type.Optional(Type.Union([PatrolRunState, Type.Literal('open')], { description: 'open: due, running or paused' })),
    overdue: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type PatrolRunQuery = Static<typeof PatrolRunQuery>;

export const PatrolRunPage = Type.Object({ items: Type.Array(PatrolRun), total: Type.Integer() }, { $id: 'PatrolRunPage' });
export type PatrolRunPage = Static<typeof PatrolRunPage>;

export const PatrolColleague = Type.Object({ id: Id, username: Type.String(), displayName: Type.String(), orgUnitName: Type.String() });
export type PatrolColleague = Static<typeof PatrolColleague>;
export const PatrolColleagueList = Type.Object({ items: Type.Array(PatrolColleague) }, { $id: 'PatrolColleagueList' });
export type PatrolColleagueList = Static<typeof PatrolColleagueList>;

export const PatrolActionParams = Type.Object({ id: Type.Integer({ minimum: 1 }), action: PatrolRunAction });

export const PatrolActionBody = Type.Object(
  { toUserId: Type.Optional(Type.Integer({ minimum: 1, description: 'handover: the colleague who takes the run over' })) },
  { additionalProperties: false },
);
export type PatrolActionBody = Static<typeof PatrolActionBody>;

export const PatrolMarkBody = Type.Object(
  {
    cameraId: Type.Integer({ minimum: 1 }),
    result: PatrolMarkResult,
    playedSec: Type.Number({ minimum: 0, maximum: 86_400, description: 'Seconds the player actually advanced on this camera (proof of viewing)' }),
    frameJpeg: Type.Optional(Type.String({ minLength: 8, description: 'The frame the operator saw, base64 JPEG ≤ 2 MiB' })),
    dangerId: Type.Optional(Type.Integer({ minimum: 1, description: 'With result "danger": the danger tagged on this camera' })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type PatrolMarkBody = Static<typeof PatrolMarkBody>;

export const PatrolStatsQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Runs due at or after; default 30 days ago' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Runs due before; default now' })),
  },
  { additionalProperties: false },
);
export type PatrolStatsQuery = Static<typeof PatrolStatsQuery>;

export const PatrolStatsRow = Type.Object({
  key: Type.String(),
  name: Type.String(),
  due: Type.Integer({ description: 'Runs due in the range' }),
  completed: Type.Integer(),
  onTime: Type.Integer({ description: 'Completed by their deadline' }),
  overdue: Type.Integer({ description: 'Overdue at least once' }),
  camerasAsked: Type.Integer({ description: 'Cameras the runs asked for (a camera counts once per run)' }),
  camerasMarked: Type.Integer(),
  coverage: Type.Union([Type.Number(), Type.Null()], { description: 'camerasMarked ÷ camerasAsked; null when nothing was asked' }),
  findings: Type.Integer({ description: 'Marks 发现隐患 or 画面异常' }),
  dangers: Type.Integer({ description: 'Marks 发现隐患' }),
});
export type PatrolStatsRow = Static<typeof PatrolStatsRow>;

export const PatrolStats = Type.Object(
  {
    from: DateTime,
    to: DateTime,
    total: PatrolStatsRow,
    byUnit: Type.Array(PatrolStatsRow, { description: 'By the unit that runs the plan' }),
    byOperator: Type.Array(PatrolStatsRow, { description: 'By who ran the runs last (key "": runs nobody started)' }),
  },
  { $id: 'PatrolStats' },
);
export type PatrolStats = Static<typeof PatrolStats>;

export const PatrolStatsCsvQuery = Type.Object(
  { ...PatrolStatsQuery.properties, groupBy: Type.Optional(Type.Union([Type.Literal('unit'), Type.Literal('operator')], { default: 'unit' })) },
  { additionalProperties: false },
);
export type PatrolStatsCsvQuery = Static<typeof PatrolStatsCsvQuery>;
