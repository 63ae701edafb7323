import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray } from 'class-validator';
import { STOCK_EVENT_TYPES, type StockEventType } from '../../domain/stock-event.js';

export const MAX_EVENTS_PER_BATCH = 1000;

/**
 * The shape of one event, for the documentation. Events are checked one by one by the
 * application (a bad event is rejected with its reasons, the others are applied), so this class
 * carries no validation decorators.
 */
export class StockEventRequest {
  @ApiProperty({
    description:
      'Unique id of the event at its source, 1-200 printable ASCII characters (a UUID is ideal). ' +
      'The dedupe key: an event is applied once, however often it is sent.',
    example: 'wms-east-000184223',
  })
  eventId: string;

  @ApiProperty({ example: 'ABR-10015' })
  sku: string;

  @ApiProperty({ description: 'Warehouse code', example: 'EAST' })
  warehouse: string;

  @ApiPropertyOptional({
    description: 'Lot number: required for lot-controlled items, absent (or null) otherwise',
    nullable: true,
    type: String,
    example: null,
  })
  lot?: string | null;

  @ApiProperty({
    enum: STOCK_EVENT_TYPES,
    description:
      'SNAPSHOT: the quantity on hand, as counted (≥ 0). ADJUSTMENT: a signed change to on hand ' +
      '(receipt +, issue or write-off −; not 0).',
    example: 'SNAPSHOT',
  })
  type: StockEventType;

  @ApiProperty({
    description: "Decimal string in the item's base UoM, at most 6 decimals",
    example: '120',
  })
  quantity: string;

  @ApiProperty({
    description:
      'When it happened at the source, ISO 8601 with offset; ordered at millisecond precision. ' +
      'At most 5 minutes in the future.',
    format: 'date-time',
    example: '2026-05-13T10:15:30.123Z',
  })
  occurredAt: string;

  @ApiProperty({ description: 'Sending system, for operations', example: 'WMS-EAST' })
  source: string;
}

export class StockEventsRequest {
  @ApiProperty({
    type: [StockEventRequest],
    description: `1-${MAX_EVENTS_PER_BATCH} events, applied in this order`,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_EVENTS_PER_BATCH)
  events: unknown[];
}
