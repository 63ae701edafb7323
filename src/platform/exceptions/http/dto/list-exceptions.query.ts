import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { DEFAULT_EXCEPTION_PAGE_SIZE, MAX_EXCEPTION_PAGE_SIZE } from '../../exceptions.service.js';
import { EXCEPTION_STATUSES, type ExceptionStatus } from '../../ops-exception.types.js';

export class ListExceptionsQuery {
  @ApiPropertyOptional({
    description: 'Only exceptions of this type',
    example: 'job.failed',
    maxLength: 100,
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  type?: string;

  @ApiPropertyOptional({
    description: 'Only exceptions in this status',
    enum: EXCEPTION_STATUSES,
    example: 'open',
  })
  @IsOptional()
  @IsIn(EXCEPTION_STATUSES)
  status?: ExceptionStatus;

  @ApiPropertyOptional({
    description: 'The `nextCursor` of the previous page; omit for the first (newest) page',
    example:
      'eyJ0IjoiMjAyNS0xMS0yOVQxMDoxNTozMC4xMjM0NTZaIiwiaSI6IjBiNmYwZDdlLTVjMWEtNGY1ZS05YTBlLTNjMmQxYjBhOWY4ZSJ9',
    maxLength: 512,
  })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  @Matches(/^[A-Za-z0-9_-]+$/, {
    message: 'cursor must be a nextCursor value returned by this endpoint',
  })
  cursor?: string;

  @ApiPropertyOptional({
    description: 'Page size',
    type: 'integer',
    minimum: 1,
    maximum: MAX_EXCEPTION_PAGE_SIZE,
    default: DEFAULT_EXCEPTION_PAGE_SIZE,
    example: 50,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_EXCEPTION_PAGE_SIZE)
  limit?: number;
}
