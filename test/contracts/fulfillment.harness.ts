import type { DemoDataset } from '../../src/erp-simulators/demo-data/index.js';
import type {
  InvoiceFeed,
  ShipmentFeed,
  ShipmentGateway,
} from '../../src/modules/fulfillment/index.js';
import type { SalesOrderChangeFeed, SalesOrderGateway } from '../../src/modules/orders/index.js';

/** One posted shipment as the ERP holds it, read on the ERP side (SQL / the sandbox's store). */
export interface ErpSideShipment {
  shipmentNo: string;
  erpOrderNumber: string;
  lines: { sku: string; quantity: string }[];
}

export interface ErpShipLine {
  /** The hub document's line number (SalesOrderGateway lineNo). */
  lineNo: number;
  /** In the line's UoM. */
  quantity: string;
}

/**
 * What the fulfillment contract suites (ShipmentFeed, InvoiceFeed, ShipmentGateway,
 * SalesOrderChangeFeed) need from an adapter set: the ports over an ERP that holds `dataset`,
 * and what the ERP's own users do (ship, invoice, cancel, edit).
 */
export interface FulfillmentHarness {
  dataset: DemoDataset;
  /** To create the ERP orders the suites ship and invoice. */
  salesOrders: SalesOrderGateway;
  shipmentFeed: ShipmentFeed;
  invoiceFeed: InvoiceFeed;
  shipmentGateway: ShipmentGateway;
  orderChanges: SalesOrderChangeFeed;
  /** The ERP links shipment/invoice lines to order lines (on-prem yes; BC standard API no). */
  linksOrderLines: boolean;
  /** The ERP holds carrier and tracking numbers on shipments (cloud: through the custom page). */
  holdsTracking: boolean;
  /** The ERP deletes a cancelled order (BC): lookUp answers NOT_FOUND afterwards. */
  deletesCancelledOrders: boolean;
  /** Runs the ERP's import jobs once: orders and shipment imports (no-op where synchronous). */
  runErpImportJob(): Promise<void>;
  /** An ERP user posts a shipment of these order lines; answers the ERP shipment number. */
  erpShip(
    externalReference: string,
    lines: ErpShipLine[],
    tracking?: { carrier: string; trackingNumber: string },
  ): Promise<string>;
  /** An ERP user invoices everything shipped and not yet invoiced; answers the invoice number. */
  erpInvoice(externalReference: string): Promise<string>;
  /** An ERP user cancels the order (BC: deletes it). */
  erpCancelOrder(externalReference: string): Promise<void>;
  /** An ERP user changes a line's ordered quantity. */
  erpSetLineQuantity(externalReference: string, lineNo: number, quantity: string): Promise<void>;
  /** Every ERP shipment that carries this hub shipment reference (exactly-once checks). */
  erpShipmentsFor(shipmentReference: string): Promise<ErpSideShipment[]>;
  /**
   * A shipment post whose answer the hub never gets (cloud: commit then drop; on-prem: two
   * instances post at once). Resolves once that post is over; the suite then retries.
   */
  postLosingTheAnswer(document: Parameters<ShipmentGateway['post']>[0]): Promise<void>;
  close(): Promise<void>;
}
