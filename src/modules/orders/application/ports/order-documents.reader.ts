/*
 * OrderDocumentsReader: the shipments and invoices of an order, for GET /v1/orders/{id}.
 *
 * The fulfillment module owns shipments and invoices and depends on this module (it changes
 * order quantities through OrderFulfillment); the order read needs its documents the other way
 * round. This port inverts that one dependency: the fulfillment module implements it, the orders
 * module never imports fulfillment. Without it bound (a test app without fulfillment) an order
 * reads with no documents.
 */
export interface OrderShipmentSummary {
  id: string;
  shipmentNumber: string;
  source: string;
  externalReference: string;
  shipDate: string;
  carrier: string | null;
  service: string | null;
  trackingNumbers: string[];
  trackingUrl: string | null;
  erpPosting: string;
  erpShipmentNo: string | null;
  lines: { orderLineNo: number; sku: string; quantity: string; uom: string }[];
}

export interface OrderInvoiceSummary {
  id: string;
  invoiceNumber: string;
  status: string;
  invoiceDate: string;
  dueDate: string | null;
  currency: string;
  amountIncludingTax: string;
  remainingAmount: string | null;
}

export interface OrderDocuments {
  shipments: OrderShipmentSummary[];
  invoices: OrderInvoiceSummary[];
}

export abstract class OrderDocumentsReader {
  abstract forOrder(orderId: string): Promise<OrderDocuments>;
}
