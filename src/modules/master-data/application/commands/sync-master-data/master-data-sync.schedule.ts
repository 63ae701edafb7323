import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AppConfig } from '../../../../../config/index.js';
import { ErpChangeTrigger } from '../../../../../platform/erp-changes/index.js';
import { ApplicationError } from '../../../../../platform/errors/index.js';
import { type JobContext, JobsService } from '../../../../../platform/jobs/index.js';
import { SyncMasterDataCommand } from './sync-master-data.command.js';

export const MASTER_DATA_SYNC_JOB = 'master-data.sync';

/** Not failures of a scheduled tick: the next tick simply tries again. */
const SKIPPED = new Set(['SYNC_ALREADY_RUNNING', 'ERP_ADAPTER_UNAVAILABLE', 'SHUTTING_DOWN']);

/**
 * The scheduled master-data sync: a pg-boss cron job (MASTER_DATA_SYNC_CRON, UTC; `off` disables)
 * that runs the same command as POST /v1/admin/sync/master-data. pg-boss fires each tick on one
 * instance; the sync lock covers a tick that overlaps a manual run.
 */
@Injectable()
export class MasterDataSyncSchedule implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly commandBus: CommandBus,
    private readonly config: AppConfig,
    private readonly erpChanges: ErpChangeTrigger,
  ) {}

  onModuleInit(): void {
    this.jobs.register<null>({
      name: MASTER_DATA_SYNC_JOB,
      handler: (_payload, ctx) => this.runTick(ctx),
      // A failed run is recorded in md_sync_run and retried by the next tick, from its watermark.
      retryLimit: 0,
      concurrency: 1,
      expireInSeconds: 4 * 3600,
      // One run going and one queued at most: ERP change notifications coalesce (ErpChangeTrigger).
      policy: 'stately',
    });
    this.erpChanges.register('master-data', MASTER_DATA_SYNC_JOB);
    const cron = this.config.masterDataSync.cron;
    if (cron !== null) this.jobs.schedule(MASTER_DATA_SYNC_JOB, cron);
  }

  private async runTick(ctx: JobContext): Promise<void> {
    try {
      const run = await this.commandBus.execute(new SyncMasterDataCommand('schedule', true));
      ctx.logger.info(
        { syncRunId: run.id, status: run.status, durationMs: run.durationMs },
        'scheduled master-data sync done',
      );
    } catch (error) {
      if (error instanceof ApplicationError && SKIPPED.has(error.code)) {
        ctx.logger.info(
          { code: error.code },
          'scheduled master-data sync skipped: %s',
          error.message,
        );
        return;
      }
      throw error;
    }
  }
}
