import { randomUUID } from 'node:crypto';

/**
 * A failure answered in Business Central's error shape,
 * `{ "error": { "code": "...", "message": "... CorrelationId:  <guid>." } }`
 * (api-reference/v2.0/dynamics-error-codes.md; the message ends with a correlation id).
 */
export class BcError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'BcError';
  }

  body(): { error: { code: string; message: string } } {
    return {
      error: { code: this.code, message: `${this.message}  CorrelationId:  ${randomUUID()}.` },
    };
  }
}

export const bcErrors = {
  notFound: (what: string): BcError =>
    new BcError(404, 'BadRequest_NotFound', `The ${what} does not exist.`),
  resourceNotFound: (segment: string): BcError =>
    new BcError(
      404,
      'BadRequest_ResourceNotFound',
      `Resource not found for the segment '${segment}'.`,
    ),
  badRequest: (message: string): BcError => new BcError(400, 'BadRequest', message),
  methodNotAllowed: (method: string, path: string): BcError =>
    new BcError(
      405,
      'BadRequest_MethodNotAllowed',
      `'${method}' requests for '${path}' are not allowed.`,
    ),
};
