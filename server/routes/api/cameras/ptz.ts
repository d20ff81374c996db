// PTZ (云台) routes under /api/cameras/:id/ptz: lock state, take/release, move, stop, presets, home. Any staff member
// who can see the camera may steer it (404 outside the area; residents have no session and get 401); cameras
// without PTZ answer 409. The use cases, the lock and the watchdog are in server/ptz/service.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody, IdParams } from '../../../contracts/api';
import { PtzLockBody, PtzLockState, PtzMoveBody, PtzPreset, PtzPresetBody, PtzPresetParams, PtzTour, PtzTourBody } from '../../../contracts/ptz';
import { currentUser } from '../../../plugins/auth';

const STEER = { roles: ['admin' as const, 'county_operator' as const, 'township_officer' as const, 'village_officer' as const] };
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 502: ErrorBody, 504: ErrorBody };
const tags = ['ptz'];

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/:id/ptz', {
    config: STEER,
    schema: { tags, summary: 'Who steers the camera now (no camera request)', params: IdParams, response: { 200: PtzLockState, ...errors } },
  }, async (request) => app.ptz.lockState(currentUser(request), request.params.id));

  app.post('/:id/ptz/lock', {
    config: STEER,
    schema: {
      tags, summary: 'Take the control lock; `takeOver` takes it from a lower level (the holder is told who)',
      params: IdParams, body: PtzLockBody, response: { 200: PtzLockState, ...errors },
    },
  }, async (request) => app.ptz.take(currentUser(request), request.params.id, request.body?.takeOver === true, request.ip));

  app.delete('/:id/ptz/lock', {
    config: STEER,
    schema: { tags, summary: 'Give the control lock back (stops the camera if it moves)', params: IdParams, response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    await app.ptz.release(currentUser(request), request.params.id, request.ip);
    return reply.status(204).send(null);
  });

  app.post('/:id/ptz/move', {
    config: STEER,
    schema: {
      tags, summary: 'Continuous move at the given velocities; repeat at least every second while held (the server stops a silent move after 1 s)',
      params: IdParams, body: PtzMoveBody, response: { 200: PtzLockState, ...errors },
    },
  }, async (request) => app.ptz.move(currentUser(request), request.params.id, request.body, request.ip));

  app.post('/:id/ptz/stop', {
    config: STEER,
    schema: { tags, summary: 'Stop pan, tilt and zoom', params: IdParams, response: { 200: PtzLockState, ...errors } },
  }, async (request) => app.ptz.stop(currentUser(request), request.params.id, request.ip));

  app.post('/:id/ptz/home', {
    config: STEER,
    schema: { tags, summary: 'Go to the home position', params: IdParams, response: { 200: PtzLockState, ...errors } },
  }, async (request) => app.ptz.home(currentUser(request), request.params.id, request.ip));

  app.get('/:id/ptz/presets', {
    config: STEER,
    schema: { tags, summary: 'The camera’s presets (预置位)', params: IdParams, response: { 200: Type.Array(PtzPreset), ...errors } },
  }, async (request) => app.ptz.presets(currentUser(request), request.params.id));

  app.post('/:id/ptz/presets', {
    config: STEER,
    schema: {
      tags, summary: 'Save the current position as a new preset', params: IdParams, body: PtzPresetBody, response: { 201: PtzPreset, ...errors },
    },
  }, async (request, reply) => reply.status(201).send(await app.ptz.savePreset(currentUser(request), request.params.id, request.body.name, request.ip)));

  app.post('/:id/ptz/presets/:token/goto', {
    config: STEER,
    schema: { tags, summary: 'Go to a preset', params: PtzPresetParams, response: { 200: PtzLockState, ...errors } },
  }, async (request) => app.ptz.gotoPreset(currentUser(request), request.params.id, request.params.token, request.ip));

  app.delete('/:id/ptz/presets/:token', {
    config: STEER,
    schema: { tags, summary: 'Delete a preset', params: PtzPresetParams, response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    await app.ptz.deletePreset(currentUser(request), request.params.id, request.params.token, request.ip);
    return reply.status(204).send(null);
  });

  app.get('/:id/ptz/tour', {
    config: STEER,
    schema: { tags, summary: 'The camera’s preset tour (巡航), 404 when it has none', params: IdParams, response: { 200: PtzTour, ...errors } },
  }, async (request) => app.ptz.tour(currentUser(request), request.params.id));

  app.put('/:id/ptz/tour', {
    config: STEER,
    schema: {
      tags, summary: 'Save the preset tour: presets in order with dwell times, run while nobody steers the camera',
      params: IdParams, body: PtzTourBody, response: { 200: PtzTour, ...errors },
    },
  }, async (request) => app.ptz.saveTour(currentUser(request), request.params.id, request.body, request.ip));

  app.delete('/:id/ptz/tour', {
    config: STEER,
    schema: { tags, summary: 'Delete the preset tour', params: IdParams, response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    await app.ptz.deleteTour(currentUser(request), request.params.id, request.ip);
    return reply.status(204).send(null);
  });
};

export default routes;
