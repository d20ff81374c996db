// Errors that carry their HTTP meaning, thrown by pure modules and repositories alike (no Fastify import):
// the one error handler in server/plugins/errors.ts turns them into { statusCode, error, message, field }.

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export class BadRequestError extends HttpError {
  constructor(message: string, field?: string) {
    super(400, message, field);
  }
}
export class UnauthorizedError extends HttpError {
  constructor(message = 'Login required') {
    super(401, message);
  }
}
export class ForbiddenError extends HttpError {
  /** `field`: the request field that asks for what is not allowed (e.g. a role above the caller's area). */
  constructor(message = 'Not allowed', field?: string) {
    super(403, message, field);
  }
}
export class NotFoundError extends HttpError {
  constructor(what: string, field?: string) {
    super(404, `${what} not found`, field);
  }
}
export class ConflictError extends HttpError {
  constructor(message: string, field?: string) {
    super(409, message, field);
  }
}
