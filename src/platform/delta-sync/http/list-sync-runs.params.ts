import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export const DEFAULT_SYNC_RUN_PAGE_SIZE = 20;
export const MAX_SYNC_RUN_PAGE_SIZE = 100;

/** Query of a sync's run list (master data, pricing and inventory alike). */
export class ListSyncRunsParams {
  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page', maxLength: 512 })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  @Matches(/^[A-Za-z0-9_-]+$/, {
    message: 'cursor must be a nextCursor value returned by this endpoint',
  })
  cursor?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_SYNC_RUN_PAGE_SIZE,
    default: DEFAULT_SYNC_RUN_PAGE_SIZE,
    example: 20,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_SYNC_RUN_PAGE_SIZE)
  limit?: number;
}
