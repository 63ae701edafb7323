import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class DiscardExceptionRequest {
  @ApiProperty({
    description: 'Why the record is closed without a replay (kept in the audit trail)',
    minLength: 1,
    maxLength: 500,
    example: 'Duplicate of SO-2025-000122, which posted; nothing to replay',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason: string;
}
