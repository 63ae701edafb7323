import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AppConfig } from '../../../../../config/index.js';
import { type DeltaSyncRun, DeltaSyncService } from '../../../../../platform/delta-sync/index.js';
import { MasterDataSyncWriter } from '../../../infrastructure/master-data-sync.writer.js';
import { ChangeRelayJob } from '../../governance/change-relay.job.js';
import { MasterDataErrors } from '../../master-data.errors.js';
import { MasterDataFeed } from '../../ports/master-data.feed.js';
import { masterDataStreams } from './master-data.streams.js';
import { MASTER_DATA_SYNC, SyncMasterDataCommand } from './sync-master-data.command.js';

/**
 * The master-data sync on the generic delta-sync runner (src/platform/delta-sync): the runner
 * pages the feed kind by kind, checks every record, refuses invalid ones as exceptions, keeps
 * the watermarks, the run, the lock and the metrics; the governed writer writes each page.
 */
@CommandHandler(SyncMasterDataCommand)
export class SyncMasterDataHandler implements ICommandHandler<SyncMasterDataCommand> {
  constructor(
    // AppModule binds one through ErpAdapterModule; a composition without it (tests that bind
    // their own feed, `AppModule.forRoot(config, { erpAdapter: false })`) answers 503.
    @Optional() @Inject(MasterDataFeed) private readonly feed: MasterDataFeed | null,
    private readonly deltaSync: DeltaSyncService,
    private readonly writer: MasterDataSyncWriter,
    private readonly changeRelay: ChangeRelayJob,
    private readonly config: AppConfig,
  ) {}

  execute(command: SyncMasterDataCommand): Promise<DeltaSyncRun> {
    const feed = this.feed;
    if (!feed) throw MasterDataErrors.erpAdapterUnavailable();
    return this.deltaSync.start(
      {
        sync: MASTER_DATA_SYNC,
        feedName: feed.name,
        streams: masterDataStreams(feed, this.writer),
        pageSize: this.config.masterDataSync.pageSize,
        lagSeconds: this.config.masterDataSync.lagSeconds,
        // The page's changes are in the audit trail: have them published as events soon.
        afterPage: async (_stream, written) => {
          if (written.upserted > 0) await this.changeRelay.kick();
        },
      },
      { trigger: command.trigger, wait: command.wait },
    );
  }
}
