import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { OpsException } from '../../exceptions.service.js';
import { EXCEPTION_STATUSES, type ExceptionStatus } from '../../ops-exception.types.js';

export class OpsExceptionErrorResponse {
  @ApiProperty({ description: 'Error class or category', example: 'ErpUnavailableError' })
  name: string;

  @ApiProperty({
    description: 'What went wrong, for a person (no stack traces)',
    example: 'ERP import endpoint answered 503 Service Unavailable',
  })
  message: string;

  @ApiPropertyOptional({
    description: 'Stable error code when the failure carried one',
    example: 'ERP_UNAVAILABLE',
  })
  code?: string;
}

export class OpsExceptionResponse {
  @ApiProperty({ format: 'uuid', example: '3f9d7a52-8c1e-4b6a-9d2f-5e8a7c1b0d44' })
  id: string;

  @ApiProperty({
    description: 'Kind of failure; `job.failed` unless the job or feed names its own',
    example: 'job.failed',
  })
  type: string;

  @ApiProperty({ enum: EXCEPTION_STATUSES, example: 'open' })
  status: ExceptionStatus;

  @ApiProperty({
    description: 'Where it failed: the job queue (replay goes back to it) or the reporting feed',
    example: 'orders.post-to-erp',
  })
  source: string;

  @ApiProperty({
    description: 'Business reference (order id, SKU...) or the failed job id',
    nullable: true,
    type: String,
    example: 'SO-2025-000123',
  })
  reference: string | null;

  @ApiProperty({
    description: 'Channel the failure concerns, when there is one',
    format: 'uuid',
    nullable: true,
    type: String,
    example: null,
  })
  channelId: string | null;

  @ApiProperty({
    description: 'The input that failed, kept whole so it can be replayed after a fix',
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { orderId: '8a3c1f0e-2b7d-4c9a-8e61-0f5d3b2a1c9e' },
  })
  payload: unknown;

  @ApiProperty({ type: OpsExceptionErrorResponse })
  error: OpsExceptionErrorResponse;

  @ApiProperty({ description: 'Attempts made before giving up', example: 6 })
  attempts: number;

  @ApiProperty({
    description: 'Correlation id of the request or job that caused the work; search logs with it',
    nullable: true,
    type: String,
    example: '6f1c2a9e-4a8b-4d0e-9a53-2f0f7f6c1e10',
  })
  correlationId: string | null;

  @ApiProperty({ format: 'date-time', example: '2025-11-29T10:15:30.123Z' })
  firstFailedAt: string;

  @ApiProperty({ format: 'date-time', example: '2025-11-29T10:21:02.456Z' })
  lastFailedAt: string;

  @ApiProperty({ format: 'date-time', example: '2025-11-29T10:21:02.470Z' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', example: '2025-11-29T10:21:02.470Z' })
  updatedAt: string;

  static from(record: OpsException): OpsExceptionResponse {
    const response = new OpsExceptionResponse();
    response.id = record.id;
    response.type = record.type;
    response.status = record.status;
    response.source = record.source;
    response.reference = record.reference;
    response.channelId = record.channelId;
    response.payload = record.payload;
    response.error = {
      name: record.error.name,
      message: record.error.message,
      ...(record.error.code !== undefined ? { code: record.error.code } : {}),
    };
    response.attempts = record.attempts;
    response.correlationId = record.correlationId;
    response.firstFailedAt = record.firstFailedAt.toISOString();
    response.lastFailedAt = record.lastFailedAt.toISOString();
    response.createdAt = record.createdAt.toISOString();
    response.updatedAt = record.updatedAt.toISOString();
    return response;
  }
}

export class OpsExceptionPageResponse {
  @ApiProperty({ type: [OpsExceptionResponse], description: 'Newest first' })
  items: OpsExceptionResponse[];

  @ApiProperty({
    description: 'Pass as `cursor` to get the next (older) page; null on the last page',
    nullable: true,
    type: String,
    example:
      'eyJ0IjoiMjAyNS0xMS0yOVQxMDoxNTozMC4xMjM0NTZaIiwiaSI6IjBiNmYwZDdlLTVjMWEtNGY1ZS05YTBlLTNjMmQxYjBhOWY4ZSJ9',
  })
  nextCursor: string | null;
}
