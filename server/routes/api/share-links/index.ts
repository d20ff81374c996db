// Staff side of resident links: make one (shown once, with its QR code), list them, revoke with one click.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import QRCode from 'qrcode';
import { Type } from 'typebox';
import { ErrorBody, IdParams } from '../../../contracts/api';
import { CreatedShareLink, NewShareLink, ShareLink, ShareLinkQuery } from '../../../contracts/share';
import { currentUser } from '../../../plugins/auth';

const MAKERS = ['admin', 'county_operator', 'township_officer'] as const;

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/', {
    config: { roles: [...MAKERS] },
    schema: {
      tags: ['share'], summary: 'Create a resident link for a compound’s public-area cameras', body: NewShareLink,
      response: { 201: CreatedShareLink, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => {
    const { link, token } = await app.share.create(currentUser(request), request.body, request.ip);
    const url = `${request.protocol}://${request.host}/r/${token}`;
    const qrSvg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return reply.status(201).send({ link, url, qrSvg });
  });

  app.get('/', {
    schema: { tags: ['share'], summary: 'Resident links in your area', querystring: ShareLinkQuery, response: { 200: Type.Array(ShareLink), 401: ErrorBody, 404: ErrorBody } },
  }, async (request) => app.share.list(currentUser(request), request.query.orgUnitId));

  app.post('/:id/revoke', {
    config: { roles: [...MAKERS] },
    schema: { tags: ['share'], summary: 'Revoke a link: every viewer stops within a second', params: IdParams, response: { 200: ShareLink, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (request) => app.share.revoke(currentUser(request), request.params.id, request.ip));
};

export default routes;
