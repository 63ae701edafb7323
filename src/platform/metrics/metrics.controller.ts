import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../../config/index.js';
import { Public } from '../auth/auth.decorators.js';
import { ApplicationError } from '../errors/index.js';
import { ApiProblemResponses } from '../openapi/api-problem.decorator.js';
import { METRICS_TOKEN_SCHEME, MONITORING_TAG } from '../openapi/swagger.js';
import { MetricsService } from './metrics.service.js';

const EXPOSITION_EXAMPLE = `# HELP http_request_duration_seconds Duration of HTTP requests in seconds, by method, route template and status code
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.005",method="GET",route="/health/ready",status_code="200"} 12
http_request_duration_seconds_sum{method="GET",route="/health/ready",status_code="200"} 0.031
http_request_duration_seconds_count{method="GET",route="/health/ready",status_code="200"} 12
# HELP process_resident_memory_bytes Resident memory size in bytes.
# TYPE process_resident_memory_bytes gauge
process_resident_memory_bytes 98304000
`;

@ApiTags(MONITORING_TAG)
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Prometheus metrics',
    description:
      'Process and runtime metrics plus `http_request_duration_seconds` by method, route ' +
      'template and status code, in Prometheus text format. Not behind channel API keys; when ' +
      'the hub runs with `METRICS_TOKEN`, send it as `Authorization: Bearer <token>`.',
  })
  // Anonymous unless METRICS_TOKEN is configured: `{}` is OpenAPI's "no credentials" alternative.
  @ApiSecurity({})
  @ApiSecurity(METRICS_TOKEN_SCHEME)
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'The exposition (Prometheus text format 0.0.4)',
    content: {
      'text/plain': { schema: { type: 'string' }, example: EXPOSITION_EXAMPLE },
    },
  })
  @ApiProblemResponses({
    status: 401,
    description: 'METRICS_TOKEN is configured and the request does not carry it',
    detail: 'Send the metrics token as Authorization: Bearer <token>.',
  })
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    if (this.config.metricsToken && !bearerMatches(authorization, this.config.metricsToken)) {
      throw new ApplicationError(
        'UNAUTHENTICATED',
        'Send the metrics token as Authorization: Bearer <token>.',
        'unauthorized',
        { headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' } },
      );
    }
    const body = await this.metrics.exposition();
    void reply.header('content-type', this.metrics.contentType);
    return body;
  }
}

/** Constant-time comparison (of digests, so the token's length does not leak either). */
function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}
