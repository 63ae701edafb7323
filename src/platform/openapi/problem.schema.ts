import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ViolationDocument {
  @ApiProperty({ example: 'IS_NOT_EMPTY', description: 'Stable machine-readable code' })
  code: string;

  @ApiPropertyOptional({ example: 'lines[0].sku', description: 'Path of the offending field' })
  field?: string;

  @ApiProperty({ example: 'sku should not be empty' })
  message: string;
}

export class SubstitutesDocument {
  @ApiProperty({ example: 'lines[0].sku', description: 'The line field the substitutes are for' })
  field: string;

  @ApiProperty({
    type: [String],
    example: ['ABR-10026'],
    description: 'SKUs the ERP offers instead',
  })
  substitutes: string[];
}

export class ShortageDocument {
  @ApiProperty({ example: 'ABR-10015' })
  sku: string;

  @ApiProperty({ example: 'EAST' })
  warehouse: string;

  @ApiProperty({ example: '24', description: 'Decimal string, base UoM' })
  requested: string;

  @ApiProperty({ example: '10', description: 'Decimal string, base UoM' })
  available: string;
}

/**
 * RFC 9457 problem details, as every Crossdock error is answered. The optional members after
 * `violations` are extension members (RFC 9457 §3.2) that only some codes carry.
 */
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

  @ApiPropertyOptional({
    type: [SubstitutesDocument],
    description: 'ORDER_REJECTED with ITEM_NOT_SELLABLE: the substitutes per line',
  })
  substitutes?: SubstitutesDocument[];

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'ORDER_ALREADY_EXISTS: the existing order',
    example: '5b0f3c1e-2d4a-4f6b-9c8d-7e6f5a4b3c2d',
  })
  orderId?: string;

  @ApiPropertyOptional({ description: 'ORDER_ALREADY_EXISTS: its number', example: 'XD1000042' })
  orderNumber?: string;

  @ApiPropertyOptional({
    description: 'ORDER_ALREADY_EXISTS: its URL (also in Location)',
    example: '/v1/orders/5b0f3c1e-2d4a-4f6b-9c8d-7e6f5a4b3c2d',
  })
  href?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'SYNC_ALREADY_RUNNING: the run in progress, to poll',
    example: '0c8e7f52-5d1b-4a8e-9f0e-3c2b1a0d9e8f',
  })
  runningRunId?: string;

  @ApiPropertyOptional({
    type: [ShortageDocument],
    description: 'INSUFFICIENT_STOCK: what was short, per SKU and warehouse',
  })
  shortages?: ShortageDocument[];

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'RESERVATION_EXISTS: the active reservation',
    example: '9a7b6c5d-4e3f-4a1b-8c2d-1e0f9a8b7c6d',
  })
  reservationId?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'FORBIDDEN: the scopes this key lacks for the route',
    example: ['orders:write'],
  })
  missingScopes?: string[];

  @ApiPropertyOptional({
    description: 'Stewardship conflicts: the status the proposal is in',
    example: 'APPROVED',
  })
  proposalStatus?: string;

  @ApiPropertyOptional({
    description: 'Exception replay refused: where the exception came from',
    example: 'erp.on-prem',
  })
  source?: string;

  @ApiPropertyOptional({
    description: 'Exception queue conflicts: the status the exception is in',
    example: 'DISCARDED',
  })
  exceptionStatus?: string;
}
