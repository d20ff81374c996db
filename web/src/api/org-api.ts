// Endpoints of the 组织机构 view (administrators): create, rename, move, delete org units. The tree itself is read
// through api.orgUnits (http.ts), as everywhere else.
import type { OrgUnit } from '../../../server/contracts/api';
import type { OrgUnitCreateBody, OrgUnitUpdateBody } from '../../../server/contracts/org';
import { request } from './http';

export const orgApi = {
  create: (body: OrgUnitCreateBody) => request<OrgUnit>('POST', '/api/org/units', { body }),
  update: (id: number, body: OrgUnitUpdateBody) => request<OrgUnit>('PATCH', `/api/org/units/${id}`, { body }),
  move: (id: number, parentId: number) => request<OrgUnit>('POST', `/api/org/units/${id}/move`, { body: { parentId } }),
  remove: (id: number) => request<void>('DELETE', `/api/org/units/${id}`),
};
