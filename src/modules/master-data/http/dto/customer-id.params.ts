import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class CustomerIdParams {
  @ApiProperty({ description: 'ERP customer number', example: 'C10001', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  id: string;
}
