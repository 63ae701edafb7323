import { ApiProperty } from '@nestjs/swagger';
import {
  emptyStreamCounts,
  DELTA_SYNC_STATUSES,
  DELTA_SYNC_TRIGGERS,
  type DeltaStreamCounts,
  type DeltaSyncRun,
} from '../../../../platform/delta-sync/index.js';

export class PriceStreamCountsResponse {
  @ApiProperty({
    description: 'Entries the ERP adapter delivered (overlap re-reads included)',
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

  @ApiProperty({ description: 'Records removed (deleted in the ERP)', example: 0 })
  deleted: number;

  @ApiProperty({
    description: 'Records refused; each is an exception of type sync.record_invalid',
    example: 2,
  })
  invalid: number;

  @ApiProperty({ description: 'Feed pages read', example: 3 })
  pages: number;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Why this kind stopped early',
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

  static from(c: DeltaStreamCounts): PriceStreamCountsResponse {
    return { ...c };
  }
}

export class PriceSyncStreamsResponse {
  @ApiProperty({ type: PriceStreamCountsResponse })
  priceLists: PriceStreamCountsResponse;

  @ApiProperty({ type: PriceStreamCountsResponse })
  priceListEntries: PriceStreamCountsResponse;

  @ApiProperty({ type: PriceStreamCountsResponse })
  contracts: PriceStreamCountsResponse;

  @ApiProperty({ type: PriceStreamCountsResponse })
  promotions: PriceStreamCountsResponse;
}

export class PriceSyncRunResponse {
  @ApiProperty({ format: 'uuid', example: '0b6f0d7e-5c1a-4f5e-9a0e-3c2d1b0a9f8e' })
  id: string;

  @ApiProperty({ enum: DELTA_SYNC_TRIGGERS, example: 'manual' })
  trigger: string;

  @ApiProperty({ enum: DELTA_SYNC_STATUSES, example: 'succeeded' })
  status: string;

  @ApiProperty({ description: 'ERP adapter the run read from', example: 'onprem' })
  feed: string;

  @ApiProperty({
    description: 'Read from the beginning, removing what the ERP no longer has',
    example: false,
  })
  full: boolean;

  @ApiProperty({ type: PriceSyncStreamsResponse })
  streams: PriceSyncStreamsResponse;

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

  @ApiProperty({ nullable: true, type: String, example: null })
  error: string | null;

  @ApiProperty({ nullable: true, type: String, example: '6f1c2a9e-4a8b-4d0e-9a53-2f0f7f6c1e10' })
  correlationId: string | null;

  static from(run: DeltaSyncRun): PriceSyncRunResponse {
    const counts = (name: string): PriceStreamCountsResponse =>
      PriceStreamCountsResponse.from(run.streams[name] ?? emptyStreamCounts());
    return {
      id: run.id,
      trigger: run.trigger,
      status: run.status,
      feed: run.feed,
      full: run.full,
      streams: {
        priceLists: counts('priceLists'),
        priceListEntries: counts('priceListEntries'),
        contracts: counts('contracts'),
        promotions: counts('promotions'),
      },
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null,
      durationMs: run.durationMs,
      error: run.error,
      correlationId: run.correlationId,
    };
  }
}

export class PriceSyncRunPageResponse {
  @ApiProperty({ type: [PriceSyncRunResponse] })
  items: PriceSyncRunResponse[];

  @ApiProperty({
    description: 'Pass back as `cursor` for older runs; null on the last page',
    nullable: true,
    type: String,
    example: null,
  })
  nextCursor: string | null;
}
