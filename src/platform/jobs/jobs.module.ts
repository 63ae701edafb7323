import { Global, Module } from '@nestjs/common';
import { JobsMetrics } from './jobs.metrics.js';
import { JobsService } from './jobs.service.js';

/** Durable jobs on pg-boss; global so any module can register and enqueue. */
@Global()
@Module({
  providers: [JobsService, JobsMetrics],
  exports: [JobsService],
})
export class JobsModule {}
