import { Query } from '@nestjs/cqrs';
import type { SyncRun } from '../../../domain/sync-run.js';

export class GetSyncRunQuery extends Query<SyncRun> {
  constructor(readonly id: string) {
    super();
  }
}
