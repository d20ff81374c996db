// 移动视频 push devices (RTMP publishers): admin API contracts.
import { Type, type Static } from 'typebox';

export const NewPushDevice = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  orgUnitId: Type.Integer({ minimum: 1 }),
  publicArea: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
export type NewPushDevice = Static<typeof NewPushDevice>;

export const PushDevice = Type.Object({
  cameraId: Type.Integer(),
  name: Type.String(),
  orgUnitId: Type.Integer(),
  orgUnitName: Type.String(),
  /** When the current key was made or rotated. */
  keyIssuedAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  publishing: Type.Boolean(),
});
export type PushDevice = Static<typeof PushDevice>;

/** Shown once, when a key is made or rotated: the key and the full URL to publish to. Never retrievable again. */
export const IssuedPushKey = Type.Object({
  cameraId: Type.Integer(),
  streamKey: Type.String(),
  rtmpUrl: Type.String(),
});
export type IssuedPushKey = Static<typeof IssuedPushKey>;
