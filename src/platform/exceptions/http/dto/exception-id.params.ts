import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class ExceptionIdParams {
  @ApiProperty({
    description: 'Exception record id',
    format: 'uuid',
    example: '3f9d7a52-8c1e-4b6a-9d2f-5e8a7c1b0d44',
  })
  @IsUUID()
  id: string;
}
