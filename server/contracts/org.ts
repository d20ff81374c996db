// Request shapes of the org tree's administration (组织机构, issue #16): create, rename, move, delete. The unit
// itself (OrgUnit, with its counts) is in api.ts, beside the lazy tree that reads it.
import { Type, type Static } from 'typebox';
import { ORG_CODE_PATTERN, ORG_NAME_EN_MAX, ORG_NAME_MAX, ORG_NAME_PATTERN } from '../domain/org-rules';
import { Id } from './api';

const Name = Type.String({
  minLength: 1, maxLength: ORG_NAME_MAX, pattern: ORG_NAME_PATTERN,
  description: 'Chinese name, unique among its siblings (the catalogue import finds units by their name path); no "/"',
});
const NameEn = Type.Union([Type.String({ maxLength: ORG_NAME_EN_MAX, pattern: '^[^/\\u0000-\\u001f\\u007f]*$' }), Type.Null()], {
  description: 'English name for the English UI; null or empty clears it (the Chinese name is shown instead); no "/"',
});
const CODE = { pattern: ORG_CODE_PATTERN, description: 'Unit code, unique in the county (e.g. 行政区划代码 339901002)' };

export const OrgUnitCreateBody = Type.Object(
  {
    parentId: Id,
    name: Name,
    nameEn: Type.Optional(NameEn),
    code: Type.Optional(Type.String({ ...CODE, description: `${CODE.description}; omit: the parent’s code plus the next three-digit sequence` })),
  },
  { additionalProperties: false },
);
export type OrgUnitCreateBody = Static<typeof OrgUnitCreateBody>;

export const OrgUnitUpdateBody = Type.Object(
  { name: Type.Optional(Name), nameEn: Type.Optional(NameEn), code: Type.Optional(Type.String(CODE)) },
  { additionalProperties: false, minProperties: 1 },
);
export type OrgUnitUpdateBody = Static<typeof OrgUnitUpdateBody>;

export const OrgUnitMoveBody = Type.Object(
  { parentId: Type.Integer({ minimum: 1, description: 'The new parent: a unit of the level right above this one, inside your area' }) },
  { additionalProperties: false },
);
export type OrgUnitMoveBody = Static<typeof OrgUnitMoveBody>;
