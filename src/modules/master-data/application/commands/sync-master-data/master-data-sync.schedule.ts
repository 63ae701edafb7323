import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AppConfig } from '../../../../../config/index.js';
import { scheduleDeltaSync } from '../../../../../platform/delta-sync/index.js';
import { JobsService } from '../../../../../platform/jobs/index.js';
import { ErpChangeTrigger } from '../../../../../platform/erp-changes/index.js';
import { SyncMasterDataCommand } from './sync-master-data.command.js';

export const MASTER_DATA_SYNC_JOB = 'master-data.sync';

/**
 * The scheduled master-data sync (MASTER_DATA_SYNC_CRON, UTC; `off` disables), running the same
 * command as POST /v1/admin/sync/master-data.
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
    scheduleDeltaSync(this.jobs, {
      job: MASTER_DATA_SYNC_JOB,
      cron: this.config.masterDataSync.cron,
      label: 'master-data',
      run: () => this.commandBus.execute(new SyncMasterDataCommand('schedule', true)),
      expireInSeconds: 4 * 3600,
    });
    this.erpChanges.register('master-data', MASTER_DATA_SYNC_JOB);
  }
}
