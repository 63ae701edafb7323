import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { SyncRun } from '../../../domain/sync-run.js';
import { SyncRunRepository } from '../../../infrastructure/sync-run.repository.js';
import { MasterDataErrors } from '../../master-data.errors.js';
import { GetSyncRunQuery } from './get-sync-run.query.js';

@QueryHandler(GetSyncRunQuery)
export class GetSyncRunHandler implements IQueryHandler<GetSyncRunQuery> {
  constructor(private readonly runs: SyncRunRepository) {}

  async execute(query: GetSyncRunQuery): Promise<SyncRun> {
    const run = await this.runs.findById(query.id);
    if (!run) throw MasterDataErrors.syncRunNotFound(query.id);
    return run;
  }
}
