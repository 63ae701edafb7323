import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  STOCK_EVENT_STATUSES,
  type StockEventResult,
  type StockEventStatus,
} from '../../application/commands/apply-stock-events/apply-stock-events.command.js';
import { IGNORE_REASONS, type IgnoreReason } from '../../domain/stock-event.js';

export class StockEventProblemResponse {
  @ApiProperty({ example: 'LOT_REQUIRED' })
  code: string;

  @ApiProperty({ description: 'Field of the event', example: 'lot' })
  field: string;

  @ApiProperty({ example: 'item FD-8800-25KG is lot-controlled: name the lot' })
  message: string;
}

export class StockEventResultResponse {
  @ApiProperty({ description: 'Position of the event in the batch (0-based)', example: 0 })
  index: number;

  @ApiProperty({ nullable: true, type: String, example: 'wms-east-000184223' })
  eventId: string | null;

  @ApiProperty({
    enum: STOCK_EVENT_STATUSES,
    description:
      'APPLIED: it changed the position. DUPLICATE: this eventId was received before with the ' +
      'same content; nothing was done again. IGNORED: recorded, but an ordering rule set it ' +
      'aside (see reason). REJECTED: invalid, not recorded: fix it and send it again, with the ' +
      'same eventId if you like.',
    example: 'APPLIED',
  })
  status: StockEventStatus;

  @ApiPropertyOptional({
    enum: IGNORE_REASONS,
    description:
      'IGNORED only. STALE_SNAPSHOT: a snapshot at or after this one is already applied. ' +
      'BEFORE_SNAPSHOT: an adjustment that happened before the last applied snapshot (which ' +
      'already counts it).',
    example: 'STALE_SNAPSHOT',
  })
  reason?: IgnoreReason;

  @ApiPropertyOptional({
    enum: ['APPLIED', 'IGNORED'],
    description: 'DUPLICATE only: what happened to the event the first time',
    example: 'APPLIED',
  })
  originalStatus?: 'APPLIED' | 'IGNORED';

  @ApiPropertyOptional({
    type: [StockEventProblemResponse],
    description: 'REJECTED only: every reason',
  })
  problems?: StockEventProblemResponse[];

  static from(r: StockEventResult): StockEventResultResponse {
    return {
      index: r.index,
      eventId: r.eventId,
      status: r.status,
      ...(r.reason !== undefined ? { reason: r.reason } : {}),
      ...(r.originalStatus !== undefined ? { originalStatus: r.originalStatus } : {}),
      ...(r.problems !== undefined ? { problems: r.problems } : {}),
    };
  }
}

export class StockEventsSummaryResponse {
  @ApiProperty({ example: 8 })
  applied: number;

  @ApiProperty({ example: 1 })
  duplicate: number;

  @ApiProperty({ example: 0 })
  ignored: number;

  @ApiProperty({ example: 1 })
  rejected: number;
}

export class StockEventsResponse {
  @ApiProperty({ type: StockEventsSummaryResponse })
  summary: StockEventsSummaryResponse;

  @ApiProperty({ type: [StockEventResultResponse], description: 'One per event, in batch order' })
  results: StockEventResultResponse[];

  static from(results: StockEventResult[]): StockEventsResponse {
    const count = (status: StockEventStatus): number =>
      results.filter((r) => r.status === status).length;
    return {
      summary: {
        applied: count('APPLIED'),
        duplicate: count('DUPLICATE'),
        ignored: count('IGNORED'),
        rejected: count('REJECTED'),
      },
      results: results.map(StockEventResultResponse.from),
    };
  }
}
