// The whole console as one Fastify plugin: server.ts adds a logger and listens, tests build it and inject.
import helmet from '@fastify/helmet';
import rateLimit, { type RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from './config';
import { validatorCompiler } from './validation';
import { throttleStore, type SharedCounter } from './security/throttle-store';
import auth from './plugins/auth';
import cameras from './plugins/cameras';
import cluster from './plugins/cluster';
import database from './plugins/database';
import demo from './plugins/demo';
import discovery from './plugins/discovery';
import dispatch from './plugins/dispatch';
import ptz from './plugins/ptz';
import webrtc from './plugins/webrtc';
import map from './plugins/map';
import docs from './plugins/docs';
import media from './plugins/media';
import relayRouter from './plugins/relay-router';
import transcodes from './plugins/transcodes';
import recording from './plugins/recording';
import errors from './plugins/errors';
import health from './plugins/health';
import maintenance from './plugins/maintenance';
import org from './plugins/org';
import patrol from './plugins/patrol';
import realtime from './plugins/realtime';
import backup from './plugins/backup';
import setup from './plugins/setup';
import users from './plugins/users';
import web from './plugins/web';
import accountRoutes from './routes/api/account';
import mapRoutes from './routes/api/map';
import auditRoutes from './routes/api/audit';
import authRoutes from './routes/api/auth';
import cameraRoutes from './routes/api/cameras';
import discoveryRoutes from './routes/api/discovery';
import healthCheckRoutes from './routes/api/health-checks';
import maintenanceRoutes from './routes/api/maintenance';
import catalogueRoutes from './routes/api/catalogue';
import dangerRoutes from './routes/api/dangers';
import dispatchRoutes from './routes/api/dispatch';
import liveApiRoutes from './routes/api/live';
import orgRoutes from './routes/api/org';
import patrolRoutes from './routes/api/patrol';
import statsRoutes from './routes/api/stats';
import systemRoutes from './routes/api/system';
import liveRoutes from './routes/live';
import playbackRoutes from './routes/playback';
import internalRoutes from './routes/internal';
import recordingRoutes from './routes/api/recordings';
import layoutRoutes from './routes/api/layouts';
import shareLinkRoutes from './routes/api/share-links';
import pushDeviceRoutes from './routes/api/push-devices';
import shareRoutes from './routes/api/share';
import setupRoutes from './routes/api/setup';
import userRoutes from './routes/api/users';
import share from './plugins/share';
import push from './plugins/push';
import residentReports from './plugins/resident-reports';
import snapshots from './plugins/snapshots';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
  }
}

export interface AppOptions {
  config: Config;
}

export default async function app(fastify: FastifyInstance, { config }: AppOptions) {
  fastify.setValidatorCompiler(validatorCompiler);
  await fastify.register(fp(async (f) => {
    f.decorate('config', config);
  }, { name: 'config' }));
  await fastify.register(errors);
  await fastify.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        // The map's intranet tile server, when one is configured (config map.baseMap 'xyz'); nothing else.
        imgSrc: ["'self'", 'data:', 'blob:', ...tileSources(config.map)],
        // hls.js feeds MediaSource through blob: URLs and may run its transmuxer in a blob: worker.
        mediaSrc: ["'self'", 'blob:'],
        workerSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
    // HSTS only when the console is served over HTTPS (session.secureCookie says so). Behind a TLS proxy that passes
    // it on, an unasked-for HSTS pins the host name to HTTPS for a year; includeSubDomains would also pin sibling
    // systems on the county LAN that are plain HTTP.
    hsts: config.session.secureCookie ? { maxAge: 31_536_000, includeSubDomains: false } : false,
  });
  // Credential routes' limits (`shared: true`) count cluster-wide once the cluster plugin fills this in.
  const throttle: { current?: SharedCounter } = {};
  await fastify.register(rateLimit, { global: false, store: throttleStore(throttle) as unknown as RateLimitPluginOptions['store'] });
  await fastify.register(database);
  await fastify.register(cluster, { throttle });
  await fastify.register(demo);
  await fastify.register(setup);
  await fastify.register(backup);
  await fastify.register(auth);
  await fastify.register(docs);
  await fastify.register(realtime);
  await fastify.register(users);
  await fastify.register(cameras);
  await fastify.register(org);
  await fastify.register(health);
  await fastify.register(maintenance);
  await fastify.register(discovery);
  await fastify.register(recording);
  await fastify.register(media);
  await fastify.register(relayRouter);
  await fastify.register(transcodes);
  await fastify.register(push);
  await fastify.register(share);
  await fastify.register(snapshots);
  await fastify.register(dispatch);
  await fastify.register(patrol);
  await fastify.register(residentReports);
  await fastify.register(ptz);
  await fastify.register(webrtc);
  await fastify.register(map);

  await fastify.register(systemRoutes, { prefix: '/api' });
  await fastify.register(authRoutes, { prefix: '/api/auth' });
  await fastify.register(setupRoutes, { prefix: '/api/setup' });
  await fastify.register(orgRoutes, { prefix: '/api/org' });
  await fastify.register(cameraRoutes, { prefix: '/api/cameras' });
  await fastify.register(catalogueRoutes, { prefix: '/api/catalogue' });
  await fastify.register(discoveryRoutes, { prefix: '/api/discovery' });
  await fastify.register(healthCheckRoutes, { prefix: '/api/health-checks' });
  await fastify.register(maintenanceRoutes, { prefix: '/api/maintenance' });
  await fastify.register(liveApiRoutes, { prefix: '/api/live' });
  await fastify.register(recordingRoutes, { prefix: '/api/recordings' });
  await fastify.register(dangerRoutes, { prefix: '/api/dangers' });
  await fastify.register(dispatchRoutes, { prefix: '/api/dispatch' });
  await fastify.register(statsRoutes, { prefix: '/api/stats' });
  await fastify.register(patrolRoutes, { prefix: '/api/patrol' });
  await fastify.register(layoutRoutes, { prefix: '/api/layouts' });
  await fastify.register(shareLinkRoutes, { prefix: '/api/share-links' });
  await fastify.register(pushDeviceRoutes, { prefix: '/api/push-devices' });
  await fastify.register(shareRoutes, { prefix: '/api/share' });
  await fastify.register(auditRoutes, { prefix: '/api/audit' });
  await fastify.register(userRoutes, { prefix: '/api/users' });
  await fastify.register(accountRoutes, { prefix: '/api/account' });
  await fastify.register(mapRoutes, { prefix: '/api/map' });
  await fastify.register(liveRoutes, { prefix: '/live' });
  await fastify.register(playbackRoutes, { prefix: '/playback' });
  await fastify.register(internalRoutes, { prefix: '/internal' });

  await fastify.register(web);
}

/** The CSP source of an XYZ tile template: its origin, with a {s} subdomain placeholder as a wildcard. */
export function tileSources(map: Config['map']): string[] {
  if (map.baseMap !== 'xyz') return [];
  const match = /^(https?:\/\/[^/]+)/i.exec(map.tileUrl.replace(/\{s\}/g, '*'));
  return match ? [match[1]] : [];
}
