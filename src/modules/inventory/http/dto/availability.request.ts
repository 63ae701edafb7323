import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { MAX_AVAILABILITY_SKUS } from '../../application/queries/get-availability/get-availability.query.js';

/** A repeated query parameter arrives as a string when given once. */
const toArray = ({ value }: { value: unknown }): unknown =>
  value === undefined || Array.isArray(value) ? value : [value];

export const MAX_QUERY_STRING_SKUS = 50;

export class AvailabilityQueryParams {
  @ApiProperty({
    description: `SKUs, repeated: \`?sku=A&sku=B\` (1-${MAX_QUERY_STRING_SKUS}; more with POST availability:query)`,
    type: [String],
    example: ['ABR-10015', 'ABR-10026'],
  })
  @Transform(toArray)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_QUERY_STRING_SKUS)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  sku: string[];

  @ApiPropertyOptional({ description: 'Only this warehouse', example: 'EAST' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  warehouse?: string;
}

export class AvailabilityQueryRequest {
  @ApiProperty({
    description: `SKUs (1-${MAX_AVAILABILITY_SKUS}); each is answered once, in this order`,
    type: [String],
    example: ['ABR-10015', 'ABR-10026'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_AVAILABILITY_SKUS)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  skus: string[];

  @ApiPropertyOptional({ description: 'Only this warehouse', example: 'EAST' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  warehouse?: string;
}
