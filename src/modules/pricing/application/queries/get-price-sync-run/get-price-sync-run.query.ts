import { Query } from '@nestjs/cqrs';
import type { DeltaSyncRun } from '../../../../../platform/delta-sync/index.js';

/** One price-data sync run by id; SYNC_RUN_NOT_FOUND (404) when unknown. */
export class GetPriceSyncRunQuery extends Query<DeltaSyncRun> {
  constructor(readonly id: string) {
    super();
  }
}
