import { HttpException } from '@nestjs/common';
import { ApplicationError, type ApplicationErrorKind } from '../errors/index.js';
import { problemType, statusTitle, type ProblemDetails } from './problem-details.js';

const KIND_STATUS: Record<ApplicationErrorKind, number> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  unprocessable: 422,
  'too-many-requests': 429,
  unavailable: 503,
};

const STATUS_CODE: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
  500: 'INTERNAL_ERROR',
  503: 'UNAVAILABLE',
};

/** Fastify's own request-parsing failures, which happen before any Nest code runs. */
const FASTIFY_CODES: Record<string, { status: number; code: string; detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    detail: 'The request body is larger than this endpoint accepts.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    detail: 'Send the request body as application/json.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'BAD_REQUEST',
    detail: 'The Content-Length header does not match the body.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'MALFORMED_JSON',
    detail: 'The body is empty but the Content-Type says application/json.',
  },
  FST_ERR_BAD_URL: {
    status: 400,
    code: 'MALFORMED_URL',
    detail: 'The URL is not validly percent-encoded.',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    code: 'URI_TOO_LONG',
    detail: 'A path parameter is longer than any identifier this API uses.',
  },
  // Node's HTTP parser, before Fastify sees the request (see clientErrorHandler).
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'HEADERS_TOO_LARGE',
    detail: 'The request line and headers are larger than this server accepts.',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: 'REQUEST_TIMEOUT',
    detail: 'The request was not received in time.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'MALFORMED_JSON',
    detail: 'The request body is not valid JSON.',
  },
};

export interface ProblemResult {
  problem: ProblemDetails;
  headers: Record<string, string>;
  /** True when the failure is ours (5xx) and must be logged with its stack. */
  internal: boolean;
}

interface ErrorWithCode {
  code?: unknown;
  statusCode?: unknown;
  name?: unknown;
}

/** Maps anything thrown while serving a request to an RFC 9457 problem document. */
export function toProblem(error: unknown, correlationId: string, instance?: string): ProblemResult {
  const base = { correlationId, ...(instance ? { instance } : {}) };
  if (error instanceof ApplicationError) {
    const status = KIND_STATUS[error.kind];
    return {
      problem: {
        type: problemType(error.code),
        title: statusTitle(status),
        status,
        detail: error.message,
        code: error.code,
        ...base,
        ...(error.violations.length > 0 ? { violations: error.violations } : {}),
        ...error.extensions,
      },
      headers: error.headers,
      internal: false,
    };
  }
  const withCode = (error ?? {}) as ErrorWithCode;
  const fastify = typeof withCode.code === 'string' ? FASTIFY_CODES[withCode.code] : undefined;
  if (fastify) {
    return simple(fastify.status, fastify.code, fastify.detail, base);
  }
  if (error instanceof SyntaxError && withCode.statusCode === 400) {
    return simple(400, 'MALFORMED_JSON', 'The request body is not valid JSON.', base);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    // Nest's own JSON body parser reports a syntax error as a plain 400.
    if (
      status === 400 &&
      (error.cause instanceof SyntaxError || /not valid JSON/i.test(error.message))
    ) {
      return simple(400, 'MALFORMED_JSON', 'The request body is not valid JSON.', base);
    }
    if (status >= 500) return internalError(base);
    const code = STATUS_CODE[status] ?? `HTTP_${status}`;
    const detail = status === 404 ? 'No resource or route matches this request.' : error.message;
    return simple(status, code, detail, base);
  }
  if (
    typeof withCode.statusCode === 'number' &&
    withCode.statusCode >= 400 &&
    withCode.statusCode < 500
  ) {
    const status = withCode.statusCode;
    return simple(status, STATUS_CODE[status] ?? `HTTP_${status}`, statusTitle(status), base);
  }
  return internalError(base);
}

function simple(
  status: number,
  code: string,
  detail: string,
  base: { correlationId: string; instance?: string },
): ProblemResult {
  return {
    problem: {
      type: problemType(code),
      title: statusTitle(status),
      status,
      detail,
      code,
      ...base,
    },
    headers: {},
    internal: false,
  };
}

function internalError(base: { correlationId: string; instance?: string }): ProblemResult {
  // No stack, no SQL, no driver message: the correlation id is how operations find the log line.
  return {
    problem: {
      type: problemType('INTERNAL_ERROR'),
      title: statusTitle(500),
      status: 500,
      detail: `An unexpected error occurred. Quote correlation id ${base.correlationId} to support.`,
      code: 'INTERNAL_ERROR',
      ...base,
    },
    headers: {},
    internal: true,
  };
}
