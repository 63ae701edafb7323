import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../../config/index.js';
import { ApplicationError } from '../errors/index.js';
import { PUBLIC_KEY, type RequestWithChannel, SCOPES_KEY } from './auth.decorators.js';
import {
  authFailuresThrottled,
  missingScopes,
  rateLimited,
  unauthenticated,
} from './auth.errors.js';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import type { Scope } from './auth.types.js';
import { ChannelRateLimiter } from './channel-rate-limiter.js';
import { type AuthenticatedKey, ChannelsService } from './channels.service.js';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * The global guard (APP_GUARD). Every route is closed unless marked @Public(): a route without
 * @RequireScopes still needs a valid key, and @RequireScopes() with no scope means "any valid key".
 * Order: failed-authentication throttle of the client IP → authenticate → per-channel rate limit
 * → scopes, so a channel that keeps calling routes it may not use is throttled like any other.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly channels: ChannelsService,
    private readonly rateLimiter: ChannelRateLimiter,
    private readonly failures: AuthFailureLimiter,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, targets)) return true;
    const required = new Set<Scope>(
      targets.flatMap((t) => this.reflector.get<Scope[] | undefined>(SCOPES_KEY, t) ?? []),
    );

    const http = context.switchToHttp();
    const request = http.getRequest<RequestWithChannel>();
    const reply = http.getResponse<FastifyReply>();

    const clientIp = request.ip;
    const throttle = this.failures.check(clientIp);
    if (!throttle.allowed) throw authFailuresThrottled(throttle);
    let authenticated: AuthenticatedKey;
    try {
      authenticated = await this.channels.authenticate(presentedKey(request));
    } catch (error) {
      // Only a refused key counts: a database hiccup is not the client's failure.
      if (error instanceof ApplicationError && error.code === 'UNAUTHENTICATED') {
        this.failures.recordFailure(clientIp);
      }
      throw error;
    }

    const decision = this.rateLimiter.take(
      authenticated.channel.channelId,
      authenticated.rateLimitPerMinute ?? this.config.http.rateLimitPerMinute,
    );
    if (!decision.allowed) throw rateLimited(decision);
    // draft-ietf-httpapi-ratelimit-headers field names, as most API gateways send them.
    void reply.header('RateLimit-Limit', String(decision.limitPerMinute));
    void reply.header('RateLimit-Remaining', String(decision.remaining));

    const missing = [...required].filter((s) => !authenticated.channel.scopes.includes(s));
    if (missing.length > 0) throw missingScopes(missing);

    request.channel = authenticated.channel;
    return true;
  }
}

/** The key from `Authorization: Bearer <key>` or `X-Api-Key: <key>`; throws when absent/ambiguous. */
function presentedKey(request: RequestWithChannel): string {
  const authorization = request.headers.authorization;
  const apiKeyHeader = request.headers['x-api-key'];
  const xApiKey = Array.isArray(apiKeyHeader) ? apiKeyHeader.join(',') : apiKeyHeader?.trim();
  let bearer: string | undefined;
  if (authorization !== undefined) {
    bearer = BEARER.exec(authorization)?.[1];
    if (bearer === undefined && !xApiKey) {
      throw unauthenticated('The Authorization header must be "Bearer <API key>".');
    }
  }
  if (bearer !== undefined && xApiKey && bearer !== xApiKey) {
    throw unauthenticated('Authorization and X-Api-Key carry different keys: send one.');
  }
  const key = bearer ?? xApiKey;
  if (!key) {
    throw unauthenticated(
      'Send an API key as "Authorization: Bearer <key>" or "X-Api-Key: <key>".',
    );
  }
  return key;
}
