import { MASTER_DATA_KINDS, type MasterDataKind } from '../domain/master-data-kind.js';
import {
  emptyCounts,
  type EntitySyncCounts,
  type SyncRun,
  type SyncRunStatus,
  type SyncTrigger,
} from '../domain/sync-run.js';
import type { SyncRunOrmEntity } from './sync-run.orm-entity.js';

export const SyncRunMapper = {
  toDomain(row: SyncRunOrmEntity): SyncRun {
    const entities = Object.fromEntries(
      MASTER_DATA_KINDS.map((kind) => [kind, { ...emptyCounts(), ...row.entities[kind] }]),
    ) as Record<MasterDataKind, EntitySyncCounts>;
    return {
      id: row.id,
      trigger: row.trigger as SyncTrigger,
      status: row.status as SyncRunStatus,
      feed: row.feed,
      entities,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
      durationMs: row.durationMs,
      error: row.error,
      correlationId: row.correlationId,
    };
  },

  toRow(run: SyncRun): SyncRunOrmEntity {
    return {
      id: run.id,
      trigger: run.trigger,
      status: run.status,
      feed: run.feed,
      entities: run.entities,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      durationMs: run.durationMs,
      error: run.error,
      correlationId: run.correlationId,
    };
  },
};
