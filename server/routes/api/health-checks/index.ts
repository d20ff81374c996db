// Camera health: online rates per network and per child unit (townships, for the county), and a check on demand.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, IdParams } from '../../../contracts/api';
import { CheckResult, HealthQuery, OnlineRates } from '../../../contracts/catalogue';
import { checkCamera } from '../../../discovery/health/checker';
import { visibleUnit } from '../../../org/visible-unit';
import { currentUser } from '../../../plugins/auth';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/rates', {
    schema: {
      tags: ['health'], summary: 'Online rate per network and per child unit, in your area (or a unit of it)',
      querystring: HealthQuery, response: { 200: OnlineRates, 401: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const user = currentUser(request);
    const unit = await visibleUnit(app.repos.orgUnits, user.scopePath, request.query.orgUnitId ?? user.orgUnitId);
    const { health } = app.config;
    const checker = app.healthChecker;
    return {
      orgUnitId: unit.id,
      byNetwork: await app.repos.health.byNetwork(unit.path),
      byTownship: await app.repos.health.byChild(unit.id),
      checker: {
        enabled: !!checker, cycleMinutes: health.cycleMinutes, concurrency: health.concurrency,
        checked: checker?.checked ?? 0, lastCycleSec: checker?.lastCycleSec ?? null,
      },
    };
  });

  app.post('/cameras/:id', {
    config: { roles: ['admin', 'county_operator', 'township_officer', 'village_officer'] },
    schema: {
      tags: ['health'], summary: 'Check one camera now (RTSP OPTIONS or ONVIF GetSystemDateAndTime); the status is stored and pushed',
      params: IdParams, response: { 200: CheckResult, 401: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const user = currentUser(request);
    const camera = await app.cameras.visible(user.scopePath, request.params.id);
    const [target] = await app.repos.health.page(camera.id - 1, 1);
    const t0 = performance.now();
    const outcome = await checkCamera(target, app.config.health.timeoutMs);
    const changed = await app.cameras.recordStatus(camera.id, outcome.status, outcome.reason);
    return { cameraId: camera.id, status: outcome.status, reason: outcome.reason, changed, method: outcome.method, ms: Math.round(performance.now() - t0) };
  });
};

export default routes;
