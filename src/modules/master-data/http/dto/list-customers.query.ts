import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  DEFAULT_CUSTOMER_PAGE_SIZE,
  MAX_CUSTOMER_API_PAGE_SIZE,
} from '../../application/queries/list-customer-changes/list-customer-changes.query.js';

const CURSOR = /^[A-Za-z0-9_-]+$/;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export class ListCustomersQuery {
  @ApiPropertyOptional({
    description:
      'Only customers the hub wrote at or after this instant (ISO 8601 with offset). Use it for ' +
      'the first call; continue with `cursor`, which carries the filter.',
    format: 'date-time',
    example: '2026-05-13T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601(
    { strict: true, strictSeparator: true },
    { message: 'changedSince must be a valid ISO 8601 date-time' },
  )
  @Matches(ISO_WITH_OFFSET, { message: 'changedSince must be ISO 8601 with an offset' })
  changedSince?: string;

  @ApiPropertyOptional({
    description: 'The `nextCursor` of the previous page',
    maxLength: 512,
    example: 'eyJ2IjoxLCJzIjpudWxsLCJxIjoiNDIiLCJrIjoiQzEwMDQyIn0',
  })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  @Matches(CURSOR, { message: 'cursor must be a nextCursor value returned by this endpoint' })
  cursor?: string;

  @ApiPropertyOptional({
    type: 'integer',
    description: 'Page size',
    minimum: 1,
    maximum: MAX_CUSTOMER_API_PAGE_SIZE,
    default: DEFAULT_CUSTOMER_PAGE_SIZE,
    example: 100,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_CUSTOMER_API_PAGE_SIZE)
  limit?: number;
}
