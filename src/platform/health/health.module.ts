import { Global, Module } from '@nestjs/common';
import { ReadinessRegistry } from './readiness.registry.js';

@Global()
@Module({
  providers: [ReadinessRegistry],
  exports: [ReadinessRegistry],
})
export class HealthModule {}
