import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class SkuParams {
  @ApiProperty({ description: 'Item SKU (URL-encode `/` and spaces)', example: 'ABR-10015' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  sku: string;
}
