// 电子地图: cameras, dangers and unit boundaries in view, search, the page's configuration, offline layers, and
// placing a camera (admin). Thin: the use cases are in server/map/service.ts; every answer stays in your area.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody, IdParams } from '../../../contracts/api';
import {
  MapCameraQuery, MapCameras, MapConfig, MapDangerQuery, MapDangers, MapSearch, MapSearchQuery, MapUnits, MapUnitsQuery, PlaceCameraBody,
} from '../../../contracts/map';
import { NotFoundError } from '../../../errors';
import { currentUser } from '../../../plugins/auth';

const ADMIN = { roles: ['admin' as const] };

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/config', {
    schema: { tags: ['map'], summary: 'Base map, coordinate system, offline layers and your area’s extent', response: { 200: MapConfig, 401: ErrorBody } },
  }, async (request) => app.map.config(currentUser(request)));

  app.get('/cameras', {
    schema: {
      tags: ['map'], summary: 'Cameras in a box of your area: grid clusters below the point zoom, points (id, name, network, status) above',
      querystring: MapCameraQuery, response: { 200: MapCameras, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => app.map.cameras(currentUser(request).scopePath, request.query));

  app.get('/dangers', {
    schema: {
      tags: ['map'], summary: 'Hidden dangers located in a box of your area (open ones by default), over a date range',
      querystring: MapDangerQuery, response: { 200: MapDangers, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => app.map.dangers(currentUser(request).scopePath, request.query));

  app.get('/units', {
    schema: {
      tags: ['map'], summary: 'A unit’s children with boundaries (GeoJSON) and counts: cameras, online, open dangers',
      querystring: MapUnitsQuery, response: { 200: MapUnits, 401: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => app.map.units(currentUser(request), request.query.parentId));

  app.get('/search', {
    schema: {
      tags: ['map'], summary: 'Cameras, units and dangers of your area matching a text, with where to fly to',
      querystring: MapSearchQuery, response: { 200: MapSearch, 400: ErrorBody, 401: ErrorBody },
    },
  }, async (request) => app.map.search(currentUser(request).scopePath, request.query.q));

  app.get('/layers/:key', {
    schema: {
      tags: ['map'], summary: 'An offline base-map layer (roads, water) as a GeoJSON FeatureCollection',
      params: Type.Object({ key: Type.String({ pattern: '^[a-z][a-z0-9-]{0,31}$' }) }, { additionalProperties: false }),
      response: { 200: Type.String({ description: 'application/geo+json, sent as stored' }), 401: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => {
    const geojson = await app.map.layer(request.params.key);
    if (geojson === undefined) throw new NotFoundError(`Map layer ${request.params.key}`, 'key');
    return reply.type('application/geo+json; charset=utf-8').header('cache-control', 'private, max-age=300').send(geojson);
  });

  app.get('/tiles/:z/:x/:y', {
    schema: {
      tags: ['map'], summary: 'A base-map tile from the gateway’s PMTiles archive (config map.baseMap "pmtiles")',
      params: Type.Object({
        z: Type.Integer({ minimum: 0, maximum: 26 }), x: Type.Integer({ minimum: 0 }), y: Type.Integer({ minimum: 0 }),
      }, { additionalProperties: false }),
      response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'the tile image as stored (png, jpeg, webp or avif)' }), 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => {
    const { z, x, y } = request.params;
    const tile = await app.map.tile(z, x, y);
    // No tile there (or no archive): 404, which Leaflet leaves blank.
    if (!tile) throw new NotFoundError(`Tile ${z}/${x}/${y}`, 'z');
    return reply.type(tile.mime).header('cache-control', 'private, max-age=86400').send(tile.data);
  });

  app.put('/cameras/:id/place', {
    config: ADMIN,
    schema: {
      tags: ['map'], summary: 'Put a camera at a point on the map (WGS-84); audited as camera.place',
      params: IdParams, body: PlaceCameraBody, response: { 204: Type.Null(), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => {
    await app.map.place(currentUser(request), request.params.id, request.body, request.ip);
    return reply.status(204).send(null);
  });
};

export default routes;
