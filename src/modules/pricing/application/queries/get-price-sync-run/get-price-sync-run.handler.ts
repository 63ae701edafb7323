import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  DeltaSyncErrors,
  type DeltaSyncRun,
  DeltaSyncService,
} from '../../../../../platform/delta-sync/index.js';
import { PRICING_SYNC } from '../../commands/sync-price-data/sync-price-data.command.js';
import { GetPriceSyncRunQuery } from './get-price-sync-run.query.js';

@QueryHandler(GetPriceSyncRunQuery)
export class GetPriceSyncRunHandler implements IQueryHandler<GetPriceSyncRunQuery> {
  constructor(private readonly sync: DeltaSyncService) {}

  async execute(query: GetPriceSyncRunQuery): Promise<DeltaSyncRun> {
    const run = await this.sync.findRun(PRICING_SYNC, query.id);
    if (!run) throw DeltaSyncErrors.runNotFound(PRICING_SYNC, query.id);
    return run;
  }
}
