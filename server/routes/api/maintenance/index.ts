// 运维工单: maintenance tickets in your area (list, one, open for 画面异常, act), and who maintains each network.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody, IdParams } from '../../../contracts/api';
import {
  Maintainer, MaintainerBody, NetworkParams, Ticket, TicketActionBody, TicketList, TicketOpenBody, TicketQuery,
} from '../../../contracts/maintenance';
import { currentUser } from '../../../plugins/auth';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/tickets', {
    schema: {
      tags: ['maintenance'], summary: 'Maintenance tickets of cameras in your area, open ones first, newest first',
      querystring: TicketQuery, response: { 200: TicketList, 401: ErrorBody },
    },
  }, async (request) => app.maintenance.list(currentUser(request), request.query));

  app.get('/tickets/:id', {
    schema: { tags: ['maintenance'], summary: 'One ticket', params: IdParams, response: { 200: Ticket, 401: ErrorBody, 404: ErrorBody } },
  }, async (request) => app.maintenance.get(currentUser(request), request.params.id));

  app.post('/tickets', {
    config: { roles: ['admin', 'county_operator', 'township_officer', 'village_officer'] },
    schema: {
      tags: ['maintenance'], summary: '画面异常: open a ticket for a camera you can see (or get the one already open)',
      body: TicketOpenBody, response: { 200: Type.Object({ ticket: Ticket, created: Type.Boolean() }), 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => app.maintenance.openByUser(currentUser(request), request.body.cameraId, request.body.note, request.ip));

  app.post('/tickets/:id/actions', {
    config: { roles: ['admin', 'county_operator', 'township_officer'] },
    schema: {
      tags: ['maintenance'], summary: 'start (开始维修), fixed (报修复: checked now, an outage ticket ends only if the camera answers), close (关闭, centre, with a note)',
      params: IdParams, body: TicketActionBody, response: { 200: Ticket, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request) => app.maintenance.act(currentUser(request), request.params.id, request.body, request.ip));

  app.get('/maintainers', {
    schema: { tags: ['maintenance'], summary: 'The maintenance unit and contact of each network', response: { 200: Type.Array(Maintainer), 401: ErrorBody } },
  }, async () => app.maintenance.maintainers());

  app.put('/maintainers/:network', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['maintenance'], summary: "Set a network's maintenance unit and contact (new tickets go there)",
      params: NetworkParams, body: MaintainerBody, response: { 200: Maintainer, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => app.maintenance.setMaintainer(currentUser(request), request.params.network, request.body, request.ip));
};

export default routes;
