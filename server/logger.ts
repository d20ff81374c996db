// The gateway's logger options, shared by server.ts and the secrets test (which runs them against a captured stream).
// Bearer tokens ride in some URLs by design (a resident's viewer token as ?v=, the share token in /r/<token>):
// with LOG_REQUESTS=1 every request URL is logged, so the request serializer masks them. Headers are never logged
// (pino's default request serializer leaves them out); redact covers them should anyone add them.
import type { FastifyServerOptions } from 'fastify';

/** Masks the bearer tokens a URL may carry: the query's v= and the token segment of /r/<token>. */
export function maskUrlTokens(url: string): string {
  return url.replace(/([?&]v=)[^&#]*/g, '$1[redacted]').replace(/^(\/r\/)[^/?#]+/, '$1[redacted]');
}

interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

export function gatewayLoggerOptions(level: string): NonNullable<Exclude<FastifyServerOptions['logger'], boolean>> {
  return {
    level,
    redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
    serializers: {
      req: (req: LoggedRequest) => ({ method: req.method, url: maskUrlTokens(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort }),
    },
  };
}
