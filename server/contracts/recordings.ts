// Playback, timeline, recording settings and locks (issue #17): the one source of their validation and types.
import { Type, type Static } from 'typebox';

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

export const RecordingSettingsBody = Type.Object({
  mode: Type.Union([Type.Literal('off'), Type.Literal('continuous')], { description: 'off or continuous; weekly schedule and event recording come later' }),
  stream: Type.Optional(Stream),
  retentionDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
});
export const RecordingSettings = Type.Object(
  {
    cameraId: Type.Integer(),
    mode: Type.Union([Type.Literal('off'), Type.Literal('continuous')]),
    stream: Stream,
    retentionDays: Type.Integer(),
    state: Type.Union([Type.Literal('recording'), Type.Literal('waiting'), Type.Literal('stopped'), Type.Literal('off')]),
    reason: Type.Union([Type.String(), Type.Null()], { description: 'Why it is stopped or waiting, e.g. "disk full"' }),
  },
  { $id: 'RecordingSettings' },
);
export type RecordingSettings = Static<typeof RecordingSettings>;

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
