import { Query } from '@nestjs/cqrs';
import type { DeltaSyncRunPage } from '../../../../../platform/delta-sync/index.js';

/** Price-data sync runs, newest first, cursor paged. */
export class ListPriceSyncRunsQuery extends Query<DeltaSyncRunPage> {
  constructor(readonly input: { cursor?: string; limit?: number }) {
    super();
  }
}
