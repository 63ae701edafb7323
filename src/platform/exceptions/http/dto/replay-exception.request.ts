import { ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class ReplayExceptionRequest {
  @ApiPropertyOptional({
    description:
      'A corrected payload to replay instead of the recorded one (any JSON value). The job or ' +
      'feed that replays it checks it first; omit it to replay the recorded payload as is.',
    type: 'object',
    additionalProperties: true,
    example: { orderId: '8a3c1f0e-2b7d-4c9a-8e61-0f5d3b2a1c9e', shipToId: 'ST-10' },
  })
  @Allow()
  payload?: unknown;

  @ApiPropertyOptional({
    description: 'Why it is replayed (kept in the audit trail)',
    maxLength: 500,
    example: 'Customer C-1042 unblocked in the ERP',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason?: string;
}
