import { ApiProperty } from '@nestjs/swagger';
import {
  DELTA_SYNC_STATUSES,
  DELTA_SYNC_TRIGGERS,
  type DeltaStreamCounts,
  type DeltaSyncRun,
  type DeltaSyncStatus,
  type DeltaSyncTrigger,
  emptyStreamCounts,
} from '../../../../platform/delta-sync/index.js';
import type { MasterDataKind } from '../../domain/master-data-kind.js';

export class EntitySyncCountsResponse {
  @ApiProperty({
    description: 'Records the ERP adapter delivered (overlap re-reads included)',
    example: 1250,
  })
  read: number;

  @ApiProperty({ description: 'New or changed records written', example: 37 })
  upserted: number;

  @ApiProperty({
    description: 'Valid records identical to the hub copy: not rewritten',
    example: 1211,
  })
  unchanged: number;

  @ApiProperty({
    description: 'Records refused; each is an exception of type sync.record_invalid',
    example: 2,
  })
  invalid: number;

  @ApiProperty({ description: 'Feed pages read', example: 3 })
  pages: number;

  @ApiProperty({
    description: 'Why this kind stopped early (the other kinds still ran)',
    nullable: true,
    type: String,
    example: null,
  })
  error: string | null;

  @ApiProperty({
    description:
      'What the ERP adapter could not serve in this run because the ERP lacks it (e.g. a custom ' +
      'API page not installed); empty when the sync was complete',
    type: [String],
    example: [],
  })
  degraded: string[];

  /** A master-data run's counts per kind (deletions are not part of master data: not shown). */
  static from(c: DeltaStreamCounts): EntitySyncCountsResponse {
    return {
      read: c.read,
      upserted: c.upserted,
      unchanged: c.unchanged,
      invalid: c.invalid,
      pages: c.pages,
      error: c.error,
      degraded: c.degraded,
    };
  }
}

export class SyncRunEntitiesResponse {
  @ApiProperty({ type: EntitySyncCountsResponse })
  warehouses: EntitySyncCountsResponse;

  @ApiProperty({ type: EntitySyncCountsResponse })
  customers: EntitySyncCountsResponse;

  @ApiProperty({ type: EntitySyncCountsResponse })
  items: EntitySyncCountsResponse;
}

export class SyncRunResponse {
  @ApiProperty({ format: 'uuid', example: '0b6f0d7e-5c1a-4f5e-9a0e-3c2d1b0a9f8e' })
  id: string;

  @ApiProperty({ enum: DELTA_SYNC_TRIGGERS, example: 'manual' })
  trigger: DeltaSyncTrigger;

  @ApiProperty({ enum: DELTA_SYNC_STATUSES, example: 'succeeded' })
  status: DeltaSyncStatus;

  @ApiProperty({ description: 'ERP adapter the run read from', example: 'onprem' })
  feed: string;

  @ApiProperty({ type: SyncRunEntitiesResponse })
  entities: SyncRunEntitiesResponse;

  @ApiProperty({ format: 'date-time', example: '2026-05-13T10:15:00.000Z' })
  startedAt: string;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: '2026-05-13T10:15:42.118Z',
  })
  finishedAt: string | null;

  @ApiProperty({ nullable: true, type: Number, example: 42118 })
  durationMs: number | null;

  @ApiProperty({
    description: 'Summary of what failed, per kind',
    nullable: true,
    type: String,
    example: null,
  })
  error: string | null;

  @ApiProperty({
    description: 'Correlation id of the request or job that started the run',
    nullable: true,
    type: String,
    example: '6f1c2a9e-4a8b-4d0e-9a53-2f0f7f6c1e10',
  })
  correlationId: string | null;

  static from(run: DeltaSyncRun): SyncRunResponse {
    return {
      id: run.id,
      trigger: run.trigger,
      status: run.status,
      feed: run.feed,
      entities: {
        warehouses: EntitySyncCountsResponse.from(countsOf(run, 'warehouses')),
        customers: EntitySyncCountsResponse.from(countsOf(run, 'customers')),
        items: EntitySyncCountsResponse.from(countsOf(run, 'items')),
      },
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null,
      durationMs: run.durationMs,
      error: run.error,
      correlationId: run.correlationId,
    };
  }
}

export class SyncRunPageResponse {
  @ApiProperty({ type: [SyncRunResponse] })
  items: SyncRunResponse[];

  @ApiProperty({
    description: 'Pass back as `cursor` for older runs; null on the last page',
    nullable: true,
    type: String,
    example: null,
  })
  nextCursor: string | null;
}

/** A kind's counts; a run stored before a kind existed reads as all zeros. */
function countsOf(run: DeltaSyncRun, kind: MasterDataKind): DeltaStreamCounts {
  return run.streams[kind] ?? emptyStreamCounts();
}
