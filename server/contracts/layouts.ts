// Saved wall layouts: one schema per shape for validation, types and OpenAPI.
import { Type, type Static } from 'typebox';

export const WallLayoutKind = Type.Union([Type.Literal('1'), Type.Literal('4'), Type.Literal('9'), Type.Literal('16'), Type.Literal('1+5')]);
export type WallLayoutKind = Static<typeof WallLayoutKind>;

/** How many tiles each layout has: a layout's camera list may not be longer. */
export const TILE_COUNT: Record<WallLayoutKind, number> = { '1': 1, '4': 4, '9': 9, '16': 16, '1+5': 6 };

const TileCameras = Type.Array(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]), {
  maxItems: 16,
  description: 'One camera id (or null for an empty tile) per tile, in tile order',
});

export const SavedLayout = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    layout: WallLayoutKind,
    cameraIds: TileCameras,
    isDefault: Type.Boolean(),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'SavedLayout' },
);
export type SavedLayout = Static<typeof SavedLayout>;

export const NewLayout = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 50 }),
    layout: WallLayoutKind,
    cameraIds: TileCameras,
    isDefault: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type NewLayout = Static<typeof NewLayout>;

export const LayoutChange = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    layout: Type.Optional(WallLayoutKind),
    cameraIds: Type.Optional(TileCameras),
    isDefault: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type LayoutChange = Static<typeof LayoutChange>;
