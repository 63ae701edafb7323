import { ApplicationError } from '../errors/index.js';
import type { Scope } from './auth.types.js';
import type { RateLimitDecision } from './token-bucket.js';

/** 401 with the challenge RFC 9110 §11.6.1 requires on every 401 (scheme per RFC 6750). */
export function unauthenticated(detail: string): ApplicationError {
  return new ApplicationError('UNAUTHENTICATED', detail, 'unauthorized', {
    headers: { 'WWW-Authenticate': 'Bearer' },
  });
}

export function missingScopes(missing: readonly Scope[]): ApplicationError {
  const list = missing.join(', ');
  return new ApplicationError(
    'FORBIDDEN',
    `This API key does not carry the scope${missing.length > 1 ? 's' : ''} ${list}.`,
    'forbidden',
    { extensions: { missingScopes: [...missing] } },
  );
}

export function rateLimited(decision: RateLimitDecision): ApplicationError {
  const retryAfter = String(decision.retryAfterSeconds ?? 1);
  return new ApplicationError(
    'RATE_LIMITED',
    `Too many requests for this channel (limit ${decision.limitPerMinute} per minute); retry after ${retryAfter} s.`,
    'too-many-requests',
    {
      headers: {
        'Retry-After': retryAfter,
        'RateLimit-Limit': String(decision.limitPerMinute),
        'RateLimit-Remaining': '0',
      },
    },
  );
}

/**
 * Too many failed authentications from this client: nothing it presents is checked until a
 * token is back (see AuthFailureLimiter).
 */
export function authFailuresThrottled(decision: RateLimitDecision): ApplicationError {
  const retryAfter = String(decision.retryAfterSeconds ?? 1);
  return new ApplicationError(
    'AUTH_THROTTLED',
    `Too many failed authentication attempts from this client; retry after ${retryAfter} s.`,
    'too-many-requests',
    { headers: { 'Retry-After': retryAfter } },
  );
}
