import { Injectable, type OnModuleInit } from '@nestjs/common';
import { type JobContext, JobsService } from '../../../../platform/jobs/index.js';
import { QuoteStore } from '../../infrastructure/quote.store.js';

export const QUOTE_PURGE_JOB = 'pricing.purge-expired-quotes';
/** Expired quotes stay a day, so an order that raced the expiry can still be explained. */
const KEEP_EXPIRED_MS = 24 * 3600 * 1000;

/** Hourly: deletes quotes that expired more than a day ago. */
@Injectable()
export class QuotePurgeSchedule implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly store: QuoteStore,
  ) {}

  onModuleInit(): void {
    this.jobs.register<null>({
      name: QUOTE_PURGE_JOB,
      handler: (_payload, ctx) => this.purge(ctx),
      retryLimit: 0,
      concurrency: 1,
    });
    this.jobs.schedule(QUOTE_PURGE_JOB, '17 * * * *');
  }

  private async purge(ctx: JobContext): Promise<void> {
    const removed = await this.store.purgeExpired(new Date(Date.now() - KEEP_EXPIRED_MS));
    if (removed > 0) ctx.logger.info({ removed }, 'purged expired quotes');
  }
}
