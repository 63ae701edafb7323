import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
} from 'class-validator';
import { ORDER_STATUSES, type OrderStatus } from '../../domain/order.js';

export class OrderIdParams {
  @ApiProperty({ format: 'uuid', example: '5b0f3c1e-2d4a-4f6b-9c8d-7e6f5a4b3c2d' })
  @IsUUID()
  id: string;
}

export class ListOrdersQueryDto {
  @ApiPropertyOptional({ enum: ORDER_STATUSES, example: 'ON_HOLD' })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;

  @ApiPropertyOptional({ example: 'WEB-100234', maxLength: 64 })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  channelOrderRef?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50, example: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class CancelOrderRequest {
  @ApiPropertyOptional({
    description: 'Why (kept in the order history)',
    example: 'Customer changed their mind',
    maxLength: 500,
  })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}

export class ReleaseOrderRequest {
  @ApiProperty({
    description: 'Why the hold may go (kept in the order history)',
    example: 'Credit approved by finance',
    maxLength: 500,
  })
  @IsString()
  @Length(1, 500)
  reason: string;

  @ApiPropertyOptional({
    description:
      'Release even though re-validation still finds reasons to hold (a person reviewed them). Reasons to reject are never overridden.',
    default: false,
    example: false,
  })
  @IsOptional()
  @IsBoolean()
  override?: boolean;
}
