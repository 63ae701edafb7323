import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  DEFAULT_SYNC_RUN_PAGE_SIZE,
  type DeltaSyncRunPage,
  DeltaSyncService,
} from '../../../../../platform/delta-sync/index.js';
import { PRICING_SYNC } from '../../commands/sync-price-data/sync-price-data.command.js';
import { ListPriceSyncRunsQuery } from './list-price-sync-runs.query.js';

@QueryHandler(ListPriceSyncRunsQuery)
export class ListPriceSyncRunsHandler implements IQueryHandler<ListPriceSyncRunsQuery> {
  constructor(private readonly sync: DeltaSyncService) {}

  execute({ input }: ListPriceSyncRunsQuery): Promise<DeltaSyncRunPage> {
    return this.sync.listRuns(PRICING_SYNC, {
      cursor: input.cursor,
      limit: input.limit ?? DEFAULT_SYNC_RUN_PAGE_SIZE,
    });
  }
}
