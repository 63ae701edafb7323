import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  type AuthenticatedChannel,
  CurrentChannel,
  RequireScopes,
} from '../../../platform/auth/index.js';
import {
  CurrentIdempotentOutcome,
  Idempotent,
  IdempotentOutcome,
  jsonResponse,
} from '../../../platform/idempotency/index.js';
import {
  ApiProblemResponses,
  LOCATION_HEADER,
  RETRY_AFTER_HEADER,
} from '../../../platform/openapi/index.js';
import type { OrderSnapshot } from '../domain/order.js';
import { CancelOrderCommand } from '../application/commands/cancel-order/cancel-order.command.js';
import { CaptureOrderCommand } from '../application/commands/capture-order/capture-order.command.js';
import { ReleaseOrderCommand } from '../application/commands/release-order/release-order.command.js';
import { GetOrderQuery } from '../application/queries/get-order/get-order.query.js';
import { GetOrderHistoryQuery } from '../application/queries/get-order-history/get-order-history.query.js';
import { ListOrdersQuery } from '../application/queries/list-orders/list-orders.query.js';
import { CaptureOrderRequest, toOrderRequest } from './dto/capture-order.request.js';
import {
  CancelOrderRequest,
  ListOrdersQueryDto,
  OrderIdParams,
  ReleaseOrderRequest,
} from './dto/order-requests.js';
import {
  OrderHistoryEntryResponse,
  OrderHistoryResponse,
  OrderPageResponse,
  OrderResponse,
} from './dto/order.response.js';

const CAPTURE = `
Validates the order against the ERP's data held by the hub, prices it, places it, reserves its
stock and queues it for the ERP — all in one transaction, so a 201/202 means the order is durable
and will reach the ERP exactly once.

**Violations** (every one is reported, each with a stable code): CUSTOMER_NOT_FOUND,
CUSTOMER_INACTIVE, CUSTOMER_BLOCKED, SHIP_TO_INVALID, TAX_ATTRIBUTES_MISSING,
CURRENCY_NOT_ACCEPTED, ITEM_NOT_FOUND, ITEM_NOT_SELLABLE (with substitutes), UOM_NOT_CONVERTIBLE,
QUANTITY_NOT_DIVISIBLE (a fraction of a unit counted in pieces, e.g. 1.5 EA), REQUESTED_DATE_IN_PAST,
NO_PRICE, PRICE_MISMATCH (expectedUnitPrice outside the channel's tolerance of the ERP price),
INSUFFICIENT_AVAILABILITY, CREDIT_LIMIT_EXCEEDED (balance due + open hub orders + this order over
the limit of the customer, or of its parent account).

A request that is malformed (400) lists one violation per field: a missing field is one
\`REQUIRED\`, a value of the wrong kind only its type violation.

**Ship-to**: \`shipToId\`, \`shipToAddress\`, or neither: then the answer's \`shipTo\` names the
customer's default ship-to (\`default: true\`), which the ERP applies.

**Policy** (per channel, config/order-policies.yaml): each code *rejects* (422, nothing stored),
*holds* (202, order ON_HOLD with its reasons until operations release it) or *adjusts*
(PRICE_MISMATCH: repriced to the ERP's price; INSUFFICIENT_AVAILABILITY: the short quantity is
backordered) — adjustments are listed in the 201 answer.

**Split**: stocked lines ship from the ship-to's preferred warehouse, else one that ships the
whole order, else (if the channel allows) from several warehouses, backordering what none has;
drop-ship lines go to their supplier. Each segment is its own ERP sales order.

**Duplicates**: the same Idempotency-Key replays the first answer; the same channelOrderRef under
another key is refused with 409 ORDER_ALREADY_EXISTS and a link to the existing order.`;

/**
 * Orders that run against the demo dataset (`npm start`): customer C10001 and its ship-to ST01,
 * items ABR-10015 (EA, BX of 12) and ABR-10026 (EA) in stock at EAST. A channelOrderRef is taken
 * once per channel: change it to send an example again.
 */
const CAPTURE_EXAMPLES = {
  accepted: {
    summary: 'Accepted (201): the prices the channel showed are the ERP prices',
    value: {
      channelOrderRef: 'WEB-100234',
      customerId: 'C10001',
      shipToId: 'ST01',
      poNumber: 'PO-88231',
      lines: [
        { lineRef: '1', sku: 'ABR-10015', quantity: '2', uom: 'BX', expectedUnitPrice: '34.3200' },
        { lineRef: '2', sku: 'ABR-10026', quantity: '10', uom: 'EA' },
      ],
    },
  },
  held: {
    summary: 'Held (202): the expected price is below the ERP price (PRICE_MISMATCH)',
    value: {
      channelOrderRef: 'WEB-100235',
      customerId: 'C10001',
      lines: [
        { lineRef: '1', sku: 'ABR-10015', quantity: '1', uom: 'BX', expectedUnitPrice: '30.0000' },
      ],
    },
  },
};

const WON_TRACE = {
  rule: 'BASE_PRICE_BOOK',
  ref: 'BASE-USD',
  outcome: 'WON',
  reason: 'HIGHEST_PRECEDENCE',
  detail: 'Sets the price: no contract applies and no price book ranks higher.',
};
const orderLine = (lineNo: number, line: Record<string, unknown>) => ({
  lineNo,
  lineRef: String(lineNo),
  fulfillmentType: 'STOCK',
  warehouse: 'MAIN',
  supplierId: null,
  segmentNo: 1,
  backorderedQuantity: '0',
  priceSource: 'BASE_PRICE_BOOK',
  shippedQuantity: '0',
  cancelledQuantity: '0',
  invoicedQuantity: '0',
  openQuantity: line.quantity,
  ...line,
});
const orderAnswer = (order: Record<string, unknown>) => ({
  customerId: 'C10001',
  requestedShipDate: null,
  currency: 'USD',
  notes: null,
  priceVersion: 'pv1_12675567db649ede43083c064f64c3a9',
  pricingDate: '2026-12-07',
  adjustments: [],
  createdAt: '2026-12-07T09:19:14.849Z',
  updatedAt: '2026-12-07T09:19:14.849Z',
  postedAt: null,
  cancelledAt: null,
  cancelReason: null,
  shipments: [],
  invoices: [],
  ...order,
  links: { self: `/v1/orders/${String(order.id)}` },
});

/** What the hub answers to CAPTURE_EXAMPLES on the demo data (201 accepted, 202 held). */
const ACCEPTED_ANSWER = orderAnswer({
  id: '5fd28966-6733-433a-bb4b-46d74c85d429',
  orderNumber: 'XD1000002',
  channelOrderRef: 'WEB-100234',
  status: 'ACCEPTED',
  shipTo: { code: 'ST01' },
  poNumber: 'PO-88231',
  total: '209.04',
  holds: [],
  lines: [
    orderLine(1, {
      sku: 'ABR-10015',
      quantity: '2',
      uom: 'BX',
      baseQuantity: '24',
      baseUom: 'EA',
      expectedUnitPrice: '34.3200',
      unitPrice: '34.3200',
      extendedPrice: '68.64',
      priceTrace: [{ ...WON_TRACE, unitPrice: '34.3200' }],
      reservedQuantity: '24',
    }),
    orderLine(2, {
      sku: 'ABR-10026',
      quantity: '10',
      uom: 'EA',
      baseQuantity: '10',
      baseUom: 'EA',
      expectedUnitPrice: null,
      unitPrice: '14.0400',
      extendedPrice: '140.40',
      priceTrace: [{ ...WON_TRACE, unitPrice: '14.0400' }],
      reservedQuantity: '10',
    }),
  ],
  segments: [
    {
      segmentNo: 1,
      kind: 'STOCK',
      warehouse: 'MAIN',
      supplierId: null,
      externalReference: 'XD1000002-1',
      status: 'QUEUED',
      erpOrderNumber: null,
      erpErrors: [],
      postedAt: null,
    },
  ],
});

const HELD_ANSWER = orderAnswer({
  id: '95dc4460-c67e-4d70-bd83-d88a4882a0db',
  orderNumber: 'XD1000003',
  channelOrderRef: 'WEB-100235',
  status: 'ON_HOLD',
  shipTo: null,
  poNumber: null,
  total: '34.32',
  holds: [
    {
      code: 'PRICE_MISMATCH',
      field: 'lines[0].expectedUnitPrice',
      message:
        "Expected unit price 30.0000 differs from the ERP's price 34.3200 per BX (source BASE_PRICE_BOOK).",
    },
  ],
  lines: [
    orderLine(1, {
      sku: 'ABR-10015',
      quantity: '1',
      uom: 'BX',
      baseQuantity: '12',
      baseUom: 'EA',
      expectedUnitPrice: '30.0000',
      unitPrice: '34.3200',
      extendedPrice: '34.32',
      priceTrace: [{ ...WON_TRACE, unitPrice: '34.3200' }],
      reservedQuantity: '12',
    }),
  ],
  segments: [
    {
      segmentNo: 1,
      kind: 'STOCK',
      warehouse: 'MAIN',
      supplierId: null,
      externalReference: 'XD1000003-1',
      status: 'HELD',
      erpOrderNumber: null,
      erpErrors: [],
      postedAt: null,
    },
  ],
});

/** Orders for channels: capture, read, cancel; release of holds for operations. */
@ApiTags('Orders')
@Controller('v1/orders')
export class OrdersController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post()
  @RequireScopes('orders:write')
  @Idempotent()
  @ApiOperation({ summary: 'Submit an order', description: CAPTURE })
  @ApiBody({ type: CaptureOrderRequest, examples: CAPTURE_EXAMPLES })
  @ApiResponse({
    status: 201,
    type: OrderResponse,
    description: 'Accepted: queued for the ERP',
    headers: LOCATION_HEADER,
    example: ACCEPTED_ANSWER,
  })
  @ApiResponse({
    status: 202,
    type: OrderResponse,
    description: 'Stored ON_HOLD: see `holds`',
    headers: LOCATION_HEADER,
    example: HELD_ANSWER,
  })
  @ApiProblemResponses(
    {
      status: 409,
      description:
        'ORDER_ALREADY_EXISTS: this channel already sent an order with this channelOrderRef ' +
        '(`orderId`, `href` and Location name it), or IDEMPOTENCY_KEY_IN_USE',
      code: 'ORDER_ALREADY_EXISTS',
      detail:
        'This channel already submitted an order with this channelOrderRef: XD1000042 (POSTED).',
      headers: LOCATION_HEADER,
    },
    {
      status: 422,
      description:
        'ORDER_REJECTED: every violation in `violations` (nothing stored); or IDEMPOTENCY_KEY_REUSED',
      code: 'ORDER_REJECTED',
      detail: 'The order was rejected: 2 violation(s); nothing was stored.',
    },
    {
      status: 503,
      description:
        'SERVICE_BUSY: the database could not serve the request in time (connections exhausted, ' +
        'a lock wait timed out); or ORDER_STOCK_CONTENDED: stock kept changing while reserving. ' +
        'Retry after `Retry-After` seconds with the same Idempotency-Key: an order that was ' +
        'stored is answered as it was (a 503 is never given for a stored order).',
      code: 'SERVICE_BUSY',
      detail:
        'The service is too busy to handle this request right now; retry after the Retry-After interval with the same Idempotency-Key (a request that was completed is answered as it was).',
      headers: RETRY_AFTER_HEADER,
    },
  )
  async capture(
    @Body() body: CaptureOrderRequest,
    @CurrentChannel() channel: AuthenticatedChannel,
    @CurrentIdempotentOutcome() outcome: IdempotentOutcome | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderResponse> {
    const order = await this.commandBus.execute(
      new CaptureOrderCommand(
        toOrderRequest(body),
        channel,
        outcome ? { outcome, respond: captureResponse } : undefined,
      ),
    );
    const answer = captureResponse(order);
    void reply.status(answer.status);
    void reply.header('location', answer.headers.location);
    return OrderResponse.from(order);
  }

  @Get()
  @RequireScopes('orders:read')
  @ApiOperation({
    summary: 'List orders',
    description:
      "The calling channel's orders (an ops:admin key: every channel's), newest first. Filter by " +
      '`status` and `channelOrderRef`; page with `cursor` = the previous `nextCursor`.',
  })
  @ApiResponse({ status: 200, type: OrderPageResponse, description: 'One page of orders' })
  @ApiProblemResponses({
    status: 400,
    description: 'VALIDATION_FAILED or INVALID_CURSOR',
    code: 'INVALID_CURSOR',
    detail: 'The cursor is not one this API returned; start again without a cursor.',
  })
  async list(
    @Query() query: ListOrdersQueryDto,
    @CurrentChannel() channel: AuthenticatedChannel,
  ): Promise<OrderPageResponse> {
    const page = await this.queryBus.execute(
      new ListOrdersQuery({ ...query, channelId: scopeOf(channel) }),
    );
    return { items: page.items.map((o) => OrderResponse.from(o)), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @RequireScopes('orders:read')
  @ApiOperation({
    summary: 'Get an order',
    description:
      'Status, lines with prices and price trace, segments with their ERP order numbers or ' +
      "errors. Another channel's order answers 404.",
  })
  @ApiResponse({ status: 200, type: OrderResponse, description: 'The order' })
  @ApiProblemResponses(400, {
    status: 404,
    description: 'No such order (for this channel)',
    code: 'ORDER_NOT_FOUND',
    detail: 'No order has id 5b0f3c1e-2d4a-4f6b-9c8d-7e6f5a4b3c2d.',
  })
  async get(
    @Param() params: OrderIdParams,
    @CurrentChannel() channel: AuthenticatedChannel,
  ): Promise<OrderResponse> {
    const order = await this.queryBus.execute(new GetOrderQuery(params.id, scopeOf(channel)));
    return OrderResponse.from(order, order);
  }

  @Get(':id/history')
  @RequireScopes('orders:read')
  @ApiOperation({
    summary: "Get an order's history",
    description:
      'Every state change of the order, oldest first: received, accepted or held (with the ' +
      'holds), posting, posted (with the ERP order number), failed (with the ERP errors), ' +
      'released, cancelled (with the reason), and the ERP cancel of each segment. Each entry ' +
      "has its time and the correlation id of the request or job behind it. Another channel's " +
      'order answers 404.',
  })
  @ApiResponse({ status: 200, type: OrderHistoryResponse, description: 'The history' })
  @ApiProblemResponses(400, {
    status: 404,
    description: 'No such order (for this channel)',
    code: 'ORDER_NOT_FOUND',
    detail: 'No order has id 5b0f3c1e-2d4a-4f6b-9c8d-7e6f5a4b3c2d.',
  })
  async history(
    @Param() params: OrderIdParams,
    @CurrentChannel() channel: AuthenticatedChannel,
  ): Promise<OrderHistoryResponse> {
    const entries = await this.queryBus.execute(
      new GetOrderHistoryQuery(params.id, scopeOf(channel)),
    );
    return { orderId: params.id, items: entries.map(OrderHistoryEntryResponse.from) };
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @RequireScopes('orders:write')
  @ApiOperation({
    summary: 'Cancel an order',
    description:
      'Cancels the order before it ships; idempotent (a cancelled order is returned as it is). ' +
      'Stock held by the hub is released at once; ERP orders already created are cancelled in ' +
      'the ERP by a durable job (segments show CANCEL_REQUESTED, then CANCELLED). Should the ERP ' +
      'refuse (already shipped), the failure is in the exception queue for operations.',
  })
  @ApiBody({ type: CancelOrderRequest, required: false })
  @ApiResponse({ status: 200, type: OrderResponse, description: 'The cancelled order' })
  @ApiProblemResponses(
    400,
    {
      status: 404,
      description: 'No such order (for this channel)',
      code: 'ORDER_NOT_FOUND',
      detail: 'No order has id 5b0f3c1e-2d4a-4f6b-9c8d-7e6f5a4b3c2d.',
    },
    {
      status: 503,
      description:
        'SERVICE_BUSY: the database could not serve the request in time; retry after `Retry-After` seconds',
      code: 'SERVICE_BUSY',
      detail:
        'The service is too busy to handle this request right now; retry after the Retry-After interval with the same Idempotency-Key (a request that was completed is answered as it was).',
      headers: RETRY_AFTER_HEADER,
    },
    {
      status: 409,
      description: 'ORDER_BUSY: a posting to the ERP is in flight; retry shortly',
      code: 'ORDER_BUSY',
      detail:
        'Order 5b0f3c1e-2d4a-4f6b-9c8d-7e6f5a4b3c2d is being posted to the ERP right now; retry in a few seconds.',
    },
  )
  async cancel(
    @Param() params: OrderIdParams,
    // The class itself (not `| undefined`, which erases the type the ValidationPipe needs): an
    // absent body reaches the pipe as undefined and is validated as {}, so it stays optional.
    @Body() body: CancelOrderRequest,
    @CurrentChannel() channel: AuthenticatedChannel,
  ): Promise<OrderResponse> {
    return OrderResponse.from(
      await this.commandBus.execute(
        new CancelOrderCommand(
          params.id,
          scopeOf(channel),
          body.reason ?? `cancelled by ${channel.channelName}`,
        ),
      ),
    );
  }

  @Post(':id/release')
  @HttpCode(200)
  @RequireScopes('ops:admin')
  @ApiOperation({
    summary: 'Release an order from hold (operations)',
    description:
      'Validates the order again as it stands now; if nothing rejects it and no reason to hold ' +
      'remains (or `override` is set), it is re-priced, placed, reserved and queued for the ERP.',
  })
  @ApiResponse({ status: 200, type: OrderResponse, description: 'The released order (ACCEPTED)' })
  @ApiProblemResponses(
    400,
    {
      status: 404,
      description: 'No such order',
      code: 'ORDER_NOT_FOUND',
      detail: 'No order has id 5b0f3c1e-2d4a-4f6b-9c8d-7e6f5a4b3c2d.',
    },
    {
      status: 409,
      description:
        'ORDER_NOT_ON_HOLD, or ORDER_HOLD_STILL_APPLIES (re-validation still holds it: `violations`)',
      code: 'ORDER_HOLD_STILL_APPLIES',
      detail:
        'Re-validation still finds reasons to hold the order; fix them, or release with override: true.',
    },
    {
      status: 422,
      description:
        'ORDER_REJECTED: re-validation found a reason to reject (the order stays on hold)',
      code: 'ORDER_REJECTED',
      detail: 'The order was rejected: 1 violation(s); nothing was stored.',
    },
  )
  async release(
    @Param() params: OrderIdParams,
    @Body() body: ReleaseOrderRequest,
  ): Promise<OrderResponse> {
    return OrderResponse.from(
      await this.commandBus.execute(
        new ReleaseOrderCommand(params.id, body.reason, body.override === true),
      ),
    );
  }
}

/** What POST /v1/orders answers for a captured order (and stores for same-key retries). */
function captureResponse(order: OrderSnapshot) {
  return jsonResponse(order.status === 'ON_HOLD' ? 202 : 201, OrderResponse.from(order), {
    location: `/v1/orders/${order.id}`,
  });
}

/** Channels see their own orders; an ops:admin key sees every channel's. */
function scopeOf(channel: AuthenticatedChannel): string | null {
  return channel.scopes.includes('ops:admin') ? null : channel.channelId;
}
