import { Command } from '@nestjs/cqrs';
import type { DeltaSyncRun, DeltaSyncTrigger } from '../../../../../platform/delta-sync/index.js';

/** The name of the master-data sync: its runs, lock, watermarks and exception sources. */
export const MASTER_DATA_SYNC = 'master-data';

/**
 * Pull master-data changes from the bound ERP adapter. With `wait` the result is the finished run;
 * without, the run is started in the background and returned as `running`. Fails at once with
 * SYNC_ALREADY_RUNNING (409) while any instance runs a sync, and ERP_ADAPTER_UNAVAILABLE (503)
 * when no MasterDataFeed is bound.
 */
export class SyncMasterDataCommand extends Command<DeltaSyncRun> {
  constructor(
    readonly trigger: DeltaSyncTrigger,
    readonly wait: boolean,
  ) {
    super();
  }
}
