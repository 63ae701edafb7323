import { Body, Controller, Get, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  type AuthenticatedChannel,
  CurrentChannel,
  RequireScopes,
} from '../../../platform/auth/index.js';
import {
  ApiProblemResponses,
  LOCATION_HEADER,
  RETRY_AFTER_HEADER,
} from '../../../platform/openapi/index.js';
import { ConfirmShipmentCommand } from '../application/commands/confirm-shipment/confirm-shipment.command.js';
import { SyncFulfillmentCommand } from '../application/commands/sync-fulfillment/sync-fulfillment.command.js';
import {
  FulfillmentSyncRunResponse,
  TriggerFulfillmentSyncQuery,
} from './dto/fulfillment-sync-run.response.js';
import { readerScopeOf } from '../application/queries/fulfillment-reader.js';
import {
  GetInvoiceQuery,
  GetShipmentQuery,
  ListInvoicesQuery,
  ListShipmentsQuery,
} from '../application/queries/fulfillment.queries.js';
import { ConfirmShipmentRequest, toShipmentConfirmation } from './dto/confirm-shipment.request.js';
import { DocumentIdParams, ListFulfillmentDocumentsQueryDto } from './dto/fulfillment-requests.js';
import {
  InvoicePageResponse,
  InvoiceResponse,
  ShipmentPageResponse,
  ShipmentResponse,
} from './dto/shipment.response.js';

const CONFIRM = `
A WMS/3PL (stocked segments) or drop-ship supplier (drop-ship segments) confirms what it shipped.
The confirmation is checked against the order, then — in one transaction — the shipment is
stored, the order lines' shipped quantities move (the order becomes PARTIALLY_SHIPPED or
SHIPPED), and the shipment is queued for the ERP, which receives it exactly once
(\`erpPosting\`: QUEUED → PENDING → POSTED).

**Lines** name the order line by \`lineNo\` or \`lineRef\`, or by SKU alone. Quantities are in the
line's ordered UoM unless \`uom\` is its base UoM. One shipment leaves one warehouse or supplier.

**Violations** (422 SHIPMENT_REJECTED, every one listed, nothing stored): LINE_NOT_ON_ORDER,
SKU_NOT_ON_ORDER, SKU_DOES_NOT_MATCH_LINE, UOM_NOT_ON_LINE, MIXED_SEGMENTS, OVER_SHIPMENT (more
than ordered − shipped − cancelled), SERIAL_COUNT_MISMATCH, DUPLICATE_SERIAL, ORDER_CANCELLED.

**Idempotent by \`sourceDocumentId\`** (per confirming channel): the same confirmation again answers
200 with the shipment it created; the same id with other content is 422 SOURCE_DOCUMENT_REUSED.
An order this channel does not ship (unknown, or another channel's segment kind) is 404.`;

/** Runs against the demo data once demo order XD1000002's warehouse segment is in the ERP. */
const CONFIRM_EXAMPLE = {
  summary: 'The WMS shipped one box of line 1 with UPS',
  value: {
    sourceDocumentId: 'WMS-SHIP-000731',
    order: 'XD1000002-1',
    shipDate: '2026-12-07',
    carrier: 'UPS',
    service: 'GROUND',
    trackingNumbers: ['1Z999AA10123456784'],
    trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
    lines: [{ lineNo: 1, sku: 'ABR-10015', quantity: '1' }],
  },
};

/** Shipments (WMS, suppliers, the ERP) and ERP invoices for channels. */
@ApiTags('Fulfillment')
@Controller('v1')
export class FulfillmentController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post('shipments')
  @RequireScopes('fulfillment:write')
  @ApiOperation({
    summary: 'Confirm a shipment (WMS/3PL, drop-ship supplier)',
    description: CONFIRM,
  })
  @ApiBody({ type: ConfirmShipmentRequest, examples: { shipped: CONFIRM_EXAMPLE } })
  @ApiResponse({
    status: 201,
    type: ShipmentResponse,
    description: 'Stored, order quantities updated, queued for the ERP',
    headers: LOCATION_HEADER,
  })
  @ApiResponse({
    status: 200,
    type: ShipmentResponse,
    description: 'The same confirmation was sent before: the shipment it created',
    headers: LOCATION_HEADER,
  })
  @ApiProblemResponses(
    {
      status: 404,
      description: 'ORDER_NOT_FOUND: no such order, or not one this channel ships',
      code: 'ORDER_NOT_FOUND',
      detail: 'No order XD1000002-9 that this channel ships.',
    },
    {
      status: 409,
      description:
        'ORDER_NOT_IN_ERP: the order is not in the ERP yet; send it again after Retry-After',
      code: 'ORDER_NOT_IN_ERP',
      detail: 'Order XD1000002-1 is not in the ERP yet; confirm the shipment again shortly.',
      headers: RETRY_AFTER_HEADER,
    },
    {
      status: 422,
      description:
        'SHIPMENT_REJECTED (every violation in `violations`, nothing stored) or SOURCE_DOCUMENT_REUSED',
      code: 'SHIPMENT_REJECTED',
      detail: 'The shipment does not fit its order: 1 violation(s); nothing was stored.',
    },
  )
  async confirm(
    @Body() body: ConfirmShipmentRequest,
    @CurrentChannel() channel: AuthenticatedChannel,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ShipmentResponse> {
    const { shipment, created } = await this.commandBus.execute(
      new ConfirmShipmentCommand(toShipmentConfirmation(body), channel),
    );
    void reply.status(created ? 201 : 200);
    void reply.header('location', `/v1/shipments/${shipment.id}`);
    return ShipmentResponse.from(shipment);
  }

  @Get('shipments')
  @RequireScopes('orders:read')
  @ApiOperation({
    summary: 'List shipments',
    description:
      "Shipments of the calling channel's orders (a WMS or supplier: the ones it confirmed; ops:admin: all) in the order they were created or last changed (tracking added, ERP posting done). Poll with `changedSince`, or page with `cursor` = the previous `nextCursor` and keep the last one to read only what changed.",
  })
  @ApiResponse({ status: 200, type: ShipmentPageResponse, description: 'One page of shipments' })
  @ApiProblemResponses({
    status: 400,
    description: 'VALIDATION_FAILED or INVALID_CURSOR',
    code: 'INVALID_CURSOR',
    detail: 'The cursor is not one this API returned; start again without a cursor.',
  })
  async listShipments(
    @Query() query: ListFulfillmentDocumentsQueryDto,
    @CurrentChannel() channel: AuthenticatedChannel,
  ): Promise<ShipmentPageResponse> {
    const page = await this.queryBus.execute(new ListShipmentsQuery(readerScopeOf(channel), query));
    return { items: page.items.map((s) => ShipmentResponse.from(s)), nextCursor: page.nextCursor };
  }

  @Get('shipments/:id')
  @RequireScopes('orders:read')
  @ApiOperation({
    summary: 'Get a shipment',
    description:
      'One shipment with its lines, tracking and where it is on its way into the ERP (`erpPosting`).',
  })
  @ApiResponse({ status: 200, type: ShipmentResponse, description: 'The shipment' })
  @ApiProblemResponses({
    status: 404,
    description: 'SHIPMENT_NOT_FOUND',
    code: 'SHIPMENT_NOT_FOUND',
    detail: 'No shipment 0b6f3c1e-7d1a-4c55-9a53-3b7a1d2f9e10.',
  })
  async getShipment(
    @Param() params: DocumentIdParams,
    @CurrentChannel() channel: AuthenticatedChannel,
  ): Promise<ShipmentResponse> {
    return ShipmentResponse.from(
      await this.queryBus.execute(new GetShipmentQuery(readerScopeOf(channel), params.id)),
    );
  }

  @Get('invoices')
  @RequireScopes('orders:read')
  @ApiOperation({
    summary: 'List invoices',
    description:
      "ERP invoices of the calling channel's orders (ops:admin: all), in the order they were created or last changed (paid, cancelled). Filter and page as shipments.",
  })
  @ApiResponse({ status: 200, type: InvoicePageResponse, description: 'One page of invoices' })
  @ApiProblemResponses({
    status: 400,
    description: 'VALIDATION_FAILED or INVALID_CURSOR',
    code: 'INVALID_CURSOR',
    detail: 'The cursor is not one this API returned; start again without a cursor.',
  })
  async listInvoices(
    @Query() query: ListFulfillmentDocumentsQueryDto,
    @CurrentChannel() channel: AuthenticatedChannel,
  ): Promise<InvoicePageResponse> {
    const page = await this.queryBus.execute(new ListInvoicesQuery(readerScopeOf(channel), query));
    return { items: page.items.map((i) => InvoiceResponse.from(i)), nextCursor: page.nextCursor };
  }

  @Get('invoices/:id')
  @RequireScopes('orders:read')
  @ApiOperation({
    summary: 'Get an invoice',
    description: 'One ERP invoice of an order of the calling channel, with its lines and amounts.',
  })
  @ApiResponse({ status: 200, type: InvoiceResponse, description: 'The invoice' })
  @ApiProblemResponses({
    status: 404,
    description: 'INVOICE_NOT_FOUND',
    code: 'INVOICE_NOT_FOUND',
    detail: 'No invoice 0b6f3c1e-7d1a-4c55-9a53-3b7a1d2f9e10.',
  })
  async getInvoice(
    @Param() params: DocumentIdParams,
    @CurrentChannel() channel: AuthenticatedChannel,
  ): Promise<InvoiceResponse> {
    return InvoiceResponse.from(
      await this.queryBus.execute(new GetInvoiceQuery(readerScopeOf(channel), params.id)),
    );
  }

  @Post('admin/sync/fulfillment')
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: 'Run the shipment and invoice sync now',
    description:
      "Reads the ERP's posted shipments and invoices since the last sync (the same work the schedule, FULFILLMENT_SYNC_CRON, and ERP change notices do) and applies them to the orders. `wait=true` answers when finished. One run at a time across instances.",
  })
  @ApiResponse({
    status: 202,
    type: FulfillmentSyncRunResponse,
    description: 'Started',
  })
  @ApiResponse({ status: 200, type: FulfillmentSyncRunResponse, description: 'Finished (wait)' })
  @ApiProblemResponses(
    400,
    {
      status: 409,
      description: 'A sync is already running',
      code: 'SYNC_ALREADY_RUNNING',
      detail: 'A fulfillment sync is already running; wait for it to finish.',
    },
    {
      status: 503,
      description: 'No ERP adapter bound',
      code: 'ERP_ADAPTER_UNAVAILABLE',
      detail: 'No ERP adapter is bound: shipments and invoices cannot be read from the ERP.',
    },
  )
  async sync(
    @Query() query: TriggerFulfillmentSyncQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FulfillmentSyncRunResponse> {
    const wait = query.wait === true;
    const run = await this.commandBus.execute(
      new SyncFulfillmentCommand('manual', wait, query.full === true),
    );
    void reply.status(wait ? HttpStatus.OK : HttpStatus.ACCEPTED);
    return FulfillmentSyncRunResponse.from(run);
  }
}
