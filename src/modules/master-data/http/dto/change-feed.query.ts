import { applyDecorators } from '@nestjs/common';
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

/**
 * The query fields the master-data change feeds (GET /v1/customers, GET /v1/items) share:
 * `changedSince`, `cursor` and `limit`, documented and validated the same way on both.
 */

const CURSOR = /^[A-Za-z0-9_-]+$/;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** `changedSince`: records (`customers`, `items`) the hub wrote at or after this instant. */
export function ChangedSinceField(records: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      description:
        `Only ${records} the hub wrote at or after this instant (ISO 8601 with offset). Use it ` +
        'for the first call; continue with `cursor`, which carries the filter.',
      format: 'date-time',
      example: '2026-05-13T00:00:00Z',
    }),
    IsOptional(),
    IsISO8601(
      { strict: true, strictSeparator: true },
      { message: 'changedSince must be a valid ISO 8601 date-time' },
    ),
    Matches(ISO_WITH_OFFSET, { message: 'changedSince must be ISO 8601 with an offset' }),
  );
}

/** `cursor`: the `nextCursor` of the previous page (`example`: one such cursor). */
export function CursorField(example: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      description: 'The `nextCursor` of the previous page',
      maxLength: 512,
      example,
    }),
    IsOptional(),
    IsString(),
    MaxLength(512),
    Matches(CURSOR, { message: 'cursor must be a nextCursor value returned by this endpoint' }),
  );
}

/** `limit`: the page size, 1 to `maximum`. */
export function PageSizeField(maximum: number, defaultSize: number): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      description: 'Page size',
      minimum: 1,
      maximum,
      default: defaultSize,
      example: 100,
    }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(maximum),
  );
}
