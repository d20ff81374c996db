// Playback, timeline, recording settings and locks (issue #17): the one source of their validation and types.
import { Type, type Static } from 'typebox';
import {
  MAX_POST_ROLL_SEC, MAX_PRE_ROLL_SEC, MAX_RANGES_PER_DAY, MIN_ROLL_SEC, PLAN_DAYS, PLAN_TIME_PATTERN,
} from '../domain/recording-plan';
import { SEGMENT_NAME_PATTERN } from '../media/hls/segment-names';

const Stream = Type.Union([Type.Literal('main'), Type.Literal('sub')], { description: 'Main stream or sub-stream (子码流)' });
const Instant = Type.String({ format: 'date-time', description: 'ISO 8601 instant' });

export const PlaybackParams = Type.Object({ cameraId: Type.Integer({ minimum: 1 }) });
export const PlaybackFileParams = Type.Object({
  cameraId: Type.Integer({ minimum: 1 }),
  file: Type.String({ pattern: '^f\\d{1,12}\\.(?:ts|m4s)$', description: 'A stored file, as named by a playback playlist' }),
});
export const RangeQuery = Type.Object({
  from: Instant,
  to: Instant,
  stream: Type.Optional(Stream),
});
export type RangeQuery = Static<typeof RangeQuery>;

const Day = Type.String({ format: 'date', description: 'Local calendar day, YYYY-MM-DD' });
export const DaysQuery = Type.Object({
  from: Day,
  to: Day,
  tzOffset: Type.Optional(Type.Integer({ minimum: -840, maximum: 840, description: "The viewer's UTC offset in minutes east (Beijing: 480); default the server's" })),
  stream: Type.Optional(Stream),
});
export type DaysQuery = Static<typeof DaysQuery>;
export const RecordedDays = Type.Object(
  {
    cameraId: Type.Integer(),
    days: Type.Array(Type.Object({ day: Day, seconds: Type.Integer({ description: 'Seconds of video that day' }) }), { description: 'Days holding video, in order; the others have none' }),
  },
  { $id: 'RecordedDays' },
);
export type RecordedDays = Static<typeof RecordedDays>;

export const RecordedSpan = Type.Object({
  start: Instant,
  end: Instant,
});
export const Timeline = Type.Object(
  {
    cameraId: Type.Integer(),
    from: Instant,
    to: Instant,
    spans: Type.Array(RecordedSpan, { description: 'Recorded or rewindable video; gaps are what lies between' }),
    /** Where the live rewind ring starts (oldest playable moment of the ring), null when there is none. */
    ringStart: Type.Union([Instant, Type.Null()]),
  },
  { $id: 'Timeline' },
);
export type Timeline = Static<typeof Timeline>;

const Mode = Type.Union([Type.Literal('off'), Type.Literal('continuous'), Type.Literal('schedule'), Type.Literal('event')], {
  description: 'off; continuous; schedule (weekly plan, China time); event (pre/post roll around danger tags and alarms)',
});
const PlanRange = Type.Object({
  from: Type.String({ pattern: PLAN_TIME_PATTERN, description: 'HH:MM, China time' }),
  to: Type.String({ pattern: PLAN_TIME_PATTERN, description: 'HH:MM (24:00 = end of day), after from' }),
});
export const WeeklyPlan = Type.Object({
  days: Type.Array(Type.Array(PlanRange, { maxItems: MAX_RANGES_PER_DAY }), { minItems: PLAN_DAYS, maxItems: PLAN_DAYS, description: 'Monday first' }),
}, { description: '录像计划: recorded ranges per weekday' });
const PreRoll = Type.Integer({ minimum: MIN_ROLL_SEC, maximum: MAX_PRE_ROLL_SEC, description: 'Event mode: seconds kept before the event (from the rewind ring)' });
const PostRoll = Type.Integer({ minimum: MIN_ROLL_SEC, maximum: MAX_POST_ROLL_SEC, description: 'Event mode: seconds recorded after the event' });
const Retention = Type.Integer({ minimum: 1, maximum: 3650 });

/** A plan as the API takes it for a camera or a default; `schedule` is required for mode 'schedule'. */
export const RecordingPlanBody = Type.Object({
  mode: Mode,
  stream: Type.Optional(Stream),
  retentionDays: Type.Optional(Retention),
  schedule: Type.Optional(Type.Union([WeeklyPlan, Type.Null()])),
  preRollSec: Type.Optional(PreRoll),
  postRollSec: Type.Optional(PostRoll),
});
export type RecordingPlanBody = Static<typeof RecordingPlanBody>;
/** A camera's setting; mode 'inherit' removes the camera's own setting (its unit's or network's default applies). */
export const RecordingSettingsBody = Type.Object({
  ...RecordingPlanBody.properties,
  mode: Type.Union([Mode, Type.Literal('inherit')], { description: 'A mode, or inherit: follow the unit / network default' }),
});
export type RecordingSettingsBody = Static<typeof RecordingSettingsBody>;

export const RecordingPlan = Type.Object({
  mode: Mode,
  stream: Stream,
  retentionDays: Type.Integer(),
  schedule: Type.Union([WeeklyPlan, Type.Null()]),
  preRollSec: Type.Integer(),
  postRollSec: Type.Integer(),
});
export type RecordingPlan = Static<typeof RecordingPlan>;

export const PlanSource = Type.Union([Type.Literal('camera'), Type.Literal('unit'), Type.Literal('network'), Type.Literal('none')], {
  description: 'Where the effective plan comes from: the camera, its (nearest) unit, its network, or nowhere (off)',
});

export const RecordingSettings = Type.Object(
  {
    cameraId: Type.Integer(),
    /** The effective mode, stream and retention (as `effective`), kept flat for simple readers. */
    mode: Mode,
    stream: Stream,
    retentionDays: Type.Integer(),
    own: Type.Union([RecordingPlan, Type.Null()], { description: 'The camera\'s own setting; null: it inherits' }),
    effective: RecordingPlan,
    source: PlanSource,
    sourceUnitId: Type.Union([Type.Integer(), Type.Null()]),
    state: Type.Union([Type.Literal('recording'), Type.Literal('waiting'), Type.Literal('stopped'), Type.Literal('standby'), Type.Literal('off')]),
    reason: Type.Union([Type.String(), Type.Null()], { description: 'Why it is stopped, waiting or on standby, e.g. "disk full"' }),
    pinned: Type.Boolean({ description: 'The recorder keeps the camera\'s relay running now (counts against the relay cap)' }),
    holdUntil: Type.Union([Instant, Type.Null()], { description: 'A running post-roll records until then' }),
    nextChange: Type.Union([Instant, Type.Null()], { description: 'A schedule\'s next start or stop' }),
  },
  { $id: 'RecordingSettings' },
);
export type RecordingSettings = Static<typeof RecordingSettings>;

export const RecordingDefault = Type.Object(
  {
    scope: Type.Union([Type.Literal('network'), Type.Literal('unit')]),
    key: Type.String({ description: 'Network key, or org unit id' }),
    ...RecordingPlan.properties,
    updatedAt: Instant,
  },
  { $id: 'RecordingDefault' },
);
export type RecordingDefault = Static<typeof RecordingDefault>;
export const NetworkParams = Type.Object({ network: Type.String({ minLength: 1, maxLength: 32 }) });
export const UnitParams = Type.Object({ unitId: Type.Integer({ minimum: 1 }) });

export const EventBody = Type.Object({
  at: Type.Optional(Type.String({ format: 'date-time', description: 'When it happened (default now)' })),
  reason: Type.Optional(Type.String({ maxLength: 200 })),
});
export const EventResult = Type.Object({ cameraId: Type.Integer(), from: Instant, to: Instant });

export const LockBody = Type.Object({
  from: Instant,
  to: Instant,
  reason: Type.Optional(Type.String({ maxLength: 200 })),
});
export const RecordingLock = Type.Object(
  {
    id: Type.Integer(),
    cameraId: Type.Integer(),
    from: Instant,
    to: Instant,
    reason: Type.String(),
    createdAt: Instant,
  },
  { $id: 'RecordingLock' },
);
export type RecordingLock = Static<typeof RecordingLock>;

// Device playback (设备回放): the camera's own recording (NVR/SD card) through ONVIF Profile G or a network's RTSP
// playback URL template.
export const DeviceRangeQuery = Type.Object({
  from: Instant,
  to: Instant,
  scale: Type.Optional(Type.Union([Type.Literal(0.5), Type.Literal(1), Type.Literal(2), Type.Literal(4), Type.Literal(8)], { description: 'Replay speed (RTSP Scale); default 1' })),
});
export type DeviceRangeQuery = Static<typeof DeviceRangeQuery>;
export const DeviceRecordings = Type.Object(
  {
    cameraId: Type.Integer(),
    from: Instant,
    to: Instant,
    source: Type.Union([Type.Literal('onvif'), Type.Literal('template'), Type.Literal('none')], {
      description: 'onvif: Profile G search on the device; template: the network\'s RTSP playback URL (spans unknown, the whole range is offered); none: see reason',
    }),
    reason: Type.Union([Type.String(), Type.Null()], { description: 'Why the device offers no playback (source none)' }),
    spans: Type.Array(RecordedSpan, { description: 'Video on the device in the range' }),
  },
  { $id: 'DeviceRecordings' },
);
export type DeviceRecordings = Static<typeof DeviceRecordings>;
export const DeviceSegmentParams = Type.Object({
  cameraId: Type.Integer({ minimum: 1 }),
  session: Type.String({ pattern: '^[0-9a-z]{1,10}$', description: 'Replay session, as named by the device playlist' }),
  file: Type.String({ pattern: SEGMENT_NAME_PATTERN, description: 'A segment named by the device playlist (as live)' }),
});
