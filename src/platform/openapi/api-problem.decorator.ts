import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, problemType, statusTitle } from '../problem/problem-details.js';
import { ProblemDocument } from './problem.schema.js';

const DESCRIPTIONS: Record<number, { description: string; code: string; detail: string }> = {
  400: {
    description: 'Invalid request: every violation is listed',
    code: 'VALIDATION_FAILED',
    detail: 'The request has invalid fields.',
  },
  401: {
    description:
      'Missing or malformed API key, or a key that is unknown, revoked, expired or of a ' +
      'suspended channel (all answered alike)',
    code: 'UNAUTHENTICATED',
    detail: 'Send a valid API key as Authorization: Bearer <key> or X-Api-Key.',
  },
  403: {
    description: 'The API key lacks a scope this route needs',
    code: 'FORBIDDEN',
    detail: 'This API key does not carry the scope orders:write.',
  },
  404: { description: 'Not found', code: 'NOT_FOUND', detail: 'No resource matches this request.' },
  409: {
    description: 'Conflict (e.g. the same Idempotency-Key is still being processed)',
    code: 'IDEMPOTENCY_KEY_IN_USE',
    detail: 'A request with this Idempotency-Key is still being processed.',
  },
  413: {
    description: 'Body larger than the configured limit',
    code: 'PAYLOAD_TOO_LARGE',
    detail: 'The request body is larger than this endpoint accepts.',
  },
  415: {
    description: 'Body is not application/json',
    code: 'UNSUPPORTED_MEDIA_TYPE',
    detail: 'Send the request body as application/json.',
  },
  422: {
    description: 'Understood but not processable (e.g. Idempotency-Key reused with another body)',
    code: 'IDEMPOTENCY_KEY_REUSED',
    detail: 'This Idempotency-Key was used with a different request.',
  },
  429: {
    description:
      'Rate limit for this channel exceeded (RATE_LIMITED), or too many failed authentications ' +
      'from this client address (AUTH_THROTTLED); see Retry-After',
    code: 'RATE_LIMITED',
    detail: 'Too many requests for this channel; retry after the number of seconds in Retry-After.',
  },
  414: {
    description: 'Request line (URL) longer than the server accepts',
    code: 'URI_TOO_LONG',
    detail: 'The request URL is longer than this server accepts.',
  },
  431: {
    description: 'Request headers larger than the server accepts',
    code: 'HEADERS_TOO_LARGE',
    detail: 'The request headers are larger than this server accepts.',
  },
  503: {
    description: 'Temporarily unable to serve (a dependency is busy or down); see Retry-After',
    code: 'UNAVAILABLE',
    detail: 'A dependency is unavailable.',
  },
};

/** One documented problem response when the defaults for its status do not describe it. */
export interface ProblemResponseSpec {
  status: number;
  description?: string;
  code?: string;
  detail?: string;
  /** Response headers beside the generic ones (e.g. Location on ORDER_ALREADY_EXISTS). */
  headers?: Record<string, { $ref: string }>;
}

/** Retry-After on a 503 SERVICE_BUSY (or 429): seconds to wait before retrying. */
export const RETRY_AFTER_HEADER = {
  'Retry-After': { $ref: '#/components/headers/Retry-After' },
};

/**
 * Documents problem+json error responses, each with an example, for the given statuses (or specs
 * overriding the default description, code and example detail of a status).
 */
export function ApiProblemResponses(
  ...responses: (number | ProblemResponseSpec)[]
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDocument),
    ...responses.map((response) => {
      const spec = typeof response === 'number' ? { status: response } : response;
      const status = spec.status;
      const defaults = defaultProblem(status);
      const { headers, ...text } = definedOnly(spec);
      const documented = problemResponseObject(status, { ...defaults, ...text });
      return ApiResponse({
        status,
        description: documented.description,
        content: documented.content,
        ...(headers ? { headers } : {}),
      });
    }),
  );
}

/** The status' default description, code and example detail (for generic responses). */
export function defaultProblem(status: number): {
  description: string;
  code: string;
  detail: string;
} {
  return DESCRIPTIONS[status] ?? { description: 'Error', code: 'ERROR', detail: 'Error.' };
}

/** A problem+json response object with its example, as documented for every route. */
export function problemResponseObject(
  status: number,
  d: { description: string; code: string; detail: string },
): { description: string; content: Record<string, { schema: { $ref: string }; example: object }> } {
  return {
    description: d.description,
    content: {
      [PROBLEM_CONTENT_TYPE]: {
        schema: { $ref: getSchemaPath(ProblemDocument) },
        example: {
          type: problemType(d.code),
          title: statusTitle(status),
          status,
          detail: d.detail,
          code: d.code,
          correlationId: '6f1c2a9e-4a8b-4d0e-9a53-2f0f7f6c1e10',
          ...(status === 400
            ? {
                violations: [
                  {
                    code: 'IS_NOT_EMPTY',
                    field: 'lines[0].sku',
                    message: 'sku should not be empty',
                  },
                ],
              }
            : {}),
        },
      },
    },
  };
}

function definedOnly(spec: ProblemResponseSpec): Partial<ProblemResponseSpec> {
  return Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined));
}
