// Shapes of the hidden-danger and dispatch API (dangers, tasks, layout pushes, statistics): one TypeBox schema per
// shape, for validation, TypeScript types and OpenAPI. The web imports these with `import type` only.
// Small enums and shapes that repeat inside one response carry no $id: Fastify refuses a response schema holding
// the same $id twice.
import { Type, type Static } from 'typebox';
import { MAX_RECHECK_DAYS } from '../domain/closure-rules';
import {
  MAX_FEEDBACK_LENGTH, MAX_NOTE_LENGTH, MAX_PUSH_CAMERAS, MAX_PUSH_NOTE_LENGTH, MAX_REASON_LENGTH,
} from '../domain/dispatch-limits';
import { Id } from './api';

const DateTime = Type.String({ format: 'date-time' });
const NullableDateTime = Type.Union([DateTime, Type.Null()]);

export const Severity = Type.Union([Type.Literal('general'), Type.Literal('major'), Type.Literal('critical')], {
  description: '一般 general · 较大 major · 重大 critical',
});
export type Severity = Static<typeof Severity>;

/** State of one assignment (a task goes from one unit to a direct subordinate unit). */
export const TaskStatus = Type.Union(
  [
    Type.Literal('dispatched'), Type.Literal('accepted'), Type.Literal('delegated'), Type.Literal('handling'),
    Type.Literal('resolved'), Type.Literal('closed'), Type.Literal('returned'), Type.Literal('escalated'),
  ],
  { description: '已派发 dispatched · 已签收 accepted · 已转派 delegated · 处置中 handling · 已反馈 resolved · 已办结 closed · 已退回 returned · 已上报(超期收回) escalated' },
);
export type TaskStatus = Static<typeof TaskStatus>;

/** A hidden danger's status mirrors its current top-level task; `reported` means no task yet. */
export const DangerStatus = Type.Union(
  [
    Type.Literal('reported'), Type.Literal('dispatched'), Type.Literal('accepted'), Type.Literal('handling'),
    Type.Literal('resolved'), Type.Literal('closed'), Type.Literal('returned'), Type.Literal('escalated'),
  ],
  {},
);
export type DangerStatus = Static<typeof DangerStatus>;

export const DangerOrigin = Type.Union([Type.Literal('staff'), Type.Literal('resident')], {
  description: 'staff: tagged on a live tile; resident: reported by a resident through a share link (随手拍)',
});
export type DangerOrigin = Static<typeof DangerOrigin>;

export const RecheckStatus = Type.Union([Type.Literal('pending'), Type.Literal('passed'), Type.Literal('failed')], {
  description: '复查: pending (waits for the re-check after 办结) · passed (closed for good) · failed (reopened)',
});

export const TaskAction = Type.Union(
  [
    Type.Literal('accept'), Type.Literal('handle'), Type.Literal('redispatch'), Type.Literal('resolve'), Type.Literal('close'),
    Type.Literal('reject'), Type.Literal('return'), Type.Literal('escalate'),
  ],
  {},
);
export type TaskAction = Static<typeof TaskAction>;

export const Label = Type.Object({ key: Type.String(), name: Type.String(), nameEn: Type.String() });

export const Category = Type.Object({
  ...Label.properties,
  recheckDays: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: MAX_RECHECK_DAYS }), Type.Null()], {
    description: '复查: days after 办结 until the dispatching level re-checks the camera; absent or null = no re-check',
  })),
  resident: Type.Optional(Type.Boolean({ description: 'Offered to residents reporting through a share link (随手拍)' })),
});
export type Category = Static<typeof Category>;

export const Taxonomy = Type.Object(
  {
    categories: Type.Array(Category),
    severities: Type.Array(Type.Object({ key: Severity, name: Type.String(), nameEn: Type.String(), defaultDeadlineHours: Type.Number() })),
  },
  { $id: 'Taxonomy' },
);
export type Taxonomy = Static<typeof Taxonomy>;

export const DangerCreate = Type.Object(
  {
    cameraId: Id,
    capturedAt: Type.String({ format: 'date-time', description: 'The moment shown in the evidence frame' }),
    category: Type.String({ minLength: 1, maxLength: 32, description: 'A key from GET /api/dangers/taxonomy' }),
    severity: Severity,
    note: Type.Optional(Type.String({ maxLength: MAX_NOTE_LENGTH })),
    evidenceJpeg: Type.String({
      minLength: 8,
      description: 'The frame as base64 JPEG (a canvas.toDataURL("image/jpeg") data URL is accepted); at most 2 MiB decoded',
    }),
    clip: Type.Optional(Type.Boolean({ description: 'Attach a locked video clip 30 s before to 30 s after capturedAt (default true)' })),
  },
  { additionalProperties: false },
);
export type DangerCreate = Static<typeof DangerCreate>;

export const TaskSummary = Type.Object(
  {
    id: Id,
    dangerId: Id,
    parentId: Type.Union([Id, Type.Null()]),
    status: TaskStatus,
    fromUnitId: Id,
    fromUnitName: Type.String(),
    toUnitId: Id,
    toUnitName: Type.String(),
    deadline: DateTime,
    overdue: Type.Boolean({ description: 'Past its deadline while still open (marked by the overdue scanner)' }),
    overdueAt: NullableDateTime,
    note: Type.String(),
    dispatchedBy: Type.String(),
    dispatchedAt: DateTime,
    acceptedAt: NullableDateTime,
    resolvedAt: NullableDateTime,
    closedAt: NullableDateTime,
    feedback: Type.Union([Type.String(), Type.Null()]),
    feedbackPhotoUrl: Type.Union([Type.String(), Type.Null()]),
    returnReason: Type.Union([Type.String(), Type.Null()]),
    closureFrameUrl: Type.Union([Type.String(), Type.Null()], {
      description: '复核: the frame of the danger’s camera the server grabbed when the task was reported handled (反馈)',
    }),
    closureFrameAt: Type.Union([DateTime, Type.Null()], { description: 'When that frame was taken' }),
    closureFrameError: Type.Union([Type.String(), Type.Null()], { description: 'Why no frame could be had at 反馈, if none' }),
  },
  // No $id: it appears twice in DangerDetail (the danger's current task and the task list), and a response schema
  // may hold an $id only once.
  { description: 'One task (assignment)' },
);
export type TaskSummary = Static<typeof TaskSummary>;

export const Danger = Type.Object(
  {
    id: Id,
    cameraId: Id,
    cameraName: Type.String(),
    network: Type.String(),
    orgUnitId: Id,
    orgUnitName: Type.String(),
    lat: Type.Union([Type.Number(), Type.Null()]),
    lng: Type.Union([Type.Number(), Type.Null()]),
    address: Type.String(),
    capturedAt: DateTime,
    category: Type.String(),
    severity: Severity,
    note: Type.String(),
    status: DangerStatus,
    evidenceSha256: Type.String(),
    evidenceUrl: Type.String(),
    createdBy: Type.String(),
    createdAt: DateTime,
    origin: DangerOrigin,
    recheckStatus: Type.Union([RecheckStatus, Type.Null()]),
    recheckDueAt: Type.Union([DateTime, Type.Null()], { description: '复查 due date (set at 办结 for categories with recheckDays)' }),
    recheckUnitId: Type.Union([Id, Type.Null()], { description: 'The unit that closed it and re-checks it' }),
    /** The current top-level task, if any (who has it now, its deadline). */
    task: Type.Union([TaskSummary, Type.Null()]),
  },
  { $id: 'Danger' },
);
export type Danger = Static<typeof Danger>;

export const HistoryEntry = Type.Object(
  {
    id: Id,
    at: DateTime,
    taskId: Type.Union([Id, Type.Null()]),
    action: Type.String({ description: 'created, dispatch, accept, … or overdue / cascade for system entries' }),
    fromStatus: Type.Union([Type.String(), Type.Null()]),
    toStatus: Type.Union([Type.String(), Type.Null()]),
    actorType: Type.String(),
    actorName: Type.Union([Type.String(), Type.Null()]),
    actorUnitName: Type.Union([Type.String(), Type.Null()]),
    note: Type.String(),
  },
  { description: 'One step in a danger’s history' },
);
export type HistoryEntry = Static<typeof HistoryEntry>;

/** The video clip of a tag: a locked range of the camera's stored video, played through /playback (same scope). */
export const DangerClip = Type.Object({
  cameraId: Id,
  from: DateTime,
  to: DateTime,
  state: Type.Union([Type.Literal('recording'), Type.Literal('ready'), Type.Literal('missing')], {
    description: 'recording: the post-roll is still being written; ready: hashed; missing: no video of the range was stored',
  }),
  sha256: Type.Union([Type.String(), Type.Null()], { description: 'Over the stored segment bytes of the range, in order' }),
  bytes: Type.Union([Type.Integer(), Type.Null()]),
  playlistUrl: Type.String({ description: 'VOD HLS of the range' }),
});
export type DangerClip = Static<typeof DangerClip>;

export const DangerDetail = Type.Object(
  { danger: Danger, tasks: Type.Array(TaskSummary), history: Type.Array(HistoryEntry), clip: Type.Union([DangerClip, Type.Null()]) },
  { $id: 'DangerDetail' },
);
export type DangerDetail = Static<typeof DangerDetail>;

export const DangerQuery = Type.Object(
  {
    orgUnitId: Type.Optional(Type.Integer({ minimum: 1, description: 'Only dangers located in this unit and its subtree' })),
    network: Type.Optional(Type.String({ maxLength: 32 })),
    category: Type.Optional(Type.String({ maxLength: 32 })),
    status: Type.Optional(DangerStatus),
    origin: Type.Optional(DangerOrigin),
    recheck: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('due')], {
      description: 'pending: waiting for 复查; due: 复查 due now for your unit',
    })),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Found at or after' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Found before' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type DangerQuery = Static<typeof DangerQuery>;

export const DangerPage = Type.Object({ items: Type.Array(Danger), total: Type.Integer() }, { $id: 'DangerPage' });
export type DangerPage = Static<typeof DangerPage>;

const Deadline = Type.String({ format: 'date-time', description: 'Omit for the severity’s default (重大 24 h, 较大 72 h, 一般 7 days)' });

export const DispatchBody = Type.Object(
  {
    toUnitId: Id,
    deadline: Type.Optional(Deadline),
    note: Type.Optional(Type.String({ maxLength: MAX_NOTE_LENGTH })),
  },
  { additionalProperties: false },
);
export type DispatchBody = Static<typeof DispatchBody>;

export const NoteBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: MAX_NOTE_LENGTH })) }, { additionalProperties: false });
export type NoteBody = Static<typeof NoteBody>;

export const ReasonBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: MAX_REASON_LENGTH, description: 'Why (shown to the other side)' }) },
  { additionalProperties: false },
);
export type ReasonBody = Static<typeof ReasonBody>;

export const ResolveBody = Type.Object(
  {
    feedback: Type.String({ minLength: 1, maxLength: MAX_FEEDBACK_LENGTH, description: '处置反馈 what was done' }),
    photoJpeg: Type.Optional(Type.String({ minLength: 8, description: 'Optional photo as base64 JPEG, at most 2 MiB decoded' })),
  },
  { additionalProperties: false },
);
export type ResolveBody = Static<typeof ResolveBody>;

export const RecheckBody = Type.Object(
  {
    verdict: Type.Union([Type.Literal('pass'), Type.Literal('fail')], { description: 'pass: closed for good · fail: reopened (dispatch again)' }),
    note: Type.Optional(Type.String({ maxLength: MAX_NOTE_LENGTH, description: 'What the re-check saw; required when it fails' })),
  },
  { additionalProperties: false },
);
export type RecheckBody = Static<typeof RecheckBody>;

export const TaskQuery = Type.Object(
  {
    box: Type.Optional(Type.Union([Type.Literal('inbox'), Type.Literal('outbox'), Type.Literal('all')], {
      default: 'all', description: 'inbox: sent to my unit; outbox: sent by my unit; all: everything in my scope',
    })),
    status: Type.Optional(TaskStatus),
    overdue: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type TaskQuery = Static<typeof TaskQuery>;

export const TaskWithDanger = Type.Object(
  {
    ...TaskSummary.properties,
    category: Type.String(),
    severity: Severity,
    cameraId: Id,
    cameraName: Type.String(),
    address: Type.String(),
    evidenceUrl: Type.String(),
  },
  { $id: 'TaskWithDanger' },
);
export type TaskWithDanger = Static<typeof TaskWithDanger>;

export const TaskPage = Type.Object({ items: Type.Array(TaskWithDanger), total: Type.Integer() }, { $id: 'TaskPage' });
export type TaskPage = Static<typeof TaskPage>;

export const LayoutPushCreate = Type.Object(
  {
    toUnitId: Id,
    cameraIds: Type.Array(Id, { minItems: 1, maxItems: MAX_PUSH_CAMERAS, uniqueItems: true, description: `In wall order; at most ${MAX_PUSH_CAMERAS} (a 6×6 wall)` }),
    note: Type.String({ minLength: 1, maxLength: MAX_PUSH_NOTE_LENGTH, description: 'Why the receiving wall should look at these' }),
  },
  { additionalProperties: false },
);
export type LayoutPushCreate = Static<typeof LayoutPushCreate>;

export const LayoutPushStatus = Type.Union([Type.Literal('pending'), Type.Literal('accepted'), Type.Literal('dismissed')], {});
export type LayoutPushStatus = Static<typeof LayoutPushStatus>;

export const LayoutPush = Type.Object(
  {
    id: Id,
    fromUnitId: Id,
    fromUnitName: Type.String(),
    toUnitId: Id,
    toUnitName: Type.String(),
    sentBy: Type.String(),
    cameraIds: Type.Array(Id),
    note: Type.String(),
    status: LayoutPushStatus,
    createdAt: DateTime,
    answeredAt: NullableDateTime,
    answeredBy: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'LayoutPush' },
);
export type LayoutPush = Static<typeof LayoutPush>;

export const LayoutPushQuery = Type.Object(
  {
    box: Type.Optional(Type.Union([Type.Literal('inbox'), Type.Literal('outbox')], { default: 'inbox' })),
    status: Type.Optional(LayoutPushStatus),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type LayoutPushQuery = Static<typeof LayoutPushQuery>;

export const LayoutPushPage = Type.Object({ items: Type.Array(LayoutPush), total: Type.Integer() }, { $id: 'LayoutPushPage' });
export type LayoutPushPage = Static<typeof LayoutPushPage>;

export const StatsQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Dangers found at or after; default 30 days ago' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Dangers found before; default now' })),
    orgUnitId: Type.Optional(Type.Integer({ minimum: 1, description: 'Narrow to this unit (inside your scope)' })),
  },
  { additionalProperties: false },
);
export type StatsQuery = Static<typeof StatsQuery>;

export const StatsCsvQuery = Type.Object(
  {
    ...StatsQuery.properties,
    groupBy: Type.Optional(Type.Union([Type.Literal('unit'), Type.Literal('category'), Type.Literal('network')], { default: 'unit' })),
  },
  { additionalProperties: false },
);
export type StatsCsvQuery = Static<typeof StatsCsvQuery>;

export const StatsRow = Type.Object(
  {
    key: Type.String(),
    name: Type.String(),
    nameEn: Type.String(),
    found: Type.Integer({ description: '发现: dangers tagged in the range' }),
    dispatched: Type.Integer({ description: '派发: of those, dispatched at least once' }),
    closed: Type.Integer({ description: '办结 (verified): closed by the dispatching level, and re-checked where the category asks for it' }),
    pendingRecheck: Type.Integer({ description: '待复查: closed, waiting for the re-check; not counted as closed' }),
    returned: Type.Integer({ description: '退回: of those, returned at least once at any level' }),
    overdue: Type.Integer({ description: '超期: of those, overdue at least once at any level' }),
    closureRate: Type.Union([Type.Number(), Type.Null()], { description: '办结率 = closed / dispatched (4 decimals); null when nothing was dispatched' }),
    closureRatePercent: Type.Union([Type.String(), Type.Null()], {
      description: '办结率 as an exact percentage with two decimals, truncated ("99.98"): never 100.00 while one is open',
    }),
    avgAcceptSec: Type.Union([Type.Number(), Type.Null()], { description: 'Mean seconds from first dispatch to first 签收' }),
    avgCloseSec: Type.Union([Type.Number(), Type.Null()], { description: 'Mean seconds from first dispatch to 办结' }),
  },
  { description: 'One row of figures' },
);
export type StatsRow = Static<typeof StatsRow>;

export const Stats = Type.Object(
  {
    from: DateTime,
    to: DateTime,
    scope: Type.Object({ orgUnitId: Id, name: Type.String() }),
    total: StatsRow,
    byUnit: Type.Array(StatsRow, { description: 'By the next level below the scope (townships for the county)' }),
    byCategory: Type.Array(StatsRow),
    byNetwork: Type.Array(StatsRow),
  },
  { $id: 'Stats' },
);
export type Stats = Static<typeof Stats>;
