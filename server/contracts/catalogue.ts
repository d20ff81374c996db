// Shapes of the catalogue, discovery and health API: one TypeBox schema per shape, for validation, types and
// OpenAPI. The web imports these with `import type` only.
import { Type, type Static } from 'typebox';
import { CameraStatus, Id } from './api';

// ── Catalogue import / export ───────────────────────────────────────────────────────────────────────────────

/** Logical fields of a catalogue row; files name them with any documented alias (server/discovery/catalogue/IMPORT.md). */
export const CatalogueField = Type.Union(
  [Type.Literal('externalId'), Type.Literal('name'), Type.Literal('network'), Type.Literal('orgUnitCode'), Type.Literal('orgUnitPath'), Type.Literal('lat'), Type.Literal('lng'), Type.Literal('address'), Type.Literal('rtspUrl'), Type.Literal('subStreamUrl'), Type.Literal('onvifUrl'), Type.Literal('credentialRef'), Type.Literal('username'), Type.Literal('password'), Type.Literal('publicArea'), Type.Literal('ptz'), Type.Literal('coordSystem')],
  { $id: 'CatalogueField' },
);
export type CatalogueField = Static<typeof CatalogueField>;

export const CatalogueFormat = Type.Union([Type.Literal('csv'), Type.Literal('json')], { $id: 'CatalogueFormat' });
export type CatalogueFormat = Static<typeof CatalogueFormat>;

export const ImportBody = Type.Object(
  {
    format: CatalogueFormat,
    content: Type.String({ minLength: 1, maxLength: 100_000_000, description: 'The file’s text: CSV (UTF-8) or a JSON array of objects' }),
    mapping: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Type.Union([CatalogueField, Type.Null()]), {
      description: 'File column → field, overriding the built-in aliases; null ignores a column',
    })),
    dryRun: Type.Optional(Type.Boolean({ default: false, description: 'Check and count, write nothing' })),
    createOrgUnits: Type.Optional(Type.Boolean({ default: false, description: 'Create missing org units named in orgUnitPath' })),
    atomic: Type.Optional(Type.Boolean({ default: false, description: 'Write nothing when any row is rejected' })),
    coordSystem: Type.Optional(Type.Union([Type.Literal('wgs84'), Type.Literal('gcj02'), Type.Literal('bd09')], {
      default: 'wgs84', description: 'Coordinate system of lat/lng for rows without a coordSystem column; stored as WGS-84',
    })),
  },
  { additionalProperties: false },
);
export type ImportBody = Static<typeof ImportBody>;

export const RowError = Type.Object(
  {
    row: Type.Integer({ minimum: 1, description: 'Data row, 1-based, header not counted' }),
    line: Type.Optional(Type.Integer({ minimum: 1, description: 'CSV line where the record starts (header is line 1)' })),
    field: Type.String(),
    message: Type.String(),
  },
  { $id: 'CatalogueRowError' },
);
export type RowError = Static<typeof RowError>;

export const ImportSummary = Type.Object(
  {
    total: Type.Integer(),
    added: Type.Integer(),
    updated: Type.Integer(),
    unchanged: Type.Integer(),
    rejected: Type.Integer(),
    orgUnitsCreated: Type.Integer(),
  },
  { $id: 'CatalogueImportSummary' },
);
export type ImportSummary = Static<typeof ImportSummary>;

export const ImportResult = Type.Object(
  {
    dryRun: Type.Boolean(),
    /** False when nothing was written: a dry run, or an atomic import with rejected rows. */
    committed: Type.Boolean(),
    summary: ImportSummary,
    errors: Type.Array(RowError, { description: 'At most 1000, in row order' }),
    errorsTruncated: Type.Boolean(),
    /** Which file column went to which field, and the columns ignored. */
    columns: Type.Record(Type.String(), CatalogueField),
    ignoredColumns: Type.Array(Type.String()),
    createdOrgUnits: Type.Array(Type.String({ description: 'Path of each org unit created (or to be created)' })),
    seconds: Type.Number(),
  },
  { $id: 'CatalogueImportResult' },
);
export type ImportResult = Static<typeof ImportResult>;

export const ExportQuery = Type.Object(
  {
    format: Type.Optional(CatalogueFormat),
    orgUnitId: Type.Optional(Type.Integer({ minimum: 1, description: 'Only this unit and its subtree' })),
    network: Type.Optional(Type.String({ maxLength: 32 })),
  },
  { additionalProperties: false },
);
export type ExportQuery = Static<typeof ExportQuery>;

/** One exported row (the JSON export is an array of these; CSV has the same columns). Never a password. */
export const CatalogueRow = Type.Object(
  {
    externalId: Type.String(),
    name: Type.String(),
    network: Type.String(),
    orgUnitCode: Type.String(),
    orgUnitPath: Type.String(),
    lat: Type.Union([Type.Number(), Type.Null()]),
    lng: Type.Union([Type.Number(), Type.Null()]),
    address: Type.String(),
    rtspUrl: Type.String(),
    subStreamUrl: Type.String({ description: 'Sub-stream (子码流) RTSP URL, empty when none; never with credentials' }),
    onvifUrl: Type.String(),
    credentialRef: Type.String(),
    publicArea: Type.Boolean(),
    ptz: Type.Boolean(),
  },
  { $id: 'CatalogueRow' },
);
export type CatalogueRow = Static<typeof CatalogueRow>;

export const CredentialProfileBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 128 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type CredentialProfileBody = Static<typeof CredentialProfileBody>;

export const CredentialProfile = Type.Object(
  { name: Type.String(), createdAt: Type.String({ format: 'date-time' }), cameras: Type.Integer({ description: 'Cameras using it' }) },
  { $id: 'CredentialProfile' },
);
export type CredentialProfile = Static<typeof CredentialProfile>;

export const NameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 64, pattern: '^[^\\s/]+$' }) });

// ── RTSP cameras without ONVIF ─────────────────────────────────────────────────────────────────────────────

export const Credentials = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 128 }), password: Type.String({ maxLength: 256 }) },
  { additionalProperties: false },
);
export type Credentials = Static<typeof Credentials>;

export const RtspProbeBody = Type.Object(
  {
    url: Type.String({ minLength: 8, maxLength: 500, pattern: '^rtsps?://', description: 'rtsp://host[:port]/path; credentials go in `credentials`' }),
    credentials: Type.Optional(Credentials),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 500, maximum: 30_000, default: 5000 })),
  },
  { additionalProperties: false },
);
export type RtspProbeBody = Static<typeof RtspProbeBody>;

export const ProbeFailure = Type.Union(
  [Type.Literal('unauthorized'), Type.Literal('refused'), Type.Literal('timeout'), Type.Literal('unreachable'), Type.Literal('not-rtsp'), Type.Literal('not-found'), Type.Literal('bad-response'), Type.Literal('no-video')],
  { $id: 'RtspProbeFailure' },
);
export type ProbeFailure = Static<typeof ProbeFailure>;

export const RtspProbeResult = Type.Object(
  {
    ok: Type.Boolean(),
    /** Without credentials, always. */
    url: Type.String(),
    error: Type.Optional(ProbeFailure),
    message: Type.Optional(Type.String({ description: 'Human-readable reason when ok is false' })),
    status: Type.Optional(Type.Integer({ description: 'RTSP status code of the last response' })),
    auth: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('basic'), Type.Literal('digest')])),
    server: Type.Optional(Type.String()),
    video: Type.Optional(Type.Object({
      codec: Type.String({ description: 'h264, h265, or the SDP encoding name' }),
      width: Type.Union([Type.Integer(), Type.Null()]),
      height: Type.Union([Type.Integer(), Type.Null()]),
      fps: Type.Union([Type.Number(), Type.Null()]),
    })),
    audio: Type.Optional(Type.Union([Type.Object({
      codec: Type.String({ description: 'aac, pcma, pcmu, …' }),
      sampleRate: Type.Union([Type.Integer(), Type.Null()]),
      channels: Type.Union([Type.Integer(), Type.Null()]),
    }), Type.Null()])),
    ms: Type.Number(),
  },
  { $id: 'RtspProbeResult' },
);
export type RtspProbeResult = Static<typeof RtspProbeResult>;

export const RtspCameraBody = Type.Object(
  {
    url: RtspProbeBody.properties.url,
    subStreamUrl: Type.Optional(Type.String({
      minLength: 8, maxLength: 500, pattern: '^rtsps?://',
      description: 'The sub-stream (子码流), probed too unless skipProbe; no user:password@ in it (it uses `credentials`)',
    })),
    credentials: Type.Optional(Credentials),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    network: Type.String({ minLength: 1, maxLength: 32 }),
    orgUnitId: Id,
    externalId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Defaults to the host and path' })),
    address: Type.Optional(Type.String({ maxLength: 200 })),
    lat: Type.Optional(Type.Union([Type.Number({ minimum: -90, maximum: 90 }), Type.Null()])),
    lng: Type.Optional(Type.Union([Type.Number({ minimum: -180, maximum: 180 }), Type.Null()])),
    publicArea: Type.Optional(Type.Boolean()),
    /** Add even when the probe fails (camera not reachable yet); the probe result is returned either way. */
    skipProbe: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);
export type RtspCameraBody = Static<typeof RtspCameraBody>;

export const RtspCameraResult = Type.Object(
  {
    cameraId: Id,
    probe: Type.Union([RtspProbeResult, Type.Null()]),
    /** The sub-stream's probe, when one was given and probed (the main probe's fields that matter for it; a
     * second copy of RtspProbeResult would repeat its $id inside one response schema). */
    subProbe: Type.Optional(Type.Union([
      Type.Object({
        ok: Type.Boolean(),
        url: Type.String(),
        error: Type.Optional(Type.String()),
        message: Type.Optional(Type.String()),
        video: RtspProbeResult.properties.video,
      }),
      Type.Null(),
    ])),
  },
  { $id: 'RtspCameraResult' },
);
export type RtspCameraResult = Static<typeof RtspCameraResult>;

// ── ONVIF discovery jobs ───────────────────────────────────────────────────────────────────────────────────

export const DiscoveryJobBody = Type.Object(
  {
    mode: Type.Optional(Type.Union([Type.Literal('unicast'), Type.Literal('multicast')], { default: 'unicast' })),
    /** unicast: addresses and ranges, e.g. "10.1.2.3", "10.1.2.10-10.1.2.50", "10.1.3.0/28"; at most 4096 hosts. */
    targets: Type.Optional(Type.Array(Type.String({ minLength: 7, maxLength: 64 }), { maxItems: 256 })),
    /** multicast: the interface to probe on (name as in `ip link`). */
    interface: Type.Optional(Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_.:-]+$' })),
    credentials: Type.Optional(Credentials),
    /** Instead of credentials: a credential profile's name (PUT /api/catalogue/credentials/:name). */
    credentialRef: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[^\\s/]+$' })),
    /** Per-host wait for a ProbeMatch, and per ONVIF call. */
    timeoutMs: Type.Optional(Type.Integer({ minimum: 200, maximum: 30_000, default: 3000 })),
    concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 64, default: 16 })),
  },
  { additionalProperties: false },
);
export type DiscoveryJobBody = Static<typeof DiscoveryJobBody>;

export const DiscoveryJobState = Type.Union(
  [Type.Literal('running'), Type.Literal('done'), Type.Literal('failed'), Type.Literal('cancelled')],
  { $id: 'DiscoveryJobState' },
);
export type DiscoveryJobState = Static<typeof DiscoveryJobState>;

export const DiscoveryJob = Type.Object(
  {
    id: Id,
    mode: Type.Union([Type.Literal('unicast'), Type.Literal('multicast')]),
    state: DiscoveryJobState,
    /** Hosts probed so far and in all (multicast: 0/0 until the listening window ends). */
    probed: Type.Integer(),
    total: Type.Integer(),
    found: Type.Integer(),
    failed: Type.Integer(),
    orgUnitId: Id,
    createdBy: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    error: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'DiscoveryJob' },
);
export type DiscoveryJob = Static<typeof DiscoveryJob>;

export const DiscoveryFailure = Type.Union(
  [Type.Literal('timeout'), Type.Literal('not-authorized'), Type.Literal('not-onvif'), Type.Literal('bad-response'), Type.Literal('refused'), Type.Literal('unreachable')],
  { $id: 'DiscoveryFailure' },
);
export type DiscoveryFailure = Static<typeof DiscoveryFailure>;

export const DiscoveredProfile = Type.Object({
  token: Type.String(),
  name: Type.String(),
  encoding: Type.Union([Type.String(), Type.Null()]),
  width: Type.Union([Type.Integer(), Type.Null()]),
  height: Type.Union([Type.Integer(), Type.Null()]),
  fps: Type.Union([Type.Number(), Type.Null()]),
  audio: Type.Union([Type.String(), Type.Null()]),
});
export type DiscoveredProfile = Static<typeof DiscoveredProfile>;

export const DiscoveryResult = Type.Object(
  {
    id: Id,
    jobId: Id,
    address: Type.String({ description: 'Host the device answered from' }),
    /** WS-Discovery endpoint reference (urn:uuid:…), when it answered a probe. */
    endpointRef: Type.Union([Type.String(), Type.Null()]),
    xaddr: Type.Union([Type.String(), Type.Null()]),
    state: Type.Union([Type.Literal('found'), Type.Literal('failed'), Type.Literal('added')]),
    failure: Type.Union([DiscoveryFailure, Type.Null()]),
    message: Type.Union([Type.String(), Type.Null()]),
    manufacturer: Type.Union([Type.String(), Type.Null()]),
    model: Type.Union([Type.String(), Type.Null()]),
    firmware: Type.Union([Type.String(), Type.Null()]),
    serial: Type.Union([Type.String(), Type.Null()]),
    profiles: Type.Array(DiscoveredProfile),
    streamUri: Type.Union([Type.String(), Type.Null()]),
    subStreamUri: Type.Union([Type.String(), Type.Null()], {
      description: 'Sub-stream (子码流): the stream URI of a second, smaller profile; stored as the camera\'s sub-stream when added. Never with credentials',
    }),
    snapshotUri: Type.Union([Type.String(), Type.Null()]),
    ptz: Type.Boolean(),
    /** The catalogue camera this device already is (matched on serial or endpoint), if any. */
    cameraId: Type.Union([Id, Type.Null()]),
    suggestedName: Type.String(),
  },
  { $id: 'DiscoveryResult' },
);
export type DiscoveryResult = Static<typeof DiscoveryResult>;

export const DiscoveryJobDetail = Type.Object({ job: DiscoveryJob, results: Type.Array(DiscoveryResult) }, { $id: 'DiscoveryJobDetail' });
export type DiscoveryJobDetail = Static<typeof DiscoveryJobDetail>;

export const DiscoveryAddBody = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          resultId: Id,
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          network: Type.String({ minLength: 1, maxLength: 32 }),
          orgUnitId: Id,
          externalId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Defaults to the device serial' })),
          publicArea: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 1000 },
    ),
  },
  { additionalProperties: false },
);
export type DiscoveryAddBody = Static<typeof DiscoveryAddBody>;

export const DiscoveryAddResult = Type.Object(
  {
    added: Type.Array(Type.Object({ resultId: Id, cameraId: Id })),
    updated: Type.Array(Type.Object({ resultId: Id, cameraId: Id })),
  },
  { $id: 'DiscoveryAddResult' },
);
export type DiscoveryAddResult = Static<typeof DiscoveryAddResult>;

export const JobParams = Type.Object({ jobId: Type.Integer({ minimum: 1 }) });

// ── Health ─────────────────────────────────────────────────────────────────────────────────────────────────

export const OnlineRate = Type.Object({
  key: Type.String({ description: 'Network key, or org unit id as text' }),
  name: Type.String(),
  total: Type.Integer(),
  online: Type.Integer(),
  offline: Type.Integer(),
  unknown: Type.Integer(),
  rate: Type.Number({ description: 'online / (online + offline); 0 when nothing was checked' }),
});
export type OnlineRate = Static<typeof OnlineRate>;

export const OnlineRates = Type.Object(
  {
    orgUnitId: Id,
    byNetwork: Type.Array(OnlineRate),
    byTownship: Type.Array(OnlineRate, { description: 'Children of the scope root (townships for the county)' }),
    checker: Type.Object({
      enabled: Type.Boolean(),
      cycleMinutes: Type.Number(),
      concurrency: Type.Integer(),
      checked: Type.Integer({ description: 'Checks done since start' }),
      lastCycleSec: Type.Union([Type.Number(), Type.Null()]),
    }),
  },
  { $id: 'OnlineRates' },
);
export type OnlineRates = Static<typeof OnlineRates>;

export const HealthQuery = Type.Object(
  { orgUnitId: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false },
);

export const CheckResult = Type.Object(
  {
    cameraId: Id,
    status: CameraStatus,
    reason: Type.Union([Type.String(), Type.Null()]),
    changed: Type.Boolean(),
    method: Type.Union([Type.Literal('rtsp-options'), Type.Literal('onvif-time')]),
    ms: Type.Number(),
  },
  { $id: 'HealthCheckResult' },
);
export type CheckResult = Static<typeof CheckResult>;
