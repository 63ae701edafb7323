import { type RecordCheck, RecordReader } from '../../../platform/kernel/index.js';
import {
  ERP_INVOICE_STATUSES,
  type ErpInvoice,
  type ErpInvoiceStatus,
  type ErpShipment,
} from './erp-fulfillment.js';

/*
 * What an ERP adapter delivers is checked before it touches an order: runtime types, decimals in
 * canonical spelling, dates, lines present. A record that fails is refused by the sync runner
 * (an exception with every problem), the rest of the page goes on.
 */

const QUANTITY = { maxScale: 6, sign: 'positive' } as const;
const AMOUNT = { maxScale: 6, sign: 'any' } as const;

export function checkErpShipment(input: unknown): RecordCheck<ErpShipment> {
  const r = RecordReader.of(input);
  const shipment: ErpShipment = {
    shipmentNo: r.key('shipmentNo'),
    erpOrderNumber: r.optionalKey('erpOrderNumber'),
    externalReference: r.optionalKey('externalReference'),
    shipDate: r.date('shipDate'),
    warehouseCode: r.optionalKey('warehouseCode'),
    supplierId: r.optionalKey('supplierId'),
    carrier: r.optionalText('carrier'),
    service: r.optionalText('service'),
    trackingNumbers: r.keyList('trackingNumbers'),
    trackingUrl: r.optionalText('trackingUrl'),
    hubShipmentId: r.optionalKey('hubShipmentId'),
    lines: r.list('lines', (element, path) => {
      const l = RecordReader.of(element, r.problems, path);
      return {
        lineNo: l.integer('lineNo', 0, 2_147_483_647),
        orderLineNo:
          l.raw('orderLineNo') === null || l.raw('orderLineNo') === undefined
            ? null
            : l.integer('orderLineNo', 1, 2_147_483_647),
        sku: l.key('sku'),
        uom: l.key('uom'),
        quantity: l.decimal('quantity', QUANTITY),
        lotNo: l.optionalKey('lotNo'),
        serialNos: l.keyList('serialNos'),
      };
    }),
  };
  if (shipment.erpOrderNumber === null && shipment.externalReference === null) {
    r.problem(
      'externalReference',
      'REQUIRED',
      'an ERP order number or external reference is required',
    );
  }
  if (shipment.lines.length === 0) r.problem('lines', 'REQUIRED', 'a shipment has lines');
  return r.problems.length > 0
    ? { ok: false, problems: r.problems }
    : { ok: true, value: shipment };
}

export function checkErpInvoice(input: unknown): RecordCheck<ErpInvoice> {
  const r = RecordReader.of(input);
  const status = r.key('status') as ErpInvoiceStatus;
  if (status && !(ERP_INVOICE_STATUSES as readonly string[]).includes(status)) {
    r.problem(
      'status',
      'INVALID_STATUS',
      `status must be one of ${ERP_INVOICE_STATUSES.join(', ')}`,
    );
  }
  const invoice: ErpInvoice = {
    invoiceNo: r.key('invoiceNo'),
    erpOrderNumber: r.optionalKey('erpOrderNumber'),
    externalReference: r.optionalKey('externalReference'),
    invoiceDate: r.date('invoiceDate'),
    dueDate: r.optionalDate('dueDate'),
    currency: r.key('currency'),
    amountExcludingTax: r.decimal('amountExcludingTax', AMOUNT),
    taxAmount: r.decimal('taxAmount', AMOUNT),
    amountIncludingTax: r.decimal('amountIncludingTax', AMOUNT),
    remainingAmount: r.optionalDecimal('remainingAmount', AMOUNT),
    status,
    lines: r.list('lines', (element, path) => {
      const l = RecordReader.of(element, r.problems, path);
      return {
        lineNo: l.integer('lineNo', 0, 2_147_483_647),
        orderLineNo:
          l.raw('orderLineNo') === null || l.raw('orderLineNo') === undefined
            ? null
            : l.integer('orderLineNo', 1, 2_147_483_647),
        sku: l.key('sku'),
        uom: l.key('uom'),
        quantity: l.decimal('quantity', { maxScale: 6, sign: 'any' }),
        unitPrice: l.decimal('unitPrice', AMOUNT),
        amount: l.decimal('amount', AMOUNT),
        taxAmount: l.decimal('taxAmount', AMOUNT),
      };
    }),
  };
  if (invoice.erpOrderNumber === null && invoice.externalReference === null) {
    r.problem(
      'externalReference',
      'REQUIRED',
      'an ERP order number or external reference is required',
    );
  }
  if (invoice.currency && !/^[A-Z]{3}$/.test(invoice.currency)) {
    r.problem('currency', 'INVALID_CURRENCY', 'currency must be an ISO 4217 code');
  }
  return r.problems.length > 0 ? { ok: false, problems: r.problems } : { ok: true, value: invoice };
}
