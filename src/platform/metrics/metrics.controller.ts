import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../../config/index.js';
import { Public } from '../auth/auth.decorators.js';
import { ApplicationError } from '../errors/index.js';
import { ApiProblemResponses } from '../openapi/api-problem.decorator.js';
import { METRICS_TOKEN_SCHEME, MONITORING_TAG } from '../openapi/swagger.js';
import { MetricsService } from './metrics.service.js';
import { hasMonitoringToken } from './monitoring-access.js';

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
      'the hub runs with `METRICS_TOKEN`, send it as `Authorization: Bearer <token>`. With ' +
      '`NODE_ENV=production` and no token, metrics are off (404) unless `METRICS_PUBLIC=true`.',
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
  @ApiProblemResponses(
    {
      status: 401,
      description: 'METRICS_TOKEN is configured and the request does not carry it',
      detail: 'Send the metrics token as Authorization: Bearer <token>.',
    },
    {
      status: 404,
      description: 'Metrics are off: production without METRICS_TOKEN or METRICS_PUBLIC=true',
      detail: 'No resource or route matches this request.',
    },
  )
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    if (!this.config.metricsToken && !this.config.monitoring.metricsPublic) {
      // Production default: off until a token (or METRICS_PUBLIC=true) says who may read them.
      throw new ApplicationError(
        'NOT_FOUND',
        'No resource or route matches this request.',
        'not-found',
      );
    }
    if (this.config.metricsToken && !hasMonitoringToken(this.config, authorization)) {
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
