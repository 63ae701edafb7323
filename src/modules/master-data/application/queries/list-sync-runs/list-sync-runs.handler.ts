import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  DEFAULT_SYNC_RUN_PAGE_SIZE,
  type DeltaSyncRunPage,
  DeltaSyncService,
} from '../../../../../platform/delta-sync/index.js';
import { MASTER_DATA_SYNC } from '../../commands/sync-master-data/sync-master-data.command.js';
import { ListSyncRunsQuery } from './list-sync-runs.query.js';

@QueryHandler(ListSyncRunsQuery)
export class ListSyncRunsHandler implements IQueryHandler<ListSyncRunsQuery> {
  constructor(private readonly sync: DeltaSyncService) {}

  execute({ input }: ListSyncRunsQuery): Promise<DeltaSyncRunPage> {
    return this.sync.listRuns(MASTER_DATA_SYNC, {
      cursor: input.cursor,
      limit: input.limit ?? DEFAULT_SYNC_RUN_PAGE_SIZE,
    });
  }
}
