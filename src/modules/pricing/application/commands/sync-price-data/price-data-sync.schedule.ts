import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AppConfig } from '../../../../../config/index.js';
import { scheduleDeltaSync } from '../../../../../platform/delta-sync/index.js';
import { JobsService } from '../../../../../platform/jobs/index.js';
import { ErpChangeTrigger } from '../../../../../platform/erp-changes/index.js';
import { SyncPriceDataCommand } from './sync-price-data.command.js';

export const PRICING_SYNC_JOB = 'pricing.sync';
export const PRICING_FULL_SYNC_JOB = 'pricing.full-sync';

/**
 * The scheduled price-data syncs, running the same command as POST /v1/admin/sync/pricing: a
 * delta sync (PRICING_SYNC_CRON) and a full one (PRICING_FULL_SYNC_CRON) that also removes prices
 * the ERP deleted, for adapters that cannot report deletes.
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
    for (const [job, full, cron] of [
      [PRICING_SYNC_JOB, false, this.config.pricing.syncCron],
      [PRICING_FULL_SYNC_JOB, true, this.config.pricing.fullSyncCron],
    ] as const) {
      scheduleDeltaSync(this.jobs, {
        job,
        cron,
        label: 'price-data',
        run: () => this.commandBus.execute(new SyncPriceDataCommand('schedule', true, full)),
        expireInSeconds: 4 * 3600,
        logFields: { full },
      });
    }
    this.erpChanges.register('pricing', PRICING_SYNC_JOB);
  }
}
