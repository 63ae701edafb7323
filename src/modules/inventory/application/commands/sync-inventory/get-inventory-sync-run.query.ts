import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  DEFAULT_SYNC_RUN_PAGE_SIZE,
  DeltaSyncErrors,
  type DeltaSyncRun,
  type DeltaSyncRunPage,
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

/** Inventory sync runs, newest first, cursor paged. */
export class ListInventorySyncRunsQuery extends Query<DeltaSyncRunPage> {
  constructor(readonly input: { cursor?: string; limit?: number }) {
    super();
  }
}

@QueryHandler(ListInventorySyncRunsQuery)
export class ListInventorySyncRunsHandler implements IQueryHandler<ListInventorySyncRunsQuery> {
  constructor(private readonly deltaSync: DeltaSyncService) {}

  execute({ input }: ListInventorySyncRunsQuery): Promise<DeltaSyncRunPage> {
    return this.deltaSync.listRuns(INVENTORY_SYNC, {
      cursor: input.cursor,
      limit: input.limit ?? DEFAULT_SYNC_RUN_PAGE_SIZE,
    });
  }
}
