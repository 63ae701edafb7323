import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  DeltaSyncErrors,
  type DeltaSyncRun,
  DeltaSyncService,
} from '../../../../../platform/delta-sync/index.js';
import { INVENTORY_SYNC } from './sync-inventory.command.js';

/** One inventory sync run by id; SYNC_RUN_NOT_FOUND when unknown. */
export class GetInventorySyncRunQuery extends Query<DeltaSyncRun> {
  constructor(readonly id: string) {
    super();
  }
}

@QueryHandler(GetInventorySyncRunQuery)
export class GetInventorySyncRunHandler implements IQueryHandler<GetInventorySyncRunQuery> {
  constructor(private readonly deltaSync: DeltaSyncService) {}

  async execute(query: GetInventorySyncRunQuery): Promise<DeltaSyncRun> {
    const run = await this.deltaSync.findRun(INVENTORY_SYNC, query.id);
    if (!run) throw DeltaSyncErrors.runNotFound(INVENTORY_SYNC, query.id);
    return run;
  }
}
