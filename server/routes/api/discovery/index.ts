// /api/discovery: RTSP probes and RTSP cameras by URL; ONVIF discovery jobs.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import rtsp from './rtsp';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(rtsp);
};

export default routes;
