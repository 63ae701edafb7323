import { Controller, HttpStatus, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { RequireScopes } from '../../../platform/auth/index.js';
import {
  DELTA_SYNC_STATUSES,
  DELTA_SYNC_TRIGGERS,
  type DeltaSyncRun,
  emptyStreamCounts,
  StreamCountsResponse,
} from '../../../platform/delta-sync/index.js';
import { ApiProblemResponses } from '../../../platform/openapi/index.js';
import {
  ORDER_CHANGES_STREAM,
  SyncOrderChangesCommand,
} from '../application/commands/apply-erp-order-changes/sync-order-changes.command.js';

const toBool = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export class TriggerOrderChangesSyncQuery {
  @ApiPropertyOptional({
    description: 'true: answer when the run has finished (200); default: 202 at once',
    example: true,
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  wait?: boolean;
}

export class OrderChangesSyncRunResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: DELTA_SYNC_TRIGGERS, example: 'manual' }) trigger: string;
  @ApiProperty({ enum: DELTA_SYNC_STATUSES, example: 'succeeded' }) status: string;
  @ApiProperty({ description: 'ERP adapter the run read from', example: 'onprem' }) feed: string;
  @ApiProperty({ type: StreamCountsResponse, description: 'ERP orders read and applied' })
  orders: StreamCountsResponse;
  @ApiProperty({ format: 'date-time', example: '2026-12-07T10:15:00.000Z' }) startedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: null })
  finishedAt: string | null;
  @ApiProperty({ nullable: true, type: Number, example: 120 }) durationMs: number | null;
  @ApiProperty({ nullable: true, type: String, example: null }) error: string | null;

  static from(run: DeltaSyncRun): OrderChangesSyncRunResponse {
    return {
      id: run.id,
      trigger: run.trigger,
      status: run.status,
      feed: run.feed,
      orders: StreamCountsResponse.from(run.streams[ORDER_CHANGES_STREAM] ?? emptyStreamCounts()),
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null,
      durationMs: run.durationMs,
      error: run.error,
    };
  }
}

/** Operations: read ERP-side order changes (cancels, quantity edits, closes) now. */
@ApiTags('Operations')
@Controller('v1/admin')
export class OrderChangesAdminController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('sync/order-changes')
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: 'Read ERP-side order changes now',
    description:
      "Reads what the ERP's users did to the hub's posted orders since the last run (cancels, quantity edits, closes) and applies it: line quantities, order status, reservations, history (source `erp`); then looks up the open posted orders (an ERP that deletes cancelled orders shows the cancel only that way). The same work ORDER_CHANGES_SYNC_SECONDS and ERP change notices do.",
  })
  @ApiResponse({ status: 202, type: OrderChangesSyncRunResponse, description: 'Started' })
  @ApiResponse({ status: 200, type: OrderChangesSyncRunResponse, description: 'Finished (wait)' })
  @ApiProblemResponses(
    400,
    {
      status: 409,
      description: 'A sync is already running',
      code: 'SYNC_ALREADY_RUNNING',
      detail: 'A order-changes sync is already running; wait for it to finish.',
    },
    {
      status: 503,
      description: 'No ERP adapter bound',
      code: 'ERP_ADAPTER_UNAVAILABLE',
      detail: 'No ERP adapter is bound to read order changes from.',
    },
  )
  async sync(
    @Query() query: TriggerOrderChangesSyncQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderChangesSyncRunResponse> {
    const wait = query.wait === true;
    const run = await this.commandBus.execute(new SyncOrderChangesCommand('manual', wait));
    void reply.status(wait ? HttpStatus.OK : HttpStatus.ACCEPTED);
    return OrderChangesSyncRunResponse.from(run);
  }
}
