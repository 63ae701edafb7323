import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { ReadinessRegistry } from './readiness.registry.js';
import { ReadinessService } from './readiness.service.js';

/** `/health/live` and `/health/ready`; global so any module can register a readiness check. */
@Global()
@Module({
  imports: [TerminusModule.forRoot()],
  controllers: [HealthController],
  providers: [ReadinessRegistry, ReadinessService],
  exports: [ReadinessRegistry],
})
export class HealthModule {}
