// The one error handler: 4xx say what is wrong and name the field; 5xx are logged with request context and
// answered without internals.
import type { FastifyError } from 'fastify';
import fp from 'fastify-plugin';
import type { ErrorBody } from '../contracts/api';
import { DatabaseUnavailableError } from '../db/database';
import { HttpError } from '../errors';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 410: 'Gone',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests', 500: 'Internal Server Error',
  503: 'Service Unavailable', 507: 'Insufficient Storage',
};

/** A file write (evidence, photo) that hit a full disk: ENOSPC, or EDQUOT for a quota. */
function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: { requiredProperties?: string[]; additionalProperties?: string[]; missingProperty?: string; additionalProperty?: string };
}

/** "body" + "/camera/name" → "camera.name"; a missing or extra property names itself. */
export function fieldOf(issue: ValidationIssue): string | undefined {
  const parts = (issue.instancePath ?? '').split('/').filter(Boolean);
  const extra =
    issue.params?.requiredProperties?.[0] ?? issue.params?.missingProperty ??
    issue.params?.additionalProperties?.[0] ?? issue.params?.additionalProperty;
  if (extra) parts.push(extra);
  return parts.length ? parts.join('.') : undefined;
}

function describe(issue: ValidationIssue, context: string | undefined): { message: string; field?: string } {
  const field = fieldOf(issue);
  const where = context ?? 'request';
  const params = issue.params ?? {};
  if (params.requiredProperties?.length || params.missingProperty) return { field, message: `${where}.${field} is required` };
  if (params.additionalProperties?.length || params.additionalProperty) return { field, message: `${where}.${field} is not a known field` };
  return { field, message: `${where}${field ? `.${field}` : ''} ${issue.message ?? 'is invalid'}` };
}

function body(statusCode: number, message: string, field?: string): ErrorBody {
  return { statusCode, error: STATUS_TEXT[statusCode] ?? 'Error', message, ...(field ? { field } : {}) };
}

export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError & { validationContext?: string }, request, reply) => {
      if (error.validation?.length) {
        const { message, field } = describe(error.validation[0] as ValidationIssue, error.validationContext);
        return reply.status(400).send(body(400, message, field));
      }
      if (error instanceof HttpError) return reply.status(error.statusCode).send(body(error.statusCode, error.message, error.field));
      if (error instanceof DatabaseUnavailableError) {
        request.log.warn({ err: error, code: error.code }, 'database unavailable');
        // A full disk does not clear by itself within a second: 507 without retry-after; a lock usually does.
        if (error.diskFull) return reply.status(507).send(body(507, error.message));
        return reply.status(503).header('retry-after', '1').send(body(503, error.message));
      }
      if (isDiskFull(error)) {
        request.log.error({ err: error }, 'disk full');
        return reply.status(507).send(body(507, 'Server disk is full: nothing was saved; free disk space on the server'));
      }
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) return reply.status(status).send(body(status, error.message));
      request.log.error({ err: error, method: request.method, url: request.routeOptions.url, reqId: request.id }, 'request failed');
      return reply.status(500).send(body(500, `Internal error (reference ${request.id})`));
    });
  },
  { name: 'errors' },
);
