import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  DeltaSyncErrors,
  type DeltaSyncRun,
  DeltaSyncService,
} from '../../../../../platform/delta-sync/index.js';
import { MASTER_DATA_SYNC } from '../../commands/sync-master-data/sync-master-data.command.js';
import { GetSyncRunQuery } from './get-sync-run.query.js';

@QueryHandler(GetSyncRunQuery)
export class GetSyncRunHandler implements IQueryHandler<GetSyncRunQuery> {
  constructor(private readonly sync: DeltaSyncService) {}

  async execute(query: GetSyncRunQuery): Promise<DeltaSyncRun> {
    const run = await this.sync.findRun(MASTER_DATA_SYNC, query.id);
    if (!run) throw DeltaSyncErrors.runNotFound(MASTER_DATA_SYNC, query.id);
    return run;
  }
}
