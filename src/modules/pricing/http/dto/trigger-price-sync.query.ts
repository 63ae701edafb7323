import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';

const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export class TriggerPriceSyncQuery {
  @ApiPropertyOptional({
    description:
      'true: answer when the run has finished (200; the price cache is refreshed by then). ' +
      'Default false: 202 at once with the running run and a Location to poll.',
    default: false,
    example: false,
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  wait?: boolean;

  @ApiPropertyOptional({
    description:
      'true: read everything from the beginning and remove prices the ERP no longer returns ' +
      '(for adapters that cannot report deletes). Default false: changes since the last run.',
    default: false,
    example: false,
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  full?: boolean;
}

export class PriceSyncRunIdParams {
  @ApiProperty({ format: 'uuid', example: '0b6f0d7e-5c1a-4f5e-9a0e-3c2d1b0a9f8e' })
  @IsUUID()
  id: string;
}
