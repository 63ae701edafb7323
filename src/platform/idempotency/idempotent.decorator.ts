import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ApiProblemResponses } from '../openapi/api-problem.decorator.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';

/**
 * Makes a mutating channel route idempotent by `Idempotency-Key` (IETF httpapi draft):
 * missing key → 400, same key + same request → stored response replayed with
 * `Idempotent-Replayed: true`, same key + different request → 422, still in flight → 409.
 * Keys are scoped per channel and kept for IDEMPOTENCY_RETENTION_HOURS (default 72 h).
 */
export const Idempotent = (): MethodDecorator =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: true,
      description:
        'Unique per logical request (e.g. a UUID), 1-255 printable ASCII characters. Retrying with the same key and body replays the first response.',
      example: '8e03978e-40d5-43e8-bc93-6894a57f9324',
    }),
    // Idempotent-Replayed is declared on every 2xx answer by the document's finishing step.
    ApiProblemResponses(400, 409, 422),
  );
