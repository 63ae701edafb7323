/*
 * What the ERP says about fulfillment, in the hub's canonical form: what the ERP adapters map
 * their documents to (ShipmentFeed, InvoiceFeed) and what the hub posts (ShipmentGateway).
 * Quantities and amounts are decimal strings; dates YYYY-MM-DD.
 */

export const SHIPMENT_SOURCES = ['erp', 'wms', 'supplier'] as const;
export type ShipmentSource = (typeof SHIPMENT_SOURCES)[number];

export interface ErpShipmentLine {
  /** The line's number within the ERP shipment. */
  lineNo: number;
  /**
   * The hub document's line number (the `lineNo` SalesOrderGateway submitted) of the order line
   * shipped; null when the ERP does not link shipment lines to order lines (BC standard API).
   */
  orderLineNo: number | null;
  sku: string;
  uom: string;
  /** Shipped, in `uom`, > 0. */
  quantity: string;
  lotNo: string | null;
  serialNos: string[];
}

export interface ErpShipment {
  /** The ERP's posted shipment number: the source document id. */
  shipmentNo: string;
  /** The ERP order shipped from. */
  erpOrderNumber: string | null;
  /** The hub segment's external reference, as the ERP copied it from the order. */
  externalReference: string | null;
  /** YYYY-MM-DD. */
  shipDate: string;
  warehouseCode: string | null;
  supplierId: string | null;
  carrier: string | null;
  service: string | null;
  trackingNumbers: string[];
  trackingUrl: string | null;
  /** Set when the hub itself posted this shipment (ShipmentGateway) for a WMS/supplier. */
  hubShipmentId: string | null;
  lines: ErpShipmentLine[];
}

export const ERP_INVOICE_STATUSES = ['DRAFT', 'OPEN', 'PAID', 'CANCELLED'] as const;
export type ErpInvoiceStatus = (typeof ERP_INVOICE_STATUSES)[number];

export interface ErpInvoiceLine {
  lineNo: number;
  /** As ErpShipmentLine.orderLineNo. */
  orderLineNo: number | null;
  sku: string;
  uom: string;
  quantity: string;
  unitPrice: string;
  /** Line amount excluding tax. */
  amount: string;
  taxAmount: string;
}

export interface ErpInvoice {
  invoiceNo: string;
  erpOrderNumber: string | null;
  externalReference: string | null;
  /** YYYY-MM-DD. */
  invoiceDate: string;
  dueDate: string | null;
  currency: string;
  amountExcludingTax: string;
  taxAmount: string;
  amountIncludingTax: string;
  /** Still to be paid, when the ERP says. */
  remainingAmount: string | null;
  status: ErpInvoiceStatus;
  lines: ErpInvoiceLine[];
}

export interface ErpShipmentDocumentLine {
  /** The hub document's line number of the ERP order line (SalesOrderGateway `lineNo`). */
  orderLineNo: number;
  sku: string;
  uom: string;
  quantity: string;
  lotNo: string | null;
  serialNos: string[];
}

/** A WMS/supplier shipment as the hub posts it to the ERP (ShipmentGateway). */
export interface ErpShipmentDocument {
  /** The hub's shipment number: the ERP keeps it, the look-up before every post uses it. */
  shipmentReference: string;
  /** The segment's external reference (the ERP order). */
  externalReference: string;
  erpOrderNumber: string;
  shipDate: string;
  carrier: string | null;
  service: string | null;
  trackingNumbers: string[];
  trackingUrl: string | null;
  lines: ErpShipmentDocumentLine[];
}

export const ERP_SHIPMENT_POSTING_STATES = ['NOT_FOUND', 'PENDING', 'POSTED', 'REJECTED'] as const;
export type ErpShipmentPostingState = (typeof ERP_SHIPMENT_POSTING_STATES)[number];

export interface ErpShipmentPosting {
  shipmentReference: string;
  state: ErpShipmentPostingState;
  /** The ERP's posted shipment number once POSTED. */
  erpShipmentNo: string | null;
  /** The ERP's reasons when REJECTED. */
  errors: string[];
  /** true when this call posted it; false when the look-up found it. */
  created: boolean;
}
