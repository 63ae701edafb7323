import type { OrderShipTo } from './ship-to.js';
import type { OrderViolation } from './order-violation.js';

/*
 * Lifecycle: RECEIVED → ACCEPTED | ON_HOLD → POSTING → POSTED | FAILED → PARTIALLY_SHIPPED →
 * SHIPPED → INVOICED, and CANCELLED from any state before shipping (order.aggregate.ts owns the
 * transitions). RECEIVED lives only inside the capture transaction (it is in the history); a
 * FAILED order goes back to POSTING when operations replay its posting.
 */
export const ORDER_STATUSES = [
  'RECEIVED',
  'ACCEPTED',
  'ON_HOLD',
  'POSTING',
  'POSTED',
  'PARTIALLY_SHIPPED',
  'SHIPPED',
  'INVOICED',
  'FAILED',
  'CANCELLED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Statuses of an order that is in the hub but not (completely) in the ERP yet: it uses credit. */
export const OPEN_ORDER_STATUSES: readonly OrderStatus[] = [
  'ACCEPTED',
  'ON_HOLD',
  'POSTING',
  'FAILED',
];

/*
 * A segment is one ERP sales order: HELD (order on hold, not queued) → QUEUED → POSTING →
 * SUBMITTED (waiting in the ERP's import queue) → POSTED | FAILED; CANCEL_REQUESTED →
 * CANCELLED once the ERP confirmed (or never had it).
 */
export const SEGMENT_STATUSES = [
  'HELD',
  'QUEUED',
  'POSTING',
  'SUBMITTED',
  'POSTED',
  'FAILED',
  'CANCEL_REQUESTED',
  'CANCELLED',
] as const;
export type SegmentStatus = (typeof SEGMENT_STATUSES)[number];

export const SEGMENT_KINDS = ['STOCK', 'DROP_SHIP'] as const;
export type SegmentKind = (typeof SEGMENT_KINDS)[number];

/** One address type from request to ERP document: see ship-to.ts. */
export type { ShipToAddress as OneTimeAddress, OrderShipTo } from './ship-to.js';

export interface OrderAdjustment {
  code: 'PRICE_MISMATCH' | 'INSUFFICIENT_AVAILABILITY';
  field: string;
  lineRef: string;
  message: string;
  /** PRICE_MISMATCH: the expected and the ERP's unit price; INSUFFICIENT_AVAILABILITY: units. */
  from: string;
  to: string;
}

export interface OrderLine {
  lineNo: number;
  lineRef: string;
  sku: string;
  quantity: string;
  uom: string;
  baseQuantity: string;
  baseUom: string;
  expectedUnitPrice: string | null;
  unitPrice: string;
  extendedPrice: string;
  priceSource: string | null;
  priceTrace: unknown[];
  fulfillmentType: SegmentKind;
  warehouse: string | null;
  supplierId: string | null;
  segmentNo: number;
  /** Held for this order in the hub, base UoM. */
  reservedQuantity: string;
  /** Short at capture: the ERP backorders it, base UoM. */
  backorderedQuantity: string;
  /** Shipped so far (every source), in the ordered UoM. */
  shippedQuantity: string;
  /** Cancelled (by the ERP or operations) after capture, in the ordered UoM. */
  cancelledQuantity: string;
  /** Invoiced by the ERP, in the ordered UoM. */
  invoicedQuantity: string;
}

export interface OrderSegment {
  id: string;
  segmentNo: number;
  kind: SegmentKind;
  warehouse: string | null;
  supplierId: string | null;
  externalReference: string;
  status: SegmentStatus;
  erpOrderNumber: string | null;
  erpErrors: string[];
  postedAt: Date | null;
}

export interface OrderSnapshot {
  id: string;
  orderNumber: string;
  channelId: string;
  /** The channel's name and kind when it sent the order: its policy applies on release. */
  channelName: string;
  channelKind: string;
  channelOrderRef: string;
  status: OrderStatus;
  customerId: string;
  creditAccount: string;
  shipTo: OrderShipTo;
  poNumber: string | null;
  requestedShipDate: string | null;
  currency: string;
  notes: string | null;
  priceVersion: string;
  pricingDate: string;
  total: string;
  holds: OrderViolation[];
  adjustments: OrderAdjustment[];
  lines: OrderLine[];
  segments: OrderSegment[];
  correlationId: string | null;
  createdAt: Date;
  updatedAt: Date;
  postedAt: Date | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
}

/** The ERP external reference of a segment: order number + segment, ≤ 35 chars (BC's limit). */
export const externalReferenceOf = (orderNumber: string, segmentNo: number): string =>
  `${orderNumber}-${segmentNo}`;

/** Who changed an order: the hub itself, a channel, the ERP, a WMS, a supplier, operations. */
export const CHANGE_SOURCES = ['hub', 'channel', 'erp', 'wms', 'supplier', 'operations'] as const;
export type ChangeSource = (typeof CHANGE_SOURCES)[number];

/** One state change of an order, as recorded when it happened. */
export interface OrderHistoryEntry {
  /** Who made the change. */
  source: ChangeSource;
  /** The user, channel or ERP user that made it, when known. */
  actor: string | null;
  /** The order status it changed to (or, for a segment event, the segment's new status). */
  status: string;
  at: Date;
  /** What went with it: reason, holds, ERP order number, segment and errors… */
  detail: Record<string, unknown> | null;
  correlationId: string | null;
}
