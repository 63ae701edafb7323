import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JobsService } from '../jobs/index.js';
import { IdempotencyStore } from './idempotency.store.js';

export const IDEMPOTENCY_CLEANUP_JOB = 'platform.idempotency-cleanup';

/**
 * Deletes Idempotency-Key records past IDEMPOTENCY_RETENTION_HOURS, every 15 minutes (once per
 * tick across all instances: pg-boss schedules are cluster-wide).
 */
@Injectable()
export class IdempotencyCleanupJob implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly store: IdempotencyStore,
  ) {}

  onModuleInit(): void {
    this.jobs.register<Record<string, never>>({
      name: IDEMPOTENCY_CLEANUP_JOB,
      retryLimit: 2,
      retryDelaySeconds: 60,
      handler: async (_payload, ctx) => {
        const purged = await this.store.purgeExpired();
        ctx.logger.info({ purged }, 'expired idempotency records purged');
      },
    });
    this.jobs.schedule(IDEMPOTENCY_CLEANUP_JOB, '*/15 * * * *');
  }
}
