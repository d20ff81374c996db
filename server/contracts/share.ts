// Resident share links: staff create, list and revoke them; residents open them and watch.
import { Type, type Static } from 'typebox';
import {
  DEFAULT_MAX_VIEWERS, HHMM_PATTERN, MAX_DEVICES_LIMIT, MAX_EXPIRY_HOURS, MAX_LABEL_LENGTH, MAX_LINK_CAMERAS, MAX_RESIDENT_NOTE_LENGTH,
  MAX_REWIND_MINUTES, MAX_VIEWERS_LIMIT, MIN_EXPIRY_HOURS,
} from '../domain/share-policy';

const HHMM = Type.String({ pattern: HHMM_PATTERN, description: 'HH:MM, China time' });

export const NewShareLink = Type.Object(
  {
    orgUnitId: Type.Integer({ minimum: 1, description: 'The compound (or other unit) whose cameras are shared' }),
    label: Type.String({ minLength: 1, maxLength: MAX_LABEL_LENGTH }),
    cameraIds: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: MAX_LINK_CAMERAS, description: 'Default: every public-area camera of the unit' }),
    ),
    expiresInHours: Type.Number({ minimum: MIN_EXPIRY_HOURS, maximum: MAX_EXPIRY_HOURS }),
    dailyWindow: Type.Optional(Type.Object({ start: HHMM, end: HHMM }, { additionalProperties: false })),
    maxDevices: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_DEVICES_LIMIT })),
    maxViewers: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_VIEWERS_LIMIT, default: DEFAULT_MAX_VIEWERS, description: 'Concurrent resident viewers' })),
    rewindMinutes: Type.Optional(Type.Integer({
      minimum: 0, maximum: MAX_REWIND_MINUTES, default: 0,
      description: 'Rewind (回看) residents may play, minutes back from now, never before the link was made or today\'s window opened; 0 (default): live only',
    })),
  },
  { additionalProperties: false },
);
export type NewShareLink = Static<typeof NewShareLink>;

export const ShareLinkState = Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('revoked'), Type.Literal('outside-window')]);

export const ShareLink = Type.Object(
  {
    id: Type.Integer(),
    orgUnitId: Type.Integer(),
    orgUnitName: Type.String(),
    label: Type.String(),
    cameraCount: Type.Integer(),
    expiresAt: Type.String({ format: 'date-time' }),
    dailyWindow: Type.Union([Type.Object({ start: Type.String(), end: Type.String() }), Type.Null()]),
    maxDevices: Type.Union([Type.Integer(), Type.Null()]),
    maxViewers: Type.Integer(),
    rewindMinutes: Type.Integer(),
    state: ShareLinkState,
    devices: Type.Integer({ description: 'Distinct devices that opened the link' }),
    activeViewers: Type.Integer(),
    createdBy: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'ShareLink' },
);
export type ShareLink = Static<typeof ShareLink>;

export const CreatedShareLink = Type.Object({
  link: ShareLink,
  /** Shown once: only a hash is stored, so a lost link is replaced, not recovered. */
  url: Type.String(),
  qrSvg: Type.String({ description: 'The URL as a QR code, SVG markup' }),
});
export type CreatedShareLink = Static<typeof CreatedShareLink>;

export const ShareLinkQuery = Type.Object({ orgUnitId: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false });

export const OpenShare = Type.Object(
  {
    token: Type.String({ minLength: 20, maxLength: 100 }),
    device: Type.String({ minLength: 8, maxLength: 200, description: 'A random id the page keeps in localStorage' }),
  },
  { additionalProperties: false },
);
export type OpenShare = Static<typeof OpenShare>;

export const ResidentCamera = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  playlistUrl: Type.String(),
  snapshotUrl: Type.String({ description: 'A JPEG thumbnail of the camera now (same viewer token)' }),
  /** Only when the link allows rewind: the VOD playlist of the camera's recent past, add `from`/`to` (ISO 8601). */
  rewindUrl: Type.Optional(Type.String()),
});

export const ResidentView = Type.Object(
  {
    label: Type.String(),
    unitName: Type.String(),
    expiresAt: Type.String({ format: 'date-time' }),
    /** Minutes of rewind the link allows (0: live only); the server clips every request to its own window. */
    rewindMinutes: Type.Integer(),
    viewerToken: Type.String(),
    cameras: Type.Array(ResidentCamera),
    reportCategories: Type.Array(Type.Object({ key: Type.String(), name: Type.String(), nameEn: Type.String() }), {
      description: '随手拍: the short list of categories a resident may report',
    }),
  },
  { $id: 'ResidentView' },
);
export type ResidentView = Static<typeof ResidentView>;

export const ViewerQuery = Type.Object({ v: Type.String({ minLength: 10, maxLength: 300 }) }, { additionalProperties: false });
/** The same, answered 401 by the route when absent (rather than 400) like every other resident URL. */
export const OptionalViewerQuery = Type.Object({ v: Type.Optional(Type.String({ minLength: 10, maxLength: 300 })) }, { additionalProperties: false });

/** A resident's rewind playlist: the range asked (clipped by the server to what the link allows) and the token.
 * Optional in the schema so that a missing token answers 401 before anything else (the route checks `from`/`to`). */
export const ResidentRewindQuery = Type.Object({
  v: Type.Optional(Type.String({ minLength: 10, maxLength: 300 })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
}, { additionalProperties: false });
export type ResidentRewindQuery = Static<typeof ResidentRewindQuery>;

// ---- 随手拍: a resident reports a problem on one of the link's cameras -------------------------------------------

export const ResidentReportCreate = Type.Object(
  {
    cameraId: Type.Integer({ minimum: 1, description: 'One of the link’s cameras; the server attaches its current frame' }),
    category: Type.String({ minLength: 1, maxLength: 32, description: 'A key from ResidentView.reportCategories' }),
    note: Type.Optional(Type.String({ maxLength: MAX_RESIDENT_NOTE_LENGTH })),
  },
  { additionalProperties: false },
);
export type ResidentReportCreate = Static<typeof ResidentReportCreate>;

/** What a resident is told about their own report: nothing beyond received / handled. */
export const ResidentReport = Type.Object(
  {
    id: Type.Integer(),
    cameraId: Type.Integer(),
    cameraName: Type.String(),
    category: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    status: Type.Union([Type.Literal('received'), Type.Literal('handled')], { description: '已受理 received · 已处理 handled' }),
  },
  { $id: 'ResidentReport' },
);
export type ResidentReport = Static<typeof ResidentReport>;

export const ResidentReportList = Type.Object({ items: Type.Array(ResidentReport) }, { $id: 'ResidentReportList' });
export type ResidentReportList = Static<typeof ResidentReportList>;
