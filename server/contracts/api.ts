// Shapes of the REST API: one TypeBox schema per shape, used for validation, TypeScript types and OpenAPI.
// The web imports these with `import type` only, so no schema code reaches the browser bundle.
import { Type, type Static } from 'typebox';
import { SEGMENT_NAME_PATTERN } from '../media/hls/segment-names';

export const Role = Type.Union(
  [Type.Literal('admin'), Type.Literal('county_operator'), Type.Literal('township_officer'), Type.Literal('village_officer')],
  { $id: 'Role' },
);
export type Role = Static<typeof Role>;

export const OrgLevel = Type.Union(
  [Type.Literal('county'), Type.Literal('township'), Type.Literal('village'), Type.Literal('compound')],
  { $id: 'OrgLevel' },
);
export type OrgLevel = Static<typeof OrgLevel>;

export const CameraStatus = Type.Union([Type.Literal('online'), Type.Literal('offline'), Type.Literal('unknown')], {
  $id: 'CameraStatus',
});
export type CameraStatus = Static<typeof CameraStatus>;

export const ErrorBody = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String(),
    message: Type.String({ description: 'What is wrong, naming the field where there is one' }),
    field: Type.Optional(Type.String()),
  },
  { $id: 'ErrorBody' },
);
export type ErrorBody = Static<typeof ErrorBody>;

export const Id = Type.Integer({ minimum: 1 });

export const User = Type.Object(
  {
    id: Id,
    username: Type.String(),
    displayName: Type.String(),
    role: Role,
    orgUnitId: Id,
    orgUnitName: Type.String(),
  },
  { $id: 'User' },
);
export type User = Static<typeof User>;

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const SessionInfo = Type.Object(
  {
    user: User,
    csrfToken: Type.String({ description: 'Send back as the x-csrf-token header on every unsafe request' }),
    mustChangePassword: Type.Boolean({
      description: 'The account was created or reset by an administrator: until POST /api/account/password, every other route but /api/auth/me and logout answers 403',
    }),
  },
  { $id: 'SessionInfo' },
);
export type SessionInfo = Static<typeof SessionInfo>;

export const Network = Type.Object(
  { key: Type.String(), name: Type.String(), nameEn: Type.String(), color: Type.String() },
  { $id: 'Network' },
);
export type Network = Static<typeof Network>;

export const OrgUnit = Type.Object(
  {
    id: Id,
    code: Type.String(),
    name: Type.String(),
    nameEn: Type.Union([Type.String(), Type.Null()], { description: 'English name; null: the English UI shows the Chinese name' }),
    level: OrgLevel,
    parentId: Type.Union([Id, Type.Null()]),
    childCount: Type.Integer({ minimum: 0 }),
    cameraCount: Type.Integer({ minimum: 0, description: 'Cameras in this unit and its whole subtree' }),
    onlineCount: Type.Integer({ minimum: 0, description: 'Online cameras in this unit and its whole subtree' }),
    userCount: Type.Integer({ minimum: 0, description: 'User accounts (enabled or disabled; deleted ones are not counted) in this unit and its whole subtree' }),
  },
  { $id: 'OrgUnit' },
);
export type OrgUnit = Static<typeof OrgUnit>;

export const OrgUnitQuery = Type.Object(
  { parentId: Type.Optional(Type.Integer({ minimum: 1, description: 'List the children of this unit; omit for your scope root' })) },
  { additionalProperties: false },
);
export type OrgUnitQuery = Static<typeof OrgUnitQuery>;

/** Comma-separated unit ids for GET /api/org/units/paths (the camera list shows each row's unit as a path). */
export const OrgUnitPathsQuery = Type.Object(
  { ids: Type.String({ pattern: '^[0-9]{1,10}(,[0-9]{1,10}){0,199}$', description: 'Unit ids, comma-separated, at most 200' }) },
  { additionalProperties: false },
);
export type OrgUnitPathsQuery = Static<typeof OrgUnitPathsQuery>;

export const OrgUnitPath = Type.Object(
  {
    id: Id,
    level: OrgLevel,
    path: Type.String({ description: 'Unit names from the county down, "/"-separated, as in the import format' }),
    pathEn: Type.String({ description: 'The same path in English names (a unit without one keeps its Chinese name)' }),
  },
  { $id: 'OrgUnitPath' },
);
export type OrgUnitPath = Static<typeof OrgUnitPath>;

export const Camera = Type.Object(
  {
    id: Id,
    externalId: Type.String(),
    name: Type.String(),
    network: Type.String(),
    orgUnitId: Id,
    lat: Type.Union([Type.Number(), Type.Null()]),
    lng: Type.Union([Type.Number(), Type.Null()]),
    address: Type.String(),
    sourceKind: Type.Union([Type.Literal('onvif'), Type.Literal('rtsp')]),
    /** Device endpoint or stream URL, always without credentials. */
    endpoint: Type.String(),
    status: CameraStatus,
    statusReason: Type.Union([Type.String(), Type.Null()]),
    lastSeenAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    codec: Type.Union([Type.String(), Type.Null()]),
    width: Type.Union([Type.Integer(), Type.Null()]),
    height: Type.Union([Type.Integer(), Type.Null()]),
    publicArea: Type.Boolean(),
    ptz: Type.Boolean(),
    hasCredentials: Type.Boolean({ description: 'Whether credentials are stored; they are never returned' }),
    hasSubStream: Type.Boolean({ description: 'Whether the camera has a sub-stream (子码流) the console plays in small pictures; its URL is never returned' }),
  },
  { $id: 'Camera' },
);
export type Camera = Static<typeof Camera>;

export const CameraQuery = Type.Object(
  {
    orgUnitId: Type.Optional(Type.Integer({ minimum: 1, description: 'Only this unit and its subtree' })),
    direct: Type.Optional(Type.Boolean({ description: 'With orgUnitId: only cameras directly in that unit, not its subtree' })),
    network: Type.Optional(Type.String({ maxLength: 32 })),
    status: Type.Optional(CameraStatus),
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Search name, external id and address' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type CameraQuery = Static<typeof CameraQuery>;

export const CameraPage = Type.Object({ items: Type.Array(Camera), total: Type.Integer() }, { $id: 'CameraPage' });
export type CameraPage = Static<typeof CameraPage>;

export const CameraUpdate = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    orgUnitId: Type.Optional(Id),
    address: Type.Optional(Type.String({ maxLength: 200 })),
    lat: Type.Optional(Type.Union([Type.Number({ minimum: -90, maximum: 90 }), Type.Null()])),
    lng: Type.Optional(Type.Union([Type.Number({ minimum: -180, maximum: 180 }), Type.Null()])),
    publicArea: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type CameraUpdate = Static<typeof CameraUpdate>;

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
export type IdParams = Static<typeof IdParams>;

export const Health = Type.Object(
  { status: Type.Literal('ok'), version: Type.String(), uptimeSec: Type.Number(), cameras: Type.Integer() },
  { $id: 'Health' },
);
export type Health = Static<typeof Health>;

/** A run-once job and the gateway node that leads it (several nodes on PostgreSQL: server/db/README.md "Leadership"). */
export const JobLeader = Type.Object(
  {
    job: Type.String({ description: 'dispatch-scan | patrol-scan | health-checks | maintenance-sweep | recording-retention' }),
    leader: Type.Union([Type.String(), Type.Null()], { description: 'The node holding the job, null between a leader\'s death and the next try' }),
    here: Type.Boolean({ description: 'Whether the answering node leads it' }),
    runsHere: Type.Integer({ description: 'Runs of the job on the answering node since it started' }),
  },
  { $id: 'JobLeader' },
);
export type JobLeader = Static<typeof JobLeader>;

export const ClusterStatus = Type.Object(
  { node: Type.String({ description: 'The answering node' }), jobs: Type.Array(JobLeader) },
  { $id: 'ClusterStatus' },
);
export type ClusterStatus = Static<typeof ClusterStatus>;

export const RelayInfo = Type.Object(
  {
    cameraId: Id,
    cameraName: Type.String(),
    stream: Type.Union([Type.Literal('main'), Type.Literal('sub')], { description: 'Main stream, or the sub-stream (子码流)' }),
    state: Type.String({ description: 'starting | live | reconnecting | …' }),
    reason: Type.Union([Type.String(), Type.Null()]),
    codec: Type.Union([Type.String(), Type.Null()]),
    width: Type.Union([Type.Integer(), Type.Null()], { description: 'Picture width from the stream\'s SPS' }),
    height: Type.Union([Type.Integer(), Type.Null()]),
    fps: Type.Union([Type.Number(), Type.Null()]),
    bitrate: Type.Number({ description: 'Incoming bits per second' }),
    audio: Type.Union([Type.String(), Type.Null()]),
    viewers: Type.Integer(),
    uptimeSec: Type.Number(),
    lastKeyframeAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    reconnects: Type.Integer(),
    segments: Type.Integer(),
    bytesHeld: Type.Integer(),
    pinned: Type.Boolean({ description: 'Runs without viewers because the camera is recorded (counts against the relay cap)' }),
    recording: Type.Union([Type.Literal('recording'), Type.Literal('waiting'), Type.Literal('stopped'), Type.Literal('standby'), Type.Literal('off')], { description: 'Server recording of this camera (standby: a schedule outside its hours, or event mode between events)' }),
    recordingReason: Type.Union([Type.String(), Type.Null()], { description: 'Why recording is stopped, e.g. "disk full"' }),
    node: Type.Optional(Type.String({ description: 'The gateway node running this relay (several nodes on PostgreSQL; this node)' })),
  },
  { $id: 'RelayInfo' },
);
export type RelayInfo = Static<typeof RelayInfo>;

/** Several gateway nodes on one PostgreSQL (issue #22): which node pulls each stream, and how loaded each node is. */
export const RelayClusterInfo = Type.Object(
  {
    nodeId: Type.String({ description: 'The node that answered' }),
    clustered: Type.Boolean({ description: 'false on SQLite (one node): leases are not used' }),
    nodes: Type.Array(Type.Object({
      nodeId: Type.String(),
      alive: Type.Boolean({ description: 'Heartbeat within the lease lifetime' }),
      relays: Type.Integer({ description: 'Relays the node runs (its last heartbeat)' }),
      leases: Type.Integer({ description: 'Live relay leases it holds (all areas)' }),
      maxRelays: Type.Integer(),
    })),
    leases: Type.Array(Type.Object({
      cameraId: Id,
      stream: Type.Union([Type.Literal('main'), Type.Literal('sub')]),
      nodeId: Type.String({ description: 'The node that pulls this stream; every other node serves it from there' }),
    }), { description: 'Live leases of cameras in your area' }),
  },
  { $id: 'RelayClusterInfo' },
);
export type RelayClusterInfo = Static<typeof RelayClusterInfo>;

export const LiveParams = Type.Object({ cameraId: Type.Integer({ minimum: 1 }) });
export const SegmentParams = Type.Object({
  cameraId: Type.Integer({ minimum: 1 }),
  segment: Type.String({ pattern: SEGMENT_NAME_PATTERN, description: 's<epoch>-<n>.ts or .m4s, an LL-HLS part p<epoch>-<n>.ts, or a CMAF init-<epoch>.mp4' }),
});
