import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import type { EffectiveRule } from '../../application/channel-rules.js';
import { BUFFER_TYPES, type BufferType } from '../../domain/channel-rule.js';

export class ChannelIdParams {
  @ApiProperty({ format: 'uuid', example: '3f1f8a52-2d7e-4f0e-8a0b-5b7c9e1d2a44' })
  @IsUUID()
  channelId: string;
}

export class ChannelBufferDto {
  @ApiProperty({
    enum: BUFFER_TYPES,
    description: 'NONE; UNITS: base units per warehouse; PERCENT: share of ATP, rounded up',
    example: 'PERCENT',
  })
  @IsIn(BUFFER_TYPES)
  type: BufferType;

  @ApiPropertyOptional({
    description: 'Decimal string: units (UNITS) or 0-100 (PERCENT); ignored for NONE',
    example: '10',
  })
  @IsOptional()
  @IsString()
  @MaxLength(30)
  value?: string;
}

export class ChannelRuleRequest {
  @ApiProperty({
    description: 'Warehouse codes the channel may sell from; null = every warehouse',
    type: [String],
    nullable: true,
    example: ['EAST', 'WEST'],
  })
  @ValidateIf((o: ChannelRuleRequest) => o.warehouses !== null)
  @IsArray()
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  warehouses: string[] | null;

  @ApiProperty({ type: ChannelBufferDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ChannelBufferDto)
  buffer: ChannelBufferDto;
}

export class ChannelBufferResponse {
  @ApiProperty({ enum: BUFFER_TYPES, example: 'PERCENT' })
  type: BufferType;

  @ApiProperty({ example: '10' })
  value: string;
}

export class ChannelRuleResponse {
  @ApiProperty({ format: 'uuid', example: '3f1f8a52-2d7e-4f0e-8a0b-5b7c9e1d2a44' })
  channelId: string;

  @ApiProperty({
    description: "true: the channel's own rule; false: the default for its kind",
    example: true,
  })
  explicit: boolean;

  @ApiProperty({ type: [String], nullable: true, example: ['EAST', 'WEST'] })
  warehouses: string[] | null;

  @ApiProperty({ type: ChannelBufferResponse })
  buffer: ChannelBufferResponse;

  static from(channelId: string, effective: EffectiveRule): ChannelRuleResponse {
    return {
      channelId,
      explicit: effective.explicit,
      warehouses: effective.rule.warehouses,
      buffer: { ...effective.rule.buffer },
    };
  }
}
