import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type AuthenticatedChannel,
  CurrentChannel,
  RequireScopes,
} from '../../../platform/auth/index.js';
import { ApiProblemResponses } from '../../../platform/openapi/index.js';
import { ApplyStockEventsCommand } from '../application/commands/apply-stock-events/apply-stock-events.command.js';
import { GetAvailabilityQuery } from '../application/queries/get-availability/get-availability.query.js';
import { GetReservationsQuery } from '../application/queries/get-reservations/get-reservations.query.js';
import { AvailabilityQueryParams, AvailabilityQueryRequest } from './dto/availability.request.js';
import { AvailabilityResponse, SkuAvailabilityResponse } from './dto/availability.response.js';
import {
  ReservationListResponse,
  ReservationResponse,
  ReservationsQueryParams,
} from './dto/reservation.response.js';
import { StockEventsRequest } from './dto/stock-events.request.js';
import { StockEventsResponse } from './dto/stock-events.response.js';
import { STOCK_EVENT_RULES } from './stock-event-rules.js';

const AVAILABILITY_DESCRIPTION =
  'Available to promise per SKU, per warehouse and in total, as the calling channel may ' +
  'promise it: ATP = on hand − allocated (ERP) − reserved (hub) − safety stock, never below 0; ' +
  "then the channel's rules: only the warehouses it may sell from, less its buffer (units, or " +
  'a percentage rounded up to a whole unit, per warehouse). Each figure carries `stockEventAt`, ' +
  "the source time of the newest stock event behind it. Quantities are in the item's base unit " +
  'of measure, named in `uom`. A known SKU without stock answers "0". An unknown SKU: in a ' +
  'request for one SKU, 404 ITEM_NOT_FOUND; in a request for several, its entry has ' +
  '`found: false`, `uom: null`, `atp: "0"` and no warehouses (the others are still answered).';

const UNKNOWN_SKU = {
  status: 404,
  description: 'ITEM_NOT_FOUND: the one SKU asked for is not known to the hub',
  code: 'ITEM_NOT_FOUND',
  detail: 'No item with SKU HX-2040-XXX is known to the hub.',
};

/** Stock for channels: availability reads, pushed stock events, reservations for operations. */
@ApiTags('Inventory')
@Controller('v1/inventory')
export class InventoryController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Get('availability')
  @RequireScopes('inventory:read')
  @ApiOperation({ summary: 'Availability of a few SKUs', description: AVAILABILITY_DESCRIPTION })
  @ApiOkResponse({ type: AvailabilityResponse, description: 'One entry per SKU asked for' })
  @ApiProblemResponses(400, UNKNOWN_SKU)
  async availability(
    @Query() query: AvailabilityQueryParams,
    @CurrentChannel() channel: AuthenticatedChannel,
  ): Promise<AvailabilityResponse> {
    return this.query(query.sku, query.warehouse, channel);
  }

  // Fastify reads `::` as a literal colon: the route is /v1/inventory/availability:query.
  @Post('availability::query')
  @HttpCode(200)
  @RequireScopes('inventory:read')
  @ApiOperation({
    summary: 'Availability of many SKUs',
    description: `${AVAILABILITY_DESCRIPTION} Up to 500 SKUs per request; a read, so no Idempotency-Key.`,
  })
  @ApiOkResponse({ type: AvailabilityResponse, description: 'One entry per SKU asked for' })
  @ApiProblemResponses(400, UNKNOWN_SKU)
  async queryAvailability(
    @Body() body: AvailabilityQueryRequest,
    @CurrentChannel() channel: AuthenticatedChannel,
  ): Promise<AvailabilityResponse> {
    return this.query(body.skus, body.warehouse, channel);
  }

  @Post('events')
  @HttpCode(200)
  @RequireScopes('inventory:write')
  @ApiOperation({ summary: 'Push stock events (batch)', description: STOCK_EVENT_RULES })
  @ApiOkResponse({
    type: StockEventsResponse,
    description: 'The batch was processed: see each result',
  })
  @ApiProblemResponses(400, 413, 415)
  async events(
    @Body() body: StockEventsRequest,
    @CurrentChannel() channel: AuthenticatedChannel,
  ): Promise<StockEventsResponse> {
    return StockEventsResponse.from(
      await this.commandBus.execute(new ApplyStockEventsCommand(body.events, channel.channelId)),
    );
  }

  @Get('reservations')
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: 'Reservations of an order',
    description:
      'For operations: every reservation made for the order, oldest first, with its lines and ' +
      'status (ACTIVE, RELEASED, EXPIRED, HANDED_OVER). Empty when there is none.',
  })
  @ApiOkResponse({ type: ReservationListResponse, description: 'The reservations' })
  @ApiProblemResponses(400)
  async reservations(@Query() query: ReservationsQueryParams): Promise<ReservationListResponse> {
    const found = await this.queryBus.execute(new GetReservationsQuery(query.orderId));
    return { items: found.map(ReservationResponse.from) };
  }

  private async query(
    skus: string[],
    warehouse: string | undefined,
    channel: AuthenticatedChannel,
  ): Promise<AvailabilityResponse> {
    const items = await this.queryBus.execute(
      new GetAvailabilityQuery(
        skus,
        warehouse,
        { channelId: channel.channelId, kind: channel.kind },
        true,
      ),
    );
    return { items: items.map(SkuAvailabilityResponse.from) };
  }
}
