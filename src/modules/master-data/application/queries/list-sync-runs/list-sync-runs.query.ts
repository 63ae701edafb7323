import { Query } from '@nestjs/cqrs';
import type { DeltaSyncRunPage } from '../../../../../platform/delta-sync/index.js';

/** Master-data sync runs, newest first. */
export class ListSyncRunsQuery extends Query<DeltaSyncRunPage> {
  constructor(readonly input: { cursor?: string; limit?: number }) {
    super();
  }
}
