import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AppConfig } from '../../../../../config/index.js';
import { ErpChangeTrigger } from '../../../../../platform/erp-changes/index.js';
import { ApplicationError } from '../../../../../platform/errors/index.js';
import { type JobContext, JobsService } from '../../../../../platform/jobs/index.js';
import { SyncPriceDataCommand } from './sync-price-data.command.js';

export const PRICING_SYNC_JOB = 'pricing.sync';
export const PRICING_FULL_SYNC_JOB = 'pricing.full-sync';

/** Not failures of a scheduled tick: the next tick simply tries again. */
const SKIPPED = new Set(['SYNC_ALREADY_RUNNING', 'ERP_ADAPTER_UNAVAILABLE', 'SHUTTING_DOWN']);

/**
 * The scheduled price-data syncs: pg-boss cron jobs (UTC) running the same command as POST
 * /v1/admin/sync/pricing: a delta sync (PRICING_SYNC_CRON) and a full one (PRICING_FULL_SYNC_CRON)
 * that also removes prices the ERP deleted, for adapters that cannot report deletes. pg-boss fires
 * each tick on one instance; the sync lock covers overlaps with manual runs.
 */
@Injectable()
export class PriceDataSyncSchedule implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly commandBus: CommandBus,
    private readonly config: AppConfig,
    private readonly erpChanges: ErpChangeTrigger,
  ) {}

  onModuleInit(): void {
    for (const [name, full, cron] of [
      [PRICING_SYNC_JOB, false, this.config.pricing.syncCron],
      [PRICING_FULL_SYNC_JOB, true, this.config.pricing.fullSyncCron],
    ] as const) {
      this.jobs.register<null>({
        name,
        handler: (_payload, ctx) => this.runTick(ctx, full),
        // A failed run is recorded in sync_run and retried by the next tick, from its watermark.
        retryLimit: 0,
        concurrency: 1,
        expireInSeconds: 4 * 3600,
        // One run going and one queued at most: ERP change notifications coalesce.
        policy: 'stately',
      });
      if (cron !== null) this.jobs.schedule(name, cron);
    }
    this.erpChanges.register('pricing', PRICING_SYNC_JOB);
  }

  private async runTick(ctx: JobContext, full: boolean): Promise<void> {
    try {
      const run = await this.commandBus.execute(new SyncPriceDataCommand('schedule', true, full));
      ctx.logger.info(
        { syncRunId: run.id, status: run.status, durationMs: run.durationMs, full },
        'scheduled price-data sync done',
      );
    } catch (error) {
      if (error instanceof ApplicationError && SKIPPED.has(error.code)) {
        ctx.logger.info(
          { code: error.code },
          'scheduled price-data sync skipped: %s',
          error.message,
        );
        return;
      }
      throw error;
    }
  }
}
