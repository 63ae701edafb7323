import { Query } from '@nestjs/cqrs';
import type { DeltaSyncRun } from '../../../../../platform/delta-sync/index.js';

export class GetSyncRunQuery extends Query<DeltaSyncRun> {
  constructor(readonly id: string) {
    super();
  }
}
