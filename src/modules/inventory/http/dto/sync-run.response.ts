import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';
import {
  emptyStreamCounts,
  DELTA_SYNC_STATUSES,
  DELTA_SYNC_TRIGGERS,
  type DeltaStreamCounts,
  type DeltaSyncRun,
  type DeltaSyncStatus,
  type DeltaSyncTrigger,
} from '../../../../platform/delta-sync/index.js';

const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export class TriggerInventorySyncQuery {
  @ApiPropertyOptional({
    description: 'true: answer when the run has finished (200); default: 202 at once',
    default: false,
    example: false,
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  wait?: boolean;

  @ApiPropertyOptional({
    description: 'true: read every ERP balance from the beginning, not only changes',
    default: false,
    example: false,
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  full?: boolean;
}

export class SyncRunIdParams {
  @ApiProperty({ format: 'uuid', example: '0b6f0d7e-5c1a-4f5e-9a0e-3c2d1b0a9f8e' })
  @IsUUID()
  id: string;
}

export class InventorySyncCountsResponse {
  @ApiProperty({
    description: 'Balances the ERP adapter delivered (overlap included)',
    example: 420,
  })
  read: number;

  @ApiProperty({ description: 'Balances whose figures changed: applied to positions', example: 17 })
  upserted: number;

  @ApiProperty({ description: 'Balances identical to the hub copy', example: 403 })
  unchanged: number;

  @ApiProperty({ example: 0 })
  deleted: number;

  @ApiProperty({ description: 'Refused; each is an exception (sync.record_invalid)', example: 0 })
  invalid: number;

  @ApiProperty({ example: 1 })
  pages: number;

  @ApiProperty({ nullable: true, type: String, example: null })
  error: string | null;

  @ApiProperty({
    description:
      'What the ERP adapter could not serve in this run because the ERP lacks it (e.g. a custom ' +
      'API page not installed); empty when the sync was complete',
    type: [String],
    example: [],
  })
  degraded: string[];
}

export class InventorySyncRunResponse {
  @ApiProperty({ format: 'uuid', example: '0b6f0d7e-5c1a-4f5e-9a0e-3c2d1b0a9f8e' })
  id: string;

  @ApiProperty({ enum: DELTA_SYNC_TRIGGERS, example: 'manual' })
  trigger: DeltaSyncTrigger;

  @ApiProperty({ enum: DELTA_SYNC_STATUSES, example: 'succeeded' })
  status: DeltaSyncStatus;

  @ApiProperty({ description: 'ERP adapter read from', example: 'onprem' })
  feed: string;

  @ApiProperty({ example: false })
  full: boolean;

  @ApiProperty({ type: InventorySyncCountsResponse })
  balances: InventorySyncCountsResponse;

  @ApiProperty({ format: 'date-time', example: '2026-05-13T10:15:00.000Z' })
  startedAt: string;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: '2026-05-13T10:15:02.120Z',
  })
  finishedAt: string | null;

  @ApiProperty({ nullable: true, type: Number, example: 2120 })
  durationMs: number | null;

  @ApiProperty({ nullable: true, type: String, example: null })
  error: string | null;

  static from(run: DeltaSyncRun, stream: string): InventorySyncRunResponse {
    const counts: DeltaStreamCounts = run.streams[stream] ?? emptyStreamCounts();
    return {
      id: run.id,
      trigger: run.trigger,
      status: run.status,
      feed: run.feed,
      full: run.full,
      balances: { ...counts },
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null,
      durationMs: run.durationMs,
      error: run.error,
    };
  }
}

export class InventorySyncRunPageResponse {
  @ApiProperty({ type: [InventorySyncRunResponse] })
  items: InventorySyncRunResponse[];

  @ApiProperty({
    description: 'Pass back as `cursor` for older runs; null on the last page',
    nullable: true,
    type: String,
    example: null,
  })
  nextCursor: string | null;
}
