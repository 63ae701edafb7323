import type {
  ErpInvoice,
  ErpInvoiceStatus,
  ErpShipment,
} from '../../../../modules/fulfillment/index.js';
import { mapEnum, textOrNull, UnmappableRecordError } from '../../shared/canonical-fields.js';

/** `updated_at` as the feeds position on it: microsecond ISO 8601 UTC (PostgreSQL's precision). */
export const AT_SQL = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * The hub document's line number of an order line, or NULL: the order import copies the hub's
 * lineNo into so_order_line.line_no, so an order line is the hub's when the order's import
 * staged that number with that item. A line an ERP user added (or any line of an order the hub
 * did not create) has none.
 */
export const HUB_LINE_NO_SQL = (orderNo: string, lineNo: string, itemNo: string): string => `
  CASE WHEN EXISTS (SELECT 1 FROM so_order_header o
                      JOIN so_import_line il ON il.import_id = o.import_id
                     WHERE o.order_no = ${orderNo} AND il.line_no = ${lineNo}
                       AND il.item_no = ${itemNo})
       THEN ${lineNo} END`;

/** A numeric column read as `::text`: kept exactly as the ERP holds it, never a float. */
export function decimalText(value: unknown, column: string): string {
  if (typeof value !== 'string' || !/^-?\d+(\.\d+)?$/.test(value)) {
    throw new UnmappableRecordError(`${column} is not a decimal (got ${JSON.stringify(value)}).`);
  }
  return value;
}

function positive(value: unknown, column: string): string {
  const text = decimalText(value, column);
  if (/^-/.test(text) || /^0+(\.0+)?$/.test(text)) {
    throw new UnmappableRecordError(`${column} must be greater than 0 (got ${text}).`);
  }
  return text;
}

export interface ShipmentHeaderRow {
  sid: string;
  at: string;
  order_no: string;
  external_reference: string | null;
  ship_date: string | null;
  warehouse_code: string | null;
  supplier_no: string | null;
  shipping_agent_code: string | null;
  shipping_service_code: string | null;
  tracking_numbers: string[] | null;
  tracking_url: string | null;
  hub_shipment_reference: string | null;
}

export interface ShipmentLineRow {
  shipment_no: string;
  line_no: number;
  order_line_no: number | null;
  item_no: string;
  uom_code: string;
  quantity: string;
  lot_no: string | null;
  serial_nos: string[] | null;
}

/** A posted shipment with its lines; throws UnmappableRecordError for what cannot be mapped. */
export function toErpShipment(header: ShipmentHeaderRow, lines: ShipmentLineRow[]): ErpShipment {
  if (lines.length === 0) throw new UnmappableRecordError('The shipment has no lines.');
  if (!header.ship_date) throw new UnmappableRecordError('The shipment has no ship date.');
  return {
    shipmentNo: header.sid,
    erpOrderNumber: header.order_no,
    externalReference: textOrNull(header.external_reference),
    shipDate: header.ship_date,
    warehouseCode: textOrNull(header.warehouse_code),
    supplierId: textOrNull(header.supplier_no),
    carrier: textOrNull(header.shipping_agent_code),
    service: textOrNull(header.shipping_service_code),
    trackingNumbers: (header.tracking_numbers ?? [])
      .map(textOrNull)
      .filter((n): n is string => n !== null),
    trackingUrl: textOrNull(header.tracking_url),
    hubShipmentId: textOrNull(header.hub_shipment_reference),
    lines: lines.map((l) => ({
      lineNo: l.line_no,
      orderLineNo: l.order_line_no,
      sku: l.item_no,
      uom: l.uom_code,
      quantity: positive(l.quantity, `line ${l.line_no} quantity`),
      lotNo: textOrNull(l.lot_no),
      serialNos: (l.serial_nos ?? []).map(textOrNull).filter((n): n is string => n !== null),
    })),
  };
}

export interface InvoiceHeaderRow {
  sid: string;
  at: string;
  order_no: string | null;
  external_reference: string | null;
  invoice_date: string | null;
  due_date: string | null;
  currency_code: string;
  amount_excl_tax: string;
  tax_amount: string;
  amount_incl_tax: string;
  remaining_amount: string | null;
  status: string;
}

export interface InvoiceLineRow {
  invoice_no: string;
  line_no: number;
  order_line_no: number | null;
  item_no: string;
  uom_code: string;
  quantity: string;
  unit_price: string;
  line_amount: string;
  tax_amount: string;
}

const INVOICE_STATUSES: Record<string, ErpInvoiceStatus> = {
  OPEN: 'OPEN',
  PAID: 'PAID',
  CANCELLED: 'CANCELLED',
};

/** A posted invoice with its lines; throws UnmappableRecordError for what cannot be mapped. */
export function toErpInvoice(header: InvoiceHeaderRow, lines: InvoiceLineRow[]): ErpInvoice {
  const status = mapEnum(header.status, INVOICE_STATUSES);
  if (!status) throw new UnmappableRecordError(`Unknown invoice status ${header.status}.`);
  if (lines.length === 0) throw new UnmappableRecordError('The invoice has no lines.');
  if (!header.invoice_date) throw new UnmappableRecordError('The invoice has no invoice date.');
  return {
    invoiceNo: header.sid,
    erpOrderNumber: textOrNull(header.order_no),
    externalReference: textOrNull(header.external_reference),
    invoiceDate: header.invoice_date,
    dueDate: header.due_date,
    currency: header.currency_code,
    amountExcludingTax: decimalText(header.amount_excl_tax, 'amount_excl_tax'),
    taxAmount: decimalText(header.tax_amount, 'tax_amount'),
    amountIncludingTax: decimalText(header.amount_incl_tax, 'amount_incl_tax'),
    remainingAmount:
      header.remaining_amount === null
        ? null
        : decimalText(header.remaining_amount, 'remaining_amount'),
    status,
    lines: lines.map((l) => ({
      lineNo: l.line_no,
      orderLineNo: l.order_line_no,
      sku: l.item_no,
      uom: l.uom_code,
      quantity: decimalText(l.quantity, `line ${l.line_no} quantity`),
      unitPrice: decimalText(l.unit_price, `line ${l.line_no} unit_price`),
      amount: decimalText(l.line_amount, `line ${l.line_no} line_amount`),
      taxAmount: decimalText(l.tax_amount, `line ${l.line_no} tax_amount`),
    })),
  };
}
