import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class SyncRunIdParams {
  @ApiProperty({ format: 'uuid', example: '0b6f0d7e-5c1a-4f5e-9a0e-3c2d1b0a9f8e' })
  @IsUUID()
  id: string;
}
