import { Controller, Get, Headers, Res, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { HealthCheck, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../../config/index.js';
import { Public } from '../auth/auth.decorators.js';
import { hasMonitoringToken } from '../metrics/monitoring-access.js';
import { MONITORING_TAG } from '../openapi/swagger.js';
import {
  LIVENESS_SCHEMA,
  type LivenessResult,
  NOT_READY_EXAMPLE,
  READINESS_SCHEMA,
  READY_EXAMPLE,
} from './health.schemas.js';
import { ReadinessService } from './readiness.service.js';

/**
 * Probes for monitors and orchestrators. Plain `application/json` in terminus' standard shape
 * (what monitoring tools parse), not problem+json: a 503 here is a state report, not an error.
 */
@ApiTags(MONITORING_TAG)
// `{}`: OpenAPI's way to say these routes take no credentials (they are @Public).
@ApiSecurity({})
@Controller('health')
export class HealthController {
  constructor(
    private readonly readiness: ReadinessService,
    private readonly config: AppConfig,
  ) {}

  @Get('live')
  @Public()
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({
    summary: 'Liveness probe',
    description:
      'Answers 200 while the process runs and serves HTTP; checks no dependency (a database ' +
      'outage must not get the process restarted).',
  })
  @ApiOkResponse({
    description: 'The process is alive',
    content: { 'application/json': { schema: LIVENESS_SCHEMA, example: { status: 'ok' } } },
  })
  live(): LivenessResult {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({
    summary: 'Readiness probe',
    description:
      'Answers 200 when the database answers, every migration is applied and every registered ' +
      'check (job queue, ERP adapter) is up; 503 with the state of each check otherwise. The body ' +
      'is `@nestjs/terminus` standard health-check result, as `application/json`. The per-check ' +
      'details (database, adapter, counts) are shown when `HEALTH_DETAILS=true` (the default ' +
      'outside production) or to a caller with `Authorization: Bearer <METRICS_TOKEN>`; otherwise ' +
      'the body is `{ "status" }` only.',
  })
  @ApiOkResponse({
    description: 'Ready to serve: every check is up',
    content: { 'application/json': { schema: READINESS_SCHEMA, example: READY_EXAMPLE } },
  })
  @ApiServiceUnavailableResponse({
    description: 'Not ready: at least one check is down (listed under `error`)',
    content: { 'application/json': { schema: READINESS_SCHEMA, example: NOT_READY_EXAMPLE } },
  })
  async ready(
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('authorization') authorization: string | undefined,
  ): Promise<HealthCheckResult | Pick<HealthCheckResult, 'status'>> {
    let result: HealthCheckResult;
    try {
      result = await this.readiness.check();
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      // terminus reports "not ready" as an exception carrying the result; answer it as is.
      void reply.status(503);
      result = error.getResponse() as HealthCheckResult;
    }
    const details =
      this.config.monitoring.healthDetails || hasMonitoringToken(this.config, authorization);
    return details ? result : { status: result.status };
  }
}
