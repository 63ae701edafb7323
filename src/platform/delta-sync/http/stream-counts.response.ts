import { ApiProperty } from '@nestjs/swagger';
import type { DeltaStreamCounts } from '../delta-sync.types.js';

/** What one sync run did with one stream (the shape every module's sync-run answer shares). */
export class StreamCountsResponse {
  @ApiProperty({
    description: 'Entries the ERP adapter delivered (overlap re-reads included)',
    example: 12,
  })
  read: number;

  @ApiProperty({ description: 'New or changed records applied', example: 3 })
  upserted: number;

  @ApiProperty({ description: 'Records identical to what the hub has: nothing done', example: 9 })
  unchanged: number;

  @ApiProperty({ description: 'Records removed (deleted in the ERP)', example: 0 })
  deleted: number;

  @ApiProperty({
    description: 'Records refused; each is an exception of type sync.record_invalid',
    example: 0,
  })
  invalid: number;

  @ApiProperty({ description: 'Feed pages read', example: 1 })
  pages: number;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Why this stream stopped early',
    example: null,
  })
  error: string | null;

  @ApiProperty({
    description:
      'What the ERP adapter could not serve because the ERP lacks it (a custom API page not installed)',
    type: [String],
    example: [],
  })
  degraded: string[];

  static from(c: DeltaStreamCounts): StreamCountsResponse {
    return { ...c };
  }
}
