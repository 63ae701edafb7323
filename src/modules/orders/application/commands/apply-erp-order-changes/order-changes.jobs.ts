import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AppConfig } from '../../../../../config/index.js';
import { scheduleDeltaSync } from '../../../../../platform/delta-sync/index.js';
import { ErpChangeTrigger } from '../../../../../platform/erp-changes/index.js';
import { JobsService } from '../../../../../platform/jobs/index.js';
import { ORDER_CHANGES_SYNC_JOB } from './erp-order-change.applier.js';
import { SyncOrderChangesCommand } from './sync-order-changes.command.js';

/**
 * A UTC cron that fires about every `seconds` (rounded up to whole minutes: the job queue's
 * schedules are per minute; above an hour, whole hours). null = no schedule.
 */
export function everySecondsCron(seconds: number | null): string | null {
  if (seconds === null || seconds <= 0) return null;
  const minutes = Math.ceil(seconds / 60);
  if (minutes === 1) return '* * * * *';
  if (minutes < 60) return `*/${minutes} * * * *`;
  const hours = Math.min(24, Math.ceil(minutes / 60));
  return hours >= 24 ? '0 0 * * *' : `0 */${hours} * * *`;
}

/**
 * The ERP-side order changes job (`orders.erp-changes`): on its schedule
 * (ORDER_CHANGES_SYNC_SECONDS) and whenever an ERP adapter reports an `order-changes` change.
 */
@Injectable()
export class OrderChangesJobs implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly commandBus: CommandBus,
    private readonly config: AppConfig,
    private readonly erpChanges: ErpChangeTrigger,
  ) {}

  onModuleInit(): void {
    scheduleDeltaSync(this.jobs, {
      job: ORDER_CHANGES_SYNC_JOB,
      cron: everySecondsCron(this.config.orders.changesSyncSeconds),
      label: 'order-changes',
      run: () => this.commandBus.execute(new SyncOrderChangesCommand('schedule', true)),
      expireInSeconds: 3600,
    });
    this.erpChanges.register('order-changes', ORDER_CHANGES_SYNC_JOB);
  }
}
