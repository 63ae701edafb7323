import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ViolationDocument {
  @ApiProperty({ example: 'IS_NOT_EMPTY', description: 'Stable machine-readable code' })
  code: string;

  @ApiPropertyOptional({ example: 'lines[0].sku', description: 'Path of the offending field' })
  field?: string;

  @ApiProperty({ example: 'sku should not be empty' })
  message: string;
}

/** RFC 9457 problem details, as every Crossdock error is answered. */
export class ProblemDocument {
  @ApiProperty({
    example: '/problems/validation-failed',
    description: 'Problem type (URI reference)',
  })
  type: string;

  @ApiProperty({ example: 'Bad Request' })
  title: string;

  @ApiProperty({ example: 400, type: 'integer', description: 'The HTTP status code' })
  status: number;

  @ApiProperty({ example: 'The request has invalid fields.' })
  detail: string;

  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable error code' })
  code: string;

  @ApiProperty({ example: '6f1c2a9e-4a8b-4d0e-9a53-2f0f7f6c1e10' })
  correlationId: string;

  @ApiPropertyOptional({ example: '/v1/orders' })
  instance?: string;

  @ApiPropertyOptional({ type: [ViolationDocument] })
  violations?: ViolationDocument[];
}
