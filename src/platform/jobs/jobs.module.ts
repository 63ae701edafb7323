import { Global, Module } from '@nestjs/common';
import { JobsService } from './jobs.service.js';

/** Durable jobs on pg-boss; global so any module can register and enqueue. */
@Global()
@Module({
  providers: [JobsService],
  exports: [JobsService],
})
export class JobsModule {}
