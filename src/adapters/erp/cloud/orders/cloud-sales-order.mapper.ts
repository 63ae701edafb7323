import type { ErpSalesOrderDocument } from '../../../../modules/orders/index.js';
import { ErpHttpError } from '../http/index.js';

/** An OData string literal: quoted, a quote inside doubled (`O'Brien` → `'O''Brien'`). */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The ship-to fields of a BC salesOrder (v2.0 has addresses, no ship-to code). */
export interface BcShipTo {
  shipToName: string;
  shipToContact?: string;
  shipToAddressLine1: string;
  shipToAddressLine2: string;
  shipToCity: string;
  shipToState: string;
  shipToPostCode: string;
  shipToCountry: string;
}

/** A row of the custom `shipToAddresses` page (the customer's ship-to codes). */
export interface BcShipToAddressRow {
  name: string;
  contact: string;
  addressLine1: string;
  addressLine2: string;
  city: string;
  state: string;
  postalCode: string;
  country: string;
}

export function shipToFromAddressRow(row: BcShipToAddressRow): BcShipTo {
  return {
    shipToName: row.name,
    shipToContact: row.contact,
    shipToAddressLine1: row.addressLine1,
    shipToAddressLine2: row.addressLine2,
    shipToCity: row.city,
    shipToState: row.state,
    shipToPostCode: row.postalCode,
    shipToCountry: row.country,
  };
}

export interface SalesOrderBodyContext {
  /** The company's local currency: BC leaves a local-currency document's currency blank. */
  localCurrency: string;
  /** The `locations` id of the document's warehouse; null for a drop-ship document. */
  locationId: string | null;
  /** The resolved ship-to address; null = the customer's default (BC fills it in). */
  shipTo: BcShipTo | null;
}

/** BC numbers document lines 10000, 20000, …: the hub's line n is sequence n × 10000. */
export const SEQUENCE_STEP = 10_000;

/**
 * The POST salesOrders body, lines as a deep insert. Decimals go as the hub's decimal strings
 * (IEEE754Compatible), never through a JS number. What BC v2.0's salesOrder has no field for
 * stays out: customer PO, notes, the channel's line reference, the drop-ship supplier (BC
 * takes the vendor from the item's purchasing setup).
 */
export function salesOrderBody(
  document: ErpSalesOrderDocument,
  context: SalesOrderBodyContext,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    customerNumber: document.customerNo,
    externalDocumentNumber: document.externalReference,
    orderDate: document.orderDate,
  };
  if (document.requestedDate) body.requestedDeliveryDate = document.requestedDate;
  // A blank currency is BC's local currency; a foreign one must be named.
  if (document.currency !== context.localCurrency) body.currencyCode = document.currency;
  if (context.shipTo) Object.assign(body, context.shipTo);
  body.salesOrderLines = document.lines.map((line) => {
    const row: Record<string, unknown> = {
      sequence: line.lineNo * SEQUENCE_STEP,
      lineType: 'Item',
      lineObjectNumber: line.sku,
      unitOfMeasureCode: line.uom,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
    };
    if (context.locationId) row.locationId = context.locationId;
    return row;
  });
  return body;
}

/** The one-time address of a document in BC's ship-to fields (BC writes blanks, not nulls). */
export function shipToFromDocument(document: ErpSalesOrderDocument): BcShipTo | null {
  const shipTo = document.shipTo;
  if (shipTo?.kind !== 'address') return null;
  return {
    shipToName: shipTo.name,
    shipToAddressLine1: shipTo.addressLine1,
    shipToAddressLine2: shipTo.addressLine2 ?? '',
    shipToCity: shipTo.city,
    shipToState: shipTo.region ?? '',
    shipToPostCode: shipTo.postalCode,
    shipToCountry: shipTo.country,
  };
}

/**
 * BC's own words from a refused create: a 400 is a business or validation refusal
 * (`Application_*`, `Internal_RecordNotFound`, `Internal_InvalidTableRelation`, `BadRequest_*`):
 * the same document can never succeed. Anything else (401/403/404 configuration, 408/429/5xx,
 * no answer) is not the document's fault: null.
 */
export function bcRejection(error: unknown): string | null {
  if (!(error instanceof ErpHttpError) || error.status !== 400) return null;
  const message = error.message
    .replace(/^.*?→ \d{3}:?\s*/s, '')
    .replace(/\s*CorrelationId:.*$/s, '')
    .trim();
  return `${error.erpCode ?? 'BadRequest'}: ${message || 'the ERP refused the sales order'}`;
}
