// PTZ (云台) control: one schema per shape for validation, types and OpenAPI. Limits come from the pure lock rule.
import { Type, type Static } from 'typebox';
import { PRESET_NAME_MAX, TOUR_DWELL_MAX_SEC, TOUR_DWELL_MIN_SEC, TOUR_STEPS_MAX, VELOCITY_MAX } from '../domain/ptz-lock';

const Speed = (what: string) => Type.Number({ minimum: -VELOCITY_MAX, maximum: VELOCITY_MAX, description: `${what} velocity, -1…1 (ONVIF generic space)` });

export const PtzMoveBody = Type.Object(
  { pan: Speed('Pan (right +)'), tilt: Speed('Tilt (up +)'), zoom: Speed('Zoom (in +)') },
  { additionalProperties: false },
);
export type PtzMoveBody = Static<typeof PtzMoveBody>;

export const PtzLockBody = Type.Object(
  { takeOver: Type.Optional(Type.Boolean({ description: 'Take the camera from a lower level holding it' })) },
  { additionalProperties: false },
);
export type PtzLockBody = Static<typeof PtzLockBody>;

export const PtzLevel = Type.Union([Type.Literal('county'), Type.Literal('township'), Type.Literal('village')]);

export const PtzHolderInfo = Type.Object({
  userId: Type.Integer(),
  name: Type.String(),
  level: PtzLevel,
  since: Type.String({ format: 'date-time' }),
  /** When the lock frees if nothing more is sent. */
  expiresAt: Type.String({ format: 'date-time' }),
});
export type PtzHolderInfo = Static<typeof PtzHolderInfo>;

export const PtzLockState = Type.Object(
  {
    cameraId: Type.Integer(),
    holder: Type.Union([PtzHolderInfo, Type.Null()]),
    /** Whether the caller holds it, and whether the caller may take it over (a higher level). */
    mine: Type.Boolean(),
    canTakeOver: Type.Boolean(),
  },
  { $id: 'PtzLockState' },
);
export type PtzLockState = Static<typeof PtzLockState>;

export const PtzPreset = Type.Object({ token: Type.String(), name: Type.String() }, { $id: 'PtzPreset' });
export type PtzPreset = Static<typeof PtzPreset>;

export const PtzPresetBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: PRESET_NAME_MAX, pattern: '\\S' }) },
  { additionalProperties: false },
);
export type PtzPresetBody = Static<typeof PtzPresetBody>;

export const PtzPresetParams = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  token: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' }),
});
export type PtzPresetParams = Static<typeof PtzPresetParams>;

export const PtzTourStep = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' }),
    dwellSec: Type.Integer({ minimum: TOUR_DWELL_MIN_SEC, maximum: TOUR_DWELL_MAX_SEC }),
  },
  { additionalProperties: false },
);
export type PtzTourStep = Static<typeof PtzTourStep>;

/** 巡航: the camera's presets in order with a dwell time each, run by the server while nobody steers the camera. */
export const PtzTourBody = Type.Object(
  { steps: Type.Array(PtzTourStep, { minItems: 1, maxItems: TOUR_STEPS_MAX }), enabled: Type.Boolean() },
  { additionalProperties: false },
);
export type PtzTourBody = Static<typeof PtzTourBody>;

export const PtzTour = Type.Object(
  {
    cameraId: Type.Integer(),
    steps: Type.Array(PtzTourStep),
    enabled: Type.Boolean(),
    updatedBy: Type.String(),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'PtzTour' },
);
export type PtzTour = Static<typeof PtzTour>;
