import { Decimal } from 'decimal.js';
import type {
  ErpInvoice,
  ErpInvoiceLine,
  ErpInvoiceStatus,
  ErpShipment,
  ErpShipmentLine,
} from '../../../../modules/fulfillment/index.js';
import { textOrNull, UnmappableRecordError } from '../../shared/canonical-fields.js';
import { bcCurrency, bcDecimal, bcDecimalOrZero, bcOptionalDate } from '../bc-values.js';
import type { BcRow } from '../cloud-erp.connection.js';

/*
 * Business Central's posted sales documents in the hub's canonical fulfillment form
 * (shared/erp/business-central-api-v2.md §5.8–5.11). BC's lines carry no link to the order
 * line they came from: `orderLineNo` is null and the hub matches lines by SKU and open quantity.
 */

/** A row of the fulfillment extension's `shipmentTrackings` page (over Sales Shipment Header). */
export interface BcShipmentTracking {
  shippingAgentCode?: unknown;
  shippingAgentServiceCode?: unknown;
  packageTrackingNo?: unknown;
  packageTrackingNos?: unknown;
  trackingUrl?: unknown;
  hubShipmentReference?: unknown;
}

/** BC's invoice status (NAV.invoiceEntityAggregateStatus) in the hub's terms. */
const INVOICE_STATUS: Record<string, ErpInvoiceStatus> = {
  ' ': 'DRAFT',
  '': 'DRAFT',
  Draft: 'DRAFT',
  'In Review': 'DRAFT',
  Open: 'OPEN',
  Paid: 'PAID',
  Canceled: 'CANCELLED',
  // A corrective credit memo reversed the invoice: its quantities no longer count as invoiced.
  Corrective: 'CANCELLED',
};

/** Line types that move goods: BC's shipment lines say `Item`, invoice lines `Item` too. */
const ITEM_LINE = 'Item';

export const CloudFulfillmentMapper = {
  shipment(header: BcRow, lines: BcRow[], tracking: BcShipmentTracking | null): ErpShipment {
    const itemLines = lines
      .filter((l) => String(l.lineType ?? ITEM_LINE) === ITEM_LINE)
      .sort((a, b) => Number(a.sequence) - Number(b.sequence));
    const mapped: ErpShipmentLine[] = [];
    for (const line of itemLines) {
      const quantity = bcDecimalOrZero(line.quantity, 'quantity');
      // BC may copy an order line it did not ship this time with quantity 0: nothing moved.
      if (!new Decimal(quantity).greaterThan(0)) continue;
      mapped.push({
        lineNo: sequenceOf(line),
        orderLineNo: null,
        sku: required(line.lineObjectNumber, 'lineObjectNumber'),
        uom: required(line.unitOfMeasureCode, 'unitOfMeasureCode'),
        quantity,
        lotNo: null,
        serialNos: [],
      });
    }
    if (mapped.length === 0) {
      throw new UnmappableRecordError('The shipment has no item line with a shipped quantity.');
    }
    const trackingNumbers = trackingNumbersOf(tracking);
    return {
      shipmentNo: required(header.number, 'number'),
      erpOrderNumber: textOrNull(header.orderNumber),
      externalReference: textOrNull(header.externalDocumentNumber),
      shipDate: requiredDate(header.postingDate, 'postingDate'),
      // BC v2.0 has no location on shipments (nor on the order, §5.6).
      warehouseCode: null,
      supplierId: null,
      carrier: tracking ? textOrNull(tracking.shippingAgentCode) : null,
      service: tracking ? textOrNull(tracking.shippingAgentServiceCode) : null,
      trackingNumbers,
      trackingUrl: tracking ? textOrNull(tracking.trackingUrl) : null,
      hubShipmentId: tracking ? textOrNull(tracking.hubShipmentReference) : null,
      lines: mapped,
    };
  },

  invoice(header: BcRow, lines: BcRow[], localCurrency: string): ErpInvoice {
    const rawStatus = typeof header.status === 'string' ? header.status : '';
    const status = INVOICE_STATUS[rawStatus];
    if (!status) throw new UnmappableRecordError(`Unknown invoice status '${rawStatus}'.`);
    const mapped: ErpInvoiceLine[] = lines
      .filter((l) => String(l.lineType ?? ITEM_LINE) === ITEM_LINE)
      .sort((a, b) => Number(a.sequence) - Number(b.sequence))
      .map((line) => ({
        lineNo: sequenceOf(line),
        orderLineNo: null,
        sku: required(line.lineObjectNumber, 'lineObjectNumber'),
        uom: required(line.unitOfMeasureCode, 'unitOfMeasureCode'),
        quantity: bcDecimalOrZero(line.quantity, 'quantity'),
        unitPrice: bcDecimalOrZero(line.unitPrice, 'unitPrice'),
        amount: bcDecimalOrZero(line.amountExcludingTax, 'amountExcludingTax'),
        taxAmount: bcDecimalOrZero(line.totalTaxAmount, 'totalTaxAmount'),
      }));
    return {
      invoiceNo: required(header.number, 'number'),
      erpOrderNumber: textOrNull(header.orderNumber),
      externalReference: textOrNull(header.externalDocumentNumber),
      invoiceDate: requiredDate(header.invoiceDate ?? header.postingDate, 'invoiceDate'),
      dueDate: bcOptionalDate(header.dueDate),
      currency: bcCurrency(header.currencyCode, localCurrency),
      amountExcludingTax: bcDecimalOrZero(
        header.totalAmountExcludingTax,
        'totalAmountExcludingTax',
      ),
      taxAmount: bcDecimalOrZero(header.totalTaxAmount, 'totalTaxAmount'),
      amountIncludingTax: bcDecimalOrZero(
        header.totalAmountIncludingTax,
        'totalAmountIncludingTax',
      ),
      remainingAmount:
        header.remainingAmount === undefined || header.remainingAmount === null
          ? null
          : bcDecimal(header.remainingAmount, 'remainingAmount'),
      status,
      lines: mapped,
    };
  },
};

/**
 * The tracking numbers of a shipment: the extension's list for multi-package shipments, else
 * BC's one "Package Tracking No.".
 */
function trackingNumbersOf(tracking: BcShipmentTracking | null): string[] {
  if (!tracking) return [];
  const list = (textOrNull(tracking.packageTrackingNos) ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  if (list.length > 0) return [...new Set(list)];
  const one = textOrNull(tracking.packageTrackingNo);
  return one ? [one] : [];
}

function sequenceOf(line: BcRow): number {
  const sequence = Number(line.sequence);
  if (!Number.isSafeInteger(sequence) || sequence <= 0) {
    throw new UnmappableRecordError(`Line sequence ${String(line.sequence)} is not a line number.`);
  }
  return sequence;
}

function required(value: unknown, field: string): string {
  const text = textOrNull(value);
  if (text === null) throw new UnmappableRecordError(`${field} is blank.`);
  return text;
}

function requiredDate(value: unknown, field: string): string {
  const date = bcOptionalDate(value);
  if (date === null) throw new UnmappableRecordError(`${field} is blank.`);
  return date;
}
