import { DeltaSync1764600000000 } from './migrations/1764600000000-delta-sync.js';
import { SyncRunCompletedWithErrors1764813000000 } from './migrations/1764813000000-sync-run-completed-with-errors.js';

export * from './delta-sync.types.js';
export { DeltaSyncModule } from './delta-sync.module.js';
export { DeltaSyncService, DELTA_RECORD_INVALID_EXCEPTION } from './delta-sync.service.js';
export { DeltaSyncErrors } from './delta-sync.errors.js';
export { scheduleDeltaSync, type ScheduledDeltaSync } from './delta-sync.schedule.js';
export { DELTA_TABLE_BOOKKEEPING_DDL } from './delta-table.writer.js';
export { canonicalJson, contentHash } from './delta-entry.classifier.js';
export {
  RecordReader,
  isIsoDate,
  type DecimalOptions,
  parseSourceInstant,
} from '../kernel/index.js';

/** The runner's tables, assembled into the hub list by src/migrations.ts. */
export const deltaSyncMigrations = [
  DeltaSync1764600000000,
  SyncRunCompletedWithErrors1764813000000,
];
export {
  ListSyncRunsParams,
  DEFAULT_SYNC_RUN_PAGE_SIZE,
  MAX_SYNC_RUN_PAGE_SIZE,
} from './http/list-sync-runs.params.js';
export { StreamCountsResponse } from './http/stream-counts.response.js';
