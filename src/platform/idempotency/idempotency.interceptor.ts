import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { PinoLogger } from '../logging/index.js';
import type { Counter } from 'prom-client';
import { MetricsService } from '../metrics/index.js';
import { catchError, from, mergeMap, type Observable } from 'rxjs';
import type { RequestWithChannel } from '../auth/auth.decorators.js';
import { ApplicationError } from '../errors/index.js';
import { PreparedResponse, PROBLEM_CONTENT_TYPE, toProblem } from '../problem/index.js';
import { parseIdempotencyKey, requestFingerprint } from './fingerprint.js';
import { IdempotencyStore, type StoredResponse } from './idempotency.store.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';
/** Response headers worth replaying; everything else is regenerated per response. */
const KEPT_HEADERS = ['location', 'content-location'];

/**
 * IETF httpapi Idempotency-Key semantics for a mutating channel route (see @Idempotent).
 * The outcome of the first request (success or a 4xx rejection) is stored before the client
 * gets it; a 5xx frees the key so the client's retry runs again.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly replays: Counter<'kind' | 'route'>;

  constructor(
    private readonly store: IdempotencyStore,
    private readonly logger: PinoLogger,
    metrics: MetricsService,
  ) {
    this.logger.setContext(IdempotencyInterceptor.name);
    // One family for every kind of duplicate the hub stops (orders add business_key, erp_lookup).
    this.replays = metrics.counter({
      name: 'crossdock_duplicates_prevented_total',
      help: 'Duplicates stopped: replayed Idempotency-Key, business key (channel order ref), ERP look-up before create',
      labelNames: ['kind', 'route'],
    });
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<RequestWithChannel>();
    const reply = http.getResponse<FastifyReply>();
    const channel = request.channel;
    if (!channel) throw new Error('@Idempotent() needs an authenticated route (@RequireScopes)');

    const header = request.headers[IDEMPOTENCY_HEADER];
    const key = parseIdempotencyKey(header);
    if (header === undefined) {
      throw new ApplicationError(
        'IDEMPOTENCY_KEY_MISSING',
        'This endpoint requires an Idempotency-Key header (a unique value per logical request, e.g. a UUID).',
        'validation',
        {
          violations: [
            {
              code: 'IDEMPOTENCY_KEY_MISSING',
              field: 'Idempotency-Key',
              message: 'header is required',
            },
          ],
        },
      );
    }
    if (key === undefined) {
      throw new ApplicationError(
        'IDEMPOTENCY_KEY_INVALID',
        'The Idempotency-Key header must be 1-255 printable ASCII characters.',
        'validation',
        {
          violations: [
            {
              code: 'IDEMPOTENCY_KEY_INVALID',
              field: 'Idempotency-Key',
              message: 'must be 1-255 printable ASCII characters',
            },
          ],
        },
      );
    }

    const correlationId = String(request.id);
    const begun = await this.store.begin({
      channelId: channel.channelId,
      key,
      fingerprint: requestFingerprint(request.method, request.url, request.body),
      method: request.method,
      path: request.url,
      correlationId,
    });
    switch (begun.outcome) {
      case 'replay':
        this.replays.inc({
          kind: 'idempotency_key',
          route: request.routeOptions.url ?? 'unmatched',
        });
        throw new PreparedResponse(
          begun.response.status,
          { ...begun.response.headers, [REPLAYED_HEADER]: 'true' },
          begun.response.body,
        );
      case 'fingerprint-mismatch':
        throw new ApplicationError(
          'IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was already used with a different request; use a new key for a new request.',
          'unprocessable',
        );
      case 'in-flight':
        throw new ApplicationError(
          'IDEMPOTENCY_KEY_IN_USE',
          'A request with this Idempotency-Key is still being processed; retry later.',
          'conflict',
          { headers: { 'Retry-After': '1' } },
        );
      case 'started':
        break;
    }

    const channelId = channel.channelId;
    return next.handle().pipe(
      mergeMap((body: unknown) =>
        from(
          (async () => {
            const headers: Record<string, string> = {
              'content-type': 'application/json; charset=utf-8',
            };
            for (const name of KEPT_HEADERS) {
              const value = reply.getHeader(name);
              if (typeof value === 'string') headers[name] = value;
            }
            const stored: StoredResponse = {
              status: reply.statusCode,
              headers,
              body: body === undefined ? '' : JSON.stringify(body),
            };
            await this.store.complete(channelId, key, stored);
            return body;
          })(),
        ),
      ),
      catchError((error: unknown) =>
        from(
          (async () => {
            const { problem } = toProblem(error, correlationId, request.url);
            if (error instanceof ApplicationError && problem.status < 500) {
              // A rejection is the request's answer: a retry with the same key gets the same one.
              await this.store.complete(channelId, key, {
                status: problem.status,
                headers: {
                  'content-type': `${PROBLEM_CONTENT_TYPE}; charset=utf-8`,
                  ...error.headers,
                },
                body: JSON.stringify(problem),
              });
            } else {
              await this.store
                .release(channelId, key)
                .catch((releaseError: unknown) =>
                  this.logger.error(
                    { err: releaseError, key },
                    'could not release idempotency key',
                  ),
                );
            }
            throw error;
          })(),
        ),
      ),
    );
  }
}
