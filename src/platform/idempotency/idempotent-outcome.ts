import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { StoredResponse } from './idempotency.store.js';

/**
 * The Idempotency-Key of the request being served, for a command that stores its final answer
 * in its own transaction (IdempotencyStore.completeWithin): then a committed change always has a
 * replayable answer, whatever happens to the connection pool after the commit.
 */
export class IdempotentOutcome {
  /** Set by completeWithin; the interceptor then stores nothing after the handler. */
  storedInTransaction = false;

  constructor(
    readonly channelId: string,
    readonly key: string,
  ) {}
}

/** What a route answers for a result: status, the headers worth replaying, the JSON body. */
export type ResponseFor<T> = (result: T) => StoredResponse;

export interface RequestWithIdempotency extends FastifyRequest {
  idempotentOutcome?: IdempotentOutcome;
}

/** The request's IdempotentOutcome on an @Idempotent() route (undefined elsewhere). */
export const CurrentIdempotentOutcome = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): IdempotentOutcome | undefined =>
    ctx.switchToHttp().getRequest<RequestWithIdempotency>().idempotentOutcome,
);

/** The JSON answer a route gives, as the idempotency record stores it. */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): StoredResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}
