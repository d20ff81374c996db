// /api/discovery: RTSP probes and RTSP cameras by URL; ONVIF discovery jobs.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import jobs from './jobs';
import rtsp from './rtsp';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(rtsp);
  await app.register(jobs);
};

export default routes;
