// Playback, timeline, recording settings and locks (issue #17): the one source of their validation and types.
import { Type, type Static } from 'typebox';
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
