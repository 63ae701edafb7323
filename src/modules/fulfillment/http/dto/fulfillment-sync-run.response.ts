import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import {
  DELTA_SYNC_STATUSES,
  DELTA_SYNC_TRIGGERS,
  type DeltaSyncRun,
  emptyStreamCounts,
  StreamCountsResponse,
} from '../../../../platform/delta-sync/index.js';

const toBool = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export class TriggerFulfillmentSyncQuery {
  @ApiPropertyOptional({
    description: 'Answer when the run has finished (200) instead of at once (202)',
    example: true,
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  wait?: boolean;

  @ApiPropertyOptional({
    description: 'Read every shipment and invoice from the beginning',
    example: false,
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  full?: boolean;
}

export class FulfillmentSyncStreamsResponse {
  @ApiProperty({ type: StreamCountsResponse }) shipments: StreamCountsResponse;
  @ApiProperty({ type: StreamCountsResponse }) invoices: StreamCountsResponse;
}

export class FulfillmentSyncRunResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: DELTA_SYNC_TRIGGERS, example: 'manual' }) trigger: string;
  @ApiProperty({ enum: DELTA_SYNC_STATUSES, example: 'succeeded' }) status: string;
  @ApiProperty({ description: 'ERP adapter the run read from', example: 'onprem' }) feed: string;
  @ApiProperty({ example: false }) full: boolean;
  @ApiProperty({ type: FulfillmentSyncStreamsResponse }) streams: FulfillmentSyncStreamsResponse;
  @ApiProperty({ format: 'date-time', example: '2026-12-07T10:15:00.000Z' }) startedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: null }) finishedAt:
    string | null;
  @ApiProperty({ nullable: true, type: Number, example: 120 }) durationMs: number | null;
  @ApiProperty({ nullable: true, type: String, example: null }) error: string | null;
  @ApiProperty({ nullable: true, type: String, example: null }) correlationId: string | null;

  static from(run: DeltaSyncRun): FulfillmentSyncRunResponse {
    const counts = (name: string) =>
      StreamCountsResponse.from(run.streams[name] ?? emptyStreamCounts());
    return {
      id: run.id,
      trigger: run.trigger,
      status: run.status,
      feed: run.feed,
      full: run.full,
      streams: { shipments: counts('shipments'), invoices: counts('invoices') },
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null,
      durationMs: run.durationMs,
      error: run.error,
      correlationId: run.correlationId,
    };
  }
}
