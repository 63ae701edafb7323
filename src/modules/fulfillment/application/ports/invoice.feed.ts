import type {
  DeltaFeedHealth,
  DeltaPage,
  DeltaReadRequest,
} from '../../../../platform/delta-sync/index.js';
import type { ErpInvoice } from '../../domain/erp-fulfillment.js';

/*
 * InvoiceFeed: how the hub reads sales invoices from the ERP.
 * ===========================================================
 *
 * Same delta rules as ShipmentFeed (since/order/paging/invalid records/health).
 *
 * 1. sourceId: the invoice's identity in the ERP (on-prem: the invoice number; cloud: the
 *    salesInvoice id).
 * 2. Records: one ErpInvoice WITH its lines. Only invoices the ERP has posted count for the
 *    order's invoiced quantities: status OPEN, PAID, or CANCELLED (a cancelled invoice is
 *    delivered so the hub can take its quantities back). DRAFT invoices MAY be delivered; the
 *    hub stores them but counts nothing for them.
 * 3. Link: `erpOrderNumber` / `externalReference` as ShipmentFeed rule 4. Lines: `orderLineNo`
 *    as ShipmentFeed rule 5 (cloud: null, matched by SKU).
 * 4. Amounts: decimal strings, parsed losslessly. `currency` is the ISO code (BC's `""` = the
 *    company's local currency, resolved by the adapter).
 */
export abstract class InvoiceFeed {
  abstract readonly name: string;

  abstract readInvoices(request: DeltaReadRequest): Promise<DeltaPage<ErpInvoice>>;

  abstract healthCheck(): Promise<DeltaFeedHealth>;
}

export type { ErpInvoice };
