import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { API_KEY_SCHEME, BEARER_SCHEME } from '../openapi/swagger.js';
import { ApiProblemResponses } from '../openapi/api-problem.decorator.js';
import type { AuthenticatedChannel, Scope } from './auth.types.js';

export const SCOPES_KEY = 'crossdock:scopes';
export const PUBLIC_KEY = 'crossdock:public';

/**
 * The route needs a channel API key carrying every listed scope. Documents the security schemes
 * and the 401/403/429 problems in OpenAPI at the same time.
 */
export const RequireScopes = (...scopes: Scope[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(SCOPES_KEY, scopes),
    ApiSecurity(BEARER_SCHEME),
    ApiSecurity(API_KEY_SCHEME),
    ApiProblemResponses(401, 403, 429),
  );

/** Reachable without an API key (health, metrics). Routes are closed unless marked so. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

export interface RequestWithChannel extends FastifyRequest {
  channel?: AuthenticatedChannel;
}

/** The calling channel, as the guard resolved it. */
export const CurrentChannel = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): AuthenticatedChannel => {
    const channel = ctx.switchToHttp().getRequest<RequestWithChannel>().channel;
    if (!channel) throw new Error('CurrentChannel used on a route without @RequireScopes');
    return channel;
  },
);
