import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERP_POSTING_STATES, type Invoice, type Shipment } from '../../domain/shipment.js';
import { SHIPMENT_SOURCES } from '../../domain/erp-fulfillment.js';

export class ShipmentLineResponse {
  @ApiProperty({ example: 1 }) lineNo: number;
  @ApiProperty({ description: 'The order line shipped', example: 1 }) orderLineNo: number;
  @ApiProperty({ example: '1' }) lineRef: string;
  @ApiProperty({ example: 'ABR-10015' }) sku: string;
  @ApiProperty({ description: 'In the ordered UoM', example: '1' }) quantity: string;
  @ApiProperty({ example: 'BX' }) uom: string;
  @ApiProperty({ example: '12' }) baseQuantity: string;
  @ApiProperty({ example: 'EA' }) baseUom: string;
  @ApiProperty({ type: String, nullable: true, example: null }) lotNo: string | null;
  @ApiProperty({ type: [String], example: [] }) serialNumbers: string[];
}

export class ShipmentResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({
    description: "The hub's shipment number (the ERP keeps it for shipments the hub posts)",
    example: 'SH1000001',
  })
  shipmentNumber: string;
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty({ example: 'XD1000002' }) orderNumber: string;
  @ApiProperty({ description: 'The ERP order (segment) shipped from', example: 'XD1000002-1' })
  externalReference: string;
  @ApiProperty({ type: String, nullable: true, example: '100123' }) erpOrderNumber: string | null;
  @ApiProperty({ enum: SHIPMENT_SOURCES, example: 'wms' }) source: string;
  @ApiProperty({
    description: "The source's document id (the ERP's shipment number for `erp`)",
    example: 'WMS-SHIP-000731',
  })
  sourceDocumentId: string;
  @ApiProperty({ example: '2026-12-07' }) shipDate: string;
  @ApiProperty({ type: String, nullable: true, example: 'UPS' }) carrier: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'GROUND' }) service: string | null;
  @ApiProperty({ type: [String], example: ['1Z999AA10123456784'] }) trackingNumbers: string[];
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
  })
  trackingUrl: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'EAST' }) warehouse: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) supplierId: string | null;
  @ApiProperty({
    enum: ERP_POSTING_STATES,
    description:
      "NOT_NEEDED: the ERP is the source. QUEUED → PENDING (in the ERP's import) → POSTED, or FAILED (see erpErrors; operations replay it)",
    example: 'QUEUED',
  })
  erpPosting: string;
  @ApiProperty({ type: String, nullable: true, example: null }) erpShipmentNo: string | null;
  @ApiProperty({ type: [String], example: [] }) erpErrors: string[];
  @ApiProperty({ example: '2026-12-07T10:00:00.000Z' }) receivedAt: string;
  @ApiProperty({ type: String, nullable: true, example: null }) erpPostedAt: string | null;
  @ApiProperty({ example: '2026-12-07T10:00:00.000Z' }) updatedAt: string;
  @ApiProperty({ type: [ShipmentLineResponse] }) lines: ShipmentLineResponse[];
  @ApiProperty({ example: { self: '/v1/shipments/0b6f…', order: '/v1/orders/95dc…' } })
  links: { self: string; order: string };

  static from(s: Shipment): ShipmentResponse {
    return {
      id: s.id,
      shipmentNumber: s.shipmentNumber,
      orderId: s.orderId,
      orderNumber: s.orderNumber,
      externalReference: s.externalReference,
      erpOrderNumber: s.erpOrderNumber,
      source: s.source,
      sourceDocumentId: s.sourceDocumentId,
      shipDate: s.shipDate,
      carrier: s.carrier,
      service: s.service,
      trackingNumbers: s.trackingNumbers,
      trackingUrl: s.trackingUrl,
      warehouse: s.warehouse,
      supplierId: s.supplierId,
      erpPosting: s.erpPosting,
      erpShipmentNo: s.erpShipmentNo,
      erpErrors: s.erpErrors,
      receivedAt: s.receivedAt.toISOString(),
      erpPostedAt: s.erpPostedAt?.toISOString() ?? null,
      updatedAt: s.updatedAt.toISOString(),
      lines: s.lines.map((l) => ({ ...l })),
      links: { self: `/v1/shipments/${s.id}`, order: `/v1/orders/${s.orderId}` },
    };
  }
}

export class ShipmentPageResponse {
  @ApiProperty({ type: [ShipmentResponse] }) items: ShipmentResponse[];
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last',
  })
  nextCursor: string | null;
}

export class InvoiceLineResponse {
  @ApiProperty({ example: 1 }) lineNo: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'The order line invoiced; null for freight and charges',
    example: 1,
  })
  orderLineNo: number | null;
  @ApiProperty({ example: 'ABR-10015' }) sku: string;
  @ApiProperty({ example: '1' }) quantity: string;
  @ApiProperty({ example: 'BX' }) uom: string;
  @ApiProperty({ example: '34.32' }) unitPrice: string;
  @ApiProperty({ example: '34.32' }) amount: string;
  @ApiProperty({ example: '2.83' }) taxAmount: string;
}

export class InvoiceResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'INV700001' }) invoiceNumber: string;
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty({ example: 'XD1000002' }) orderNumber: string;
  @ApiProperty({ type: String, nullable: true, example: '100123' }) erpOrderNumber: string | null;
  @ApiProperty({ enum: ['DRAFT', 'OPEN', 'PAID', 'CANCELLED'], example: 'OPEN' }) status: string;
  @ApiProperty({ example: '2026-12-08' }) invoiceDate: string;
  @ApiProperty({ type: String, nullable: true, example: '2027-01-07' }) dueDate: string | null;
  @ApiProperty({ example: 'USD' }) currency: string;
  @ApiProperty({ example: '34.32' }) amountExcludingTax: string;
  @ApiProperty({ example: '2.83' }) taxAmount: string;
  @ApiProperty({ example: '37.15' }) amountIncludingTax: string;
  @ApiProperty({ type: String, nullable: true, example: '37.15' }) remainingAmount: string | null;
  @ApiProperty({ example: '2026-12-08T10:00:00.000Z' }) receivedAt: string;
  @ApiProperty({ example: '2026-12-08T10:00:00.000Z' }) updatedAt: string;
  @ApiProperty({ type: [InvoiceLineResponse] }) lines: InvoiceLineResponse[];
  @ApiProperty({ example: { self: '/v1/invoices/0b6f…', order: '/v1/orders/95dc…' } })
  links: { self: string; order: string };

  static from(i: Invoice): InvoiceResponse {
    return {
      id: i.id,
      invoiceNumber: i.invoiceNumber,
      orderId: i.orderId,
      orderNumber: i.orderNumber,
      erpOrderNumber: i.erpOrderNumber,
      status: i.status,
      invoiceDate: i.invoiceDate,
      dueDate: i.dueDate,
      currency: i.currency,
      amountExcludingTax: i.amountExcludingTax,
      taxAmount: i.taxAmount,
      amountIncludingTax: i.amountIncludingTax,
      remainingAmount: i.remainingAmount,
      receivedAt: i.receivedAt.toISOString(),
      updatedAt: i.updatedAt.toISOString(),
      lines: i.lines.map((l) => ({ ...l })),
      links: { self: `/v1/invoices/${i.id}`, order: `/v1/orders/${i.orderId}` },
    };
  }
}

export class InvoicePageResponse {
  @ApiProperty({ type: [InvoiceResponse] }) items: InvoiceResponse[];
  @ApiPropertyOptional({ type: String, nullable: true }) nextCursor: string | null;
}
