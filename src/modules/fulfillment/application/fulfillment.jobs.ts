import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AppConfig } from '../../../config/index.js';
import { scheduleDeltaSync } from '../../../platform/delta-sync/index.js';
import { ErpChangeTrigger } from '../../../platform/erp-changes/index.js';
import { JobsService } from '../../../platform/jobs/index.js';
import { SyncFulfillmentCommand } from './commands/sync-fulfillment/sync-fulfillment.command.js';

export const FULFILLMENT_SYNC_JOB = 'fulfillment.sync';

/** The shipment/invoice sync as a scheduled pg-boss job, also queued by ERP change notices. */
@Injectable()
export class FulfillmentJobs implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly commandBus: CommandBus,
    private readonly config: AppConfig,
    private readonly erpChanges: ErpChangeTrigger,
  ) {}

  onModuleInit(): void {
    scheduleDeltaSync(this.jobs, {
      job: FULFILLMENT_SYNC_JOB,
      cron: this.config.fulfillment.syncCron,
      label: 'fulfillment',
      run: () => this.commandBus.execute(new SyncFulfillmentCommand('schedule', true)),
      expireInSeconds: 3600,
    });
    this.erpChanges.register('fulfillment', FULFILLMENT_SYNC_JOB);
  }
}
