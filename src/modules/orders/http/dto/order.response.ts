import { Decimal } from 'decimal.js';
import type { OrderDocuments } from '../../application/ports/order-documents.reader.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ORDER_STATUSES,
  type OrderSnapshot,
  type OrderStatus,
  SEGMENT_KINDS,
  SEGMENT_STATUSES,
  type SegmentKind,
  type SegmentStatus,
  type OrderHistoryEntry,
} from '../../domain/order.js';
import { ORDER_VIOLATION_CODES } from '../../domain/order-violation.js';
import { TraceEntryResponse } from '../../../pricing/index.js';
import { OneTimeAddressRequest } from './capture-order.request.js';

export class OrderLinksResponse {
  @ApiProperty({
    description: 'This order',
    example: '/v1/orders/5b0f3c1e-2d4a-4f6b-9c8d-7e6f5a4b3c2d',
  })
  self: string;
}

export class OrderViolationResponse {
  @ApiProperty({ enum: ORDER_VIOLATION_CODES, example: 'CREDIT_LIMIT_EXCEEDED' })
  code: string;

  @ApiProperty({ example: 'customerId' })
  field: string;

  @ApiProperty({
    example:
      'Credit limit 50000.0000 of account C10040 exceeded: balance due 48200.0000 + open hub orders 1200.00 + this order 980.00 = 50380.00.',
  })
  message: string;

  @ApiPropertyOptional({ type: [String], example: ['ABR-10026'] })
  substitutes?: string[];
}

export class OrderAdjustmentResponse {
  @ApiProperty({ enum: ['PRICE_MISMATCH', 'INSUFFICIENT_AVAILABILITY'], example: 'PRICE_MISMATCH' })
  code: string;

  @ApiProperty({ example: 'lines[0].expectedUnitPrice' })
  field: string;

  @ApiProperty({ example: '1' })
  lineRef: string;

  @ApiProperty({ example: "Repriced to the ERP's price 4.4000 per EA." })
  message: string;

  @ApiProperty({
    description: 'Before: expected unit price, or units ordered (base UoM)',
    example: '4.2500',
  })
  from: string;

  @ApiProperty({
    description: 'After: ERP unit price, or units promised (base UoM)',
    example: '4.4000',
  })
  to: string;
}

export class OrderShipToResponse {
  @ApiPropertyOptional({ description: "One of the customer's ship-to codes", example: 'ST01' })
  code?: string;

  @ApiPropertyOptional({
    description:
      "true: the order named no ship-to, and this is the customer's default ship-to, where the " +
      'ERP delivers',
    example: true,
  })
  default?: boolean;

  @ApiPropertyOptional({ type: OneTimeAddressRequest, description: 'A one-time address' })
  address?: OneTimeAddressRequest;
}

export class OrderLineResponse {
  @ApiProperty({ example: 1 })
  lineNo: number;

  @ApiProperty({ example: '1' })
  lineRef: string;

  @ApiProperty({ example: 'ABR-10015' })
  sku: string;

  @ApiProperty({ example: '24' })
  quantity: string;

  @ApiProperty({ example: 'EA' })
  uom: string;

  @ApiProperty({ description: 'Quantity in the base UoM', example: '24' })
  baseQuantity: string;

  @ApiProperty({ example: 'EA' })
  baseUom: string;

  @ApiProperty({ nullable: true, example: '4.2500', type: String })
  expectedUnitPrice: string | null;

  @ApiProperty({
    description: "The ERP's unit price per uom (pricing engine), 4 decimals",
    example: '4.2500',
  })
  unitPrice: string;

  @ApiProperty({ description: 'unitPrice × quantity, rounded to the currency', example: '102.00' })
  extendedPrice: string;

  @ApiProperty({ nullable: true, example: 'CONTRACT', type: String })
  priceSource: string | null;

  @ApiProperty({
    description: 'The pricing engine trace the line was priced with (see POST /v1/pricing/quotes)',
    type: [TraceEntryResponse],
  })
  priceTrace: unknown[];

  @ApiProperty({ enum: SEGMENT_KINDS, example: 'STOCK' })
  fulfillmentType: SegmentKind;

  @ApiProperty({ nullable: true, example: 'EAST', type: String })
  warehouse: string | null;

  @ApiProperty({ nullable: true, example: null, type: String })
  supplierId: string | null;

  @ApiProperty({ description: 'The segment (ERP order) the line is in', example: 1 })
  segmentNo: number;

  @ApiProperty({ description: 'Held for the order in the hub, base UoM', example: '24' })
  reservedQuantity: string;

  @ApiProperty({ description: 'Short at capture, backordered in the ERP, base UoM', example: '0' })
  backorderedQuantity: string;

  @ApiProperty({
    description: 'Shipped so far (ERP, WMS, supplier), in the ordered UoM',
    example: '0',
  })
  shippedQuantity: string;

  @ApiProperty({
    description: 'Cancelled after capture (by the ERP or operations), in the ordered UoM',
    example: '0',
  })
  cancelledQuantity: string;

  @ApiProperty({ description: 'Invoiced by the ERP, in the ordered UoM', example: '0' })
  invoicedQuantity: string;

  @ApiProperty({
    description:
      'Still to ship (backordered while the order is open): quantity − shipped − cancelled, in the ordered UoM',
    example: '2',
  })
  openQuantity: string;
}

export class OrderShipmentSummaryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'SH1000001' }) shipmentNumber: string;
  @ApiProperty({ enum: ['erp', 'wms', 'supplier'], example: 'wms' }) source: string;
  @ApiProperty({ example: 'XD1000002-1' }) externalReference: string;
  @ApiProperty({ example: '2026-12-07' }) shipDate: string;
  @ApiProperty({ type: String, nullable: true, example: 'UPS' }) carrier: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'GROUND' }) service: string | null;
  @ApiProperty({ type: [String], example: ['1Z999AA10123456784'] }) trackingNumbers: string[];
  @ApiProperty({ type: String, nullable: true, example: null }) trackingUrl: string | null;
  @ApiProperty({ enum: ['NOT_NEEDED', 'QUEUED', 'PENDING', 'POSTED', 'FAILED'], example: 'POSTED' })
  erpPosting: string;
  @ApiProperty({ type: String, nullable: true, example: 'SH500001' }) erpShipmentNo: string | null;
  @ApiProperty({
    example: [{ orderLineNo: 1, sku: 'ABR-10015', quantity: '1', uom: 'BX' }],
    type: 'array',
    items: {
      type: 'object',
      properties: {
        orderLineNo: { type: 'integer' },
        sku: { type: 'string' },
        quantity: { type: 'string' },
        uom: { type: 'string' },
      },
    },
  })
  lines: { orderLineNo: number; sku: string; quantity: string; uom: string }[];
  @ApiProperty({ example: '/v1/shipments/0b6f3c1e-7d1a-4c55-9a53-3b7a1d2f9e10' }) href: string;
}

export class OrderInvoiceSummaryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'INV700001' }) invoiceNumber: string;
  @ApiProperty({ enum: ['DRAFT', 'OPEN', 'PAID', 'CANCELLED'], example: 'OPEN' }) status: string;
  @ApiProperty({ example: '2026-12-08' }) invoiceDate: string;
  @ApiProperty({ type: String, nullable: true, example: '2027-01-07' }) dueDate: string | null;
  @ApiProperty({ example: 'USD' }) currency: string;
  @ApiProperty({ example: '37.15' }) amountIncludingTax: string;
  @ApiProperty({ type: String, nullable: true, example: '37.15' }) remainingAmount: string | null;
  @ApiProperty({ example: '/v1/invoices/0b6f3c1e-7d1a-4c55-9a53-3b7a1d2f9e10' }) href: string;
}

export class OrderSegmentResponse {
  @ApiProperty({ example: 1 })
  segmentNo: number;

  @ApiProperty({ enum: SEGMENT_KINDS, example: 'STOCK' })
  kind: SegmentKind;

  @ApiProperty({ nullable: true, example: 'EAST', type: String })
  warehouse: string | null;

  @ApiProperty({ nullable: true, example: null, type: String })
  supplierId: string | null;

  @ApiProperty({
    description:
      "The ERP order's external reference (on-prem import reference / BC externalDocumentNumber)",
    example: 'XD1000042-1',
  })
  externalReference: string;

  @ApiProperty({ enum: SEGMENT_STATUSES, example: 'POSTED' })
  status: SegmentStatus;

  @ApiProperty({ nullable: true, example: 'SO100231', type: String })
  erpOrderNumber: string | null;

  @ApiProperty({
    type: [String],
    description: "The ERP's reasons when it rejected the document",
    example: [],
  })
  erpErrors: string[];

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    example: '2026-11-29T10:15:03.120Z',
  })
  postedAt: string | null;
}

export class OrderResponse {
  @ApiProperty({ format: 'uuid', example: '5b0f3c1e-2d4a-4f6b-9c8d-7e6f5a4b3c2d' })
  id: string;

  @ApiProperty({ description: 'The hub order number', example: 'XD1000042' })
  orderNumber: string;

  @ApiProperty({ example: 'WEB-100234' })
  channelOrderRef: string;

  @ApiProperty({
    enum: ORDER_STATUSES,
    description:
      'RECEIVED → ACCEPTED | ON_HOLD → POSTING → POSTED | FAILED; CANCELLED before shipping',
    example: 'ACCEPTED',
  })
  status: OrderStatus;

  @ApiProperty({ example: 'C10001' })
  customerId: string;

  @ApiProperty({ type: OrderShipToResponse, nullable: true })
  shipTo: OrderShipToResponse | null;

  @ApiProperty({ nullable: true, example: 'PO-88231', type: String })
  poNumber: string | null;

  @ApiProperty({ nullable: true, example: '2026-12-03', type: String, format: 'date' })
  requestedShipDate: string | null;

  @ApiProperty({ example: 'USD' })
  currency: string;

  @ApiProperty({ nullable: true, example: null, type: String })
  notes: string | null;

  @ApiProperty({
    description: 'The price data version the order was priced with',
    example: 'pv-3f9a1c',
  })
  priceVersion: string;

  @ApiProperty({ example: '2026-11-29', format: 'date' })
  pricingDate: string;

  @ApiProperty({ description: 'Sum of the extended prices', example: '102.00' })
  total: string;

  @ApiProperty({ type: [OrderViolationResponse], description: 'Why the order is ON_HOLD' })
  holds: OrderViolationResponse[];

  @ApiProperty({
    type: [OrderAdjustmentResponse],
    description: 'What the hub changed (repriced, backordered)',
  })
  adjustments: OrderAdjustmentResponse[];

  @ApiProperty({ type: [OrderLineResponse] })
  lines: OrderLineResponse[];

  @ApiProperty({ type: [OrderSegmentResponse], description: 'One ERP sales order each' })
  segments: OrderSegmentResponse[];

  @ApiProperty({
    type: [OrderShipmentSummaryResponse],
    description: 'Shipments so far, with tracking (GET /v1/orders/{id} only; [] elsewhere)',
  })
  shipments: OrderShipmentSummaryResponse[];

  @ApiProperty({
    type: [OrderInvoiceSummaryResponse],
    description: 'ERP invoices (GET /v1/orders/{id} only; [] elsewhere)',
  })
  invoices: OrderInvoiceSummaryResponse[];

  @ApiProperty({ format: 'date-time', example: '2026-11-29T10:15:01.004Z' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T10:15:03.120Z' })
  updatedAt: string;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    example: '2026-11-29T10:15:03.120Z',
  })
  postedAt: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'date-time', example: null })
  cancelledAt: string | null;

  @ApiProperty({ nullable: true, type: String, example: null })
  cancelReason: string | null;

  @ApiProperty({ type: OrderLinksResponse })
  links: OrderLinksResponse;

  static from(order: OrderSnapshot, documents?: OrderDocuments): OrderResponse {
    return {
      id: order.id,
      orderNumber: order.orderNumber,
      channelOrderRef: order.channelOrderRef,
      status: order.status,
      customerId: order.customerId,
      shipTo:
        order.shipTo === null
          ? null
          : 'code' in order.shipTo
            ? { code: order.shipTo.code, ...(order.shipTo.isDefault ? { default: true } : {}) }
            : {
                address: {
                  ...order.shipTo.address,
                  addressLine2: order.shipTo.address.addressLine2 ?? undefined,
                  region: order.shipTo.address.region ?? undefined,
                },
              },
      poNumber: order.poNumber,
      requestedShipDate: order.requestedShipDate,
      currency: order.currency,
      notes: order.notes,
      priceVersion: order.priceVersion,
      pricingDate: order.pricingDate,
      total: order.total,
      holds: order.holds,
      adjustments: order.adjustments,
      lines: order.lines.map((l) => ({
        ...l,
        openQuantity: new Decimal(l.quantity)
          .minus(l.shippedQuantity)
          .minus(l.cancelledQuantity)
          .toString(),
      })),
      segments: order.segments.map((s) => ({
        segmentNo: s.segmentNo,
        kind: s.kind,
        warehouse: s.warehouse,
        supplierId: s.supplierId,
        externalReference: s.externalReference,
        status: s.status,
        erpOrderNumber: s.erpOrderNumber,
        erpErrors: s.erpErrors,
        postedAt: s.postedAt?.toISOString() ?? null,
      })),
      createdAt: order.createdAt.toISOString(),
      updatedAt: order.updatedAt.toISOString(),
      postedAt: order.postedAt?.toISOString() ?? null,
      cancelledAt: order.cancelledAt?.toISOString() ?? null,
      cancelReason: order.cancelReason,
      shipments: (documents?.shipments ?? []).map((d) => ({ ...d, href: `/v1/shipments/${d.id}` })),
      invoices: (documents?.invoices ?? []).map((d) => ({ ...d, href: `/v1/invoices/${d.id}` })),
      links: { self: `/v1/orders/${order.id}` },
    };
  }
}

export class OrderPageResponse {
  @ApiProperty({ type: [OrderResponse] })
  items: OrderResponse[];

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as `cursor` for the next (older) page',
    example: null,
  })
  nextCursor: string | null;
}

export class OrderHistoryEntryResponse {
  @ApiProperty({
    description:
      'The status the order changed to (RECEIVED, ACCEPTED, ON_HOLD, POSTED, FAILED, CANCELLED…; ' +
      'segment events carry their segment in `detail`)',
    example: 'POSTED',
  })
  status: string;

  @ApiProperty({ format: 'date-time', example: '2026-05-13T10:15:02.120Z' })
  at: string;

  @ApiProperty({
    description: 'What went with the change: reason, holds, ERP order number, segment, errors',
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { erpOrderNumber: 'SO100042' },
  })
  detail: Record<string, unknown> | null;

  @ApiProperty({
    description: 'Correlation id of the request or job that made the change',
    nullable: true,
    type: String,
    example: 'c0ffee00-1234-4abc-9def-000000000001',
  })
  correlationId: string | null;

  @ApiProperty({
    enum: ['hub', 'channel', 'erp', 'wms', 'supplier', 'operations'],
    description: 'Who made the change',
    example: 'hub',
  })
  source: string;

  @ApiProperty({
    description: 'The channel, operator or ERP user that made it, when known',
    nullable: true,
    type: String,
    example: null,
  })
  actor: string | null;

  static from(entry: OrderHistoryEntry): OrderHistoryEntryResponse {
    return {
      source: entry.source,
      actor: entry.actor,
      status: entry.status,
      at: entry.at.toISOString(),
      detail: entry.detail,
      correlationId: entry.correlationId,
    };
  }
}

export class OrderHistoryResponse {
  @ApiProperty({ format: 'uuid', example: '5b0f3c1e-2d4a-4f6b-9c8d-7e6f5a4b3c2d' })
  orderId: string;

  @ApiProperty({ type: [OrderHistoryEntryResponse], description: 'Oldest first' })
  items: OrderHistoryEntryResponse[];
}
