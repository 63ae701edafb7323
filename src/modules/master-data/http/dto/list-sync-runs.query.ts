import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import {
  DEFAULT_RUN_PAGE_SIZE,
  MAX_RUN_PAGE_SIZE,
} from '../../application/queries/list-sync-runs/list-sync-runs.query.js';

const CURSOR = /^[A-Za-z0-9_-]+$/;
const CURSOR_MESSAGE = 'cursor must be a nextCursor value returned by this endpoint';

export class ListSyncRunsQueryParams {
  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page', maxLength: 512 })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  @Matches(CURSOR, { message: CURSOR_MESSAGE })
  cursor?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_RUN_PAGE_SIZE,
    default: DEFAULT_RUN_PAGE_SIZE,
    example: 20,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_RUN_PAGE_SIZE)
  limit?: number;
}
