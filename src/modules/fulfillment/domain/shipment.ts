import type { ShipmentSource } from './erp-fulfillment.js';

/*
 * The hub's canonical shipment and invoice, whatever their source. Quantities are decimal strings
 * in the ordered UoM (`quantity`) and the item's base UoM (`baseQuantity`).
 */

export const ERP_POSTING_STATES = ['NOT_NEEDED', 'QUEUED', 'PENDING', 'POSTED', 'FAILED'] as const;
/** Where a WMS/supplier shipment is on its way into the ERP (NOT_NEEDED: the ERP is the source). */
export type ErpPostingState = (typeof ERP_POSTING_STATES)[number];

export interface ShipmentLine {
  lineNo: number;
  /** The order line shipped. */
  orderLineNo: number;
  lineRef: string;
  sku: string;
  quantity: string;
  uom: string;
  baseQuantity: string;
  baseUom: string;
  lotNo: string | null;
  serialNumbers: string[];
}

export interface Shipment {
  id: string;
  /** The hub's number, also the reference the ERP keeps for a shipment the hub posts. */
  shipmentNumber: string;
  orderId: string;
  orderNumber: string;
  /** The ERP order (segment) it ships from. */
  externalReference: string;
  erpOrderNumber: string | null;
  source: ShipmentSource;
  /** The confirming channel's document id, or the ERP's shipment number. */
  sourceDocumentId: string;
  shipDate: string;
  carrier: string | null;
  service: string | null;
  trackingNumbers: string[];
  trackingUrl: string | null;
  warehouse: string | null;
  supplierId: string | null;
  erpPosting: ErpPostingState;
  erpShipmentNo: string | null;
  erpErrors: string[];
  receivedAt: Date;
  erpPostedAt: Date | null;
  updatedAt: Date;
  lines: ShipmentLine[];
}

export interface InvoiceLine {
  lineNo: number;
  /** The order line invoiced; null for a line of no order line (freight, a charge). */
  orderLineNo: number | null;
  sku: string;
  quantity: string;
  uom: string;
  unitPrice: string;
  amount: string;
  taxAmount: string;
}

export type InvoiceStatus = 'DRAFT' | 'OPEN' | 'PAID' | 'CANCELLED';

export interface Invoice {
  id: string;
  invoiceNumber: string;
  orderId: string;
  orderNumber: string;
  erpOrderNumber: string | null;
  status: InvoiceStatus;
  invoiceDate: string;
  dueDate: string | null;
  currency: string;
  amountExcludingTax: string;
  taxAmount: string;
  amountIncludingTax: string;
  remainingAmount: string | null;
  receivedAt: Date;
  updatedAt: Date;
  lines: InvoiceLine[];
}

/** Invoices whose quantities count as invoiced on the order (posted, not cancelled). */
export const countsAsInvoiced = (status: InvoiceStatus): boolean =>
  status === 'OPEN' || status === 'PAID';
