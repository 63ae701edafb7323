import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  EXCEPTION_ACTIONS,
  type ExceptionAction,
  type OpsExceptionActionRecord,
  type OpsExceptionDetail,
  type RecordedExceptionActor,
  type ReplayResult,
} from '../../exception-actions.types.js';
import { EXCEPTION_STATUSES, type ExceptionStatus } from '../../ops-exception.types.js';

export class ExceptionActorResponse {
  @ApiProperty({
    description: 'Channel whose API key took the action',
    format: 'uuid',
    example: '0d3e6a4b-7c21-4f8e-9b5a-1c2d3e4f5a6b',
  })
  channelId: string;

  @ApiProperty({ description: 'Name of that channel', example: 'ops-console' })
  channelName: string;

  @ApiProperty({
    description: 'Id of the API key used',
    format: 'uuid',
    example: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  })
  apiKeyId: string;

  @ApiProperty({
    description: 'Public prefix of the API key used, as the key list shows it',
    nullable: true,
    type: String,
    example: 'k3f9d7a5',
  })
  keyPrefix: string | null;

  static from(actor: RecordedExceptionActor): ExceptionActorResponse {
    return Object.assign(new ExceptionActorResponse(), {
      channelId: actor.channelId,
      channelName: actor.channelName,
      apiKeyId: actor.apiKeyId,
      keyPrefix: actor.keyPrefix,
    });
  }
}

export class OpsExceptionActionResponse {
  @ApiProperty({ format: 'uuid', example: '5b2e9c1d-3a4f-4e6b-8d7c-9f0a1b2c3d4e' })
  id: string;

  @ApiProperty({ enum: EXCEPTION_ACTIONS, example: 'replay' })
  action: ExceptionAction;

  @ApiProperty({ type: ExceptionActorResponse, description: 'Who took the action' })
  by: ExceptionActorResponse;

  @ApiProperty({
    description: 'Why, as the operator wrote it',
    nullable: true,
    type: String,
    example: 'Customer C-1042 unblocked in the ERP',
  })
  reason: string | null;

  @ApiProperty({
    description: 'The payload of the record when the action was taken',
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { orderId: '8a3c1f0e-2b7d-4c9a-8e61-0f5d3b2a1c9e', shipToId: 'ST-9' },
  })
  payloadBefore: unknown;

  @ApiProperty({
    description: 'The corrected payload a replay sent; null when it replayed the original',
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { orderId: '8a3c1f0e-2b7d-4c9a-8e61-0f5d3b2a1c9e', shipToId: 'ST-10' },
  })
  payloadAfter: unknown;

  @ApiProperty({ description: 'Whether a replay sent a corrected payload', example: true })
  payloadCorrected: boolean;

  @ApiProperty({
    description: 'The job carrying a replay (null for a discard, or a replayer without jobs)',
    nullable: true,
    type: String,
    example: 'c4a1e2b3-6d5f-4a7b-9c8d-0e1f2a3b4c5d',
  })
  jobId: string | null;

  @ApiProperty({
    description: 'Correlation id of the request that took the action',
    nullable: true,
    type: String,
    example: '1b7e4c2a-9d3f-4e8b-a6c5-2f0d8e7a9b1c',
  })
  correlationId: string | null;

  @ApiProperty({ format: 'date-time', example: '2025-11-29T11:02:14.318Z' })
  at: string;

  static from(action: OpsExceptionActionRecord): OpsExceptionActionResponse {
    return Object.assign(new OpsExceptionActionResponse(), {
      id: action.id,
      action: action.action,
      by: ExceptionActorResponse.from(action.actor),
      reason: action.reason,
      payloadBefore: action.payloadBefore,
      payloadAfter: action.payloadAfter,
      payloadCorrected: action.payloadCorrected,
      jobId: action.jobId,
      correlationId: action.correlationId,
      at: action.createdAt.toISOString(),
    });
  }
}

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

  @ApiProperty({
    description:
      'The record this one replays: set when a replay failed again and was recorded anew',
    format: 'uuid',
    nullable: true,
    type: String,
    example: null,
  })
  replayOf: string | null;

  @ApiProperty({ format: 'date-time', example: '2025-11-29T10:15:30.123Z' })
  firstFailedAt: string;

  @ApiProperty({ format: 'date-time', example: '2025-11-29T10:21:02.456Z' })
  lastFailedAt: string;

  @ApiProperty({ format: 'date-time', example: '2025-11-29T10:21:02.470Z' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', example: '2025-11-29T10:21:02.470Z' })
  updatedAt: string;

  @ApiProperty({
    type: [OpsExceptionActionResponse],
    description: 'Audit trail: every replay and discard of this record, oldest first',
  })
  actions: OpsExceptionActionResponse[];

  static from(record: OpsExceptionDetail): OpsExceptionResponse {
    return OpsExceptionResponse.fill(new OpsExceptionResponse(), record);
  }

  protected static fill<R extends OpsExceptionResponse>(
    response: R,
    record: OpsExceptionDetail,
  ): R {
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
    response.replayOf = record.replayOf;
    response.firstFailedAt = record.firstFailedAt.toISOString();
    response.lastFailedAt = record.lastFailedAt.toISOString();
    response.createdAt = record.createdAt.toISOString();
    response.updatedAt = record.updatedAt.toISOString();
    response.actions = record.actions.map(OpsExceptionActionResponse.from);
    return response;
  }
}

export class ReplayInfoResponse {
  @ApiProperty({
    description: 'The new job that carries the replay (null for a replayer that runs no job)',
    nullable: true,
    type: String,
    example: 'c4a1e2b3-6d5f-4a7b-9c8d-0e1f2a3b4c5d',
  })
  jobId: string | null;

  @ApiProperty({ format: 'date-time', example: '2025-11-29T11:02:14.318Z' })
  at: string;

  @ApiProperty({ type: ExceptionActorResponse, description: 'Who replayed it' })
  by: ExceptionActorResponse;

  @ApiProperty({
    nullable: true,
    type: String,
    example: 'Customer C-1042 unblocked in the ERP',
  })
  reason: string | null;

  @ApiProperty({
    description: 'True when the replay sent a corrected payload instead of the original',
    example: true,
  })
  payloadCorrected: boolean;
}

export class ReplayExceptionResponse extends OpsExceptionResponse {
  @ApiProperty({ type: ReplayInfoResponse, description: 'What this replay did' })
  replay: ReplayInfoResponse;

  static fromReplay(result: ReplayResult): ReplayExceptionResponse {
    const response = OpsExceptionResponse.fill(new ReplayExceptionResponse(), result.exception);
    response.replay = {
      jobId: result.replay.jobId,
      at: result.replay.createdAt.toISOString(),
      by: ExceptionActorResponse.from(result.replay.actor),
      reason: result.replay.reason,
      payloadCorrected: result.replay.payloadCorrected,
    };
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
