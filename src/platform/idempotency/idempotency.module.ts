import { Global, Module } from '@nestjs/common';
import { IdempotencyCleanupJob } from './idempotency-cleanup.job.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { IdempotencyStore } from './idempotency.store.js';

@Global()
@Module({
  providers: [IdempotencyStore, IdempotencyInterceptor, IdempotencyCleanupJob],
  exports: [IdempotencyStore, IdempotencyInterceptor],
})
export class IdempotencyModule {}
