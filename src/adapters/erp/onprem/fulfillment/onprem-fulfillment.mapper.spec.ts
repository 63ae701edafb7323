import { UnmappableRecordError } from '../../shared/canonical-fields.js';
import {
  decimalText,
  type InvoiceHeaderRow,
  type InvoiceLineRow,
  type ShipmentHeaderRow,
  type ShipmentLineRow,
  toErpInvoice,
  toErpShipment,
} from './onprem-fulfillment.mapper.js';

const header = (overrides: Partial<ShipmentHeaderRow> = {}): ShipmentHeaderRow => ({
  sid: 'SH500001',
  at: '2026-12-07T10:00:00.123456Z',
  order_no: 'SO100001',
  external_reference: 'ORD-1',
  ship_date: '2026-12-07',
  warehouse_code: 'EAST',
  supplier_no: null,
  shipping_agent_code: 'UPS',
  shipping_service_code: ' ',
  tracking_numbers: ['1Z1', ''],
  tracking_url: null,
  hub_shipment_reference: null,
  ...overrides,
});

const line = (overrides: Partial<ShipmentLineRow> = {}): ShipmentLineRow => ({
  shipment_no: 'SH500001',
  line_no: 1,
  order_line_no: 2,
  item_no: 'ITM-1',
  uom_code: 'EA',
  quantity: '2.500000',
  lot_no: '',
  serial_nos: ['S1'],
  ...overrides,
});

const invoice = (overrides: Partial<InvoiceHeaderRow> = {}): InvoiceHeaderRow => ({
  sid: 'INV700001',
  at: '2026-12-07T10:00:00.123456Z',
  order_no: 'SO100001',
  external_reference: 'ORD-1',
  invoice_date: '2026-12-07',
  due_date: '2027-01-06',
  currency_code: 'USD',
  amount_excl_tax: '20.0000',
  tax_amount: '1.6500',
  amount_incl_tax: '21.6500',
  remaining_amount: '21.6500',
  status: 'OPEN',
  ...overrides,
});

const invoiceLine: InvoiceLineRow = {
  invoice_no: 'INV700001',
  line_no: 1,
  order_line_no: 1,
  item_no: 'ITM-1',
  uom_code: 'EA',
  quantity: '2.000000',
  unit_price: '10.0000',
  line_amount: '20.0000',
  tax_amount: '1.6500',
};

describe('on-prem fulfillment mapping', () => {
  it('maps a posted shipment with blank codes as null and decimals exactly as the ERP holds them', () => {
    expect(toErpShipment(header(), [line()])).toEqual({
      shipmentNo: 'SH500001',
      erpOrderNumber: 'SO100001',
      externalReference: 'ORD-1',
      shipDate: '2026-12-07',
      warehouseCode: 'EAST',
      supplierId: null,
      carrier: 'UPS',
      service: null,
      trackingNumbers: ['1Z1'],
      trackingUrl: null,
      hubShipmentId: null,
      lines: [
        {
          lineNo: 1,
          orderLineNo: 2,
          sku: 'ITM-1',
          uom: 'EA',
          quantity: '2.500000',
          lotNo: null,
          serialNos: ['S1'],
        },
      ],
    });
  });

  it('refuses a shipment without lines or with a line of no quantity', () => {
    expect(() => toErpShipment(header(), [])).toThrow(UnmappableRecordError);
    expect(() => toErpShipment(header(), [line({ quantity: '0.000000' })])).toThrow(
      UnmappableRecordError,
    );
  });

  it('maps an invoice and refuses a status it does not know', () => {
    expect(toErpInvoice(invoice(), [invoiceLine])).toMatchObject({
      invoiceNo: 'INV700001',
      status: 'OPEN',
      amountIncludingTax: '21.6500',
      lines: [{ orderLineNo: 1, amount: '20.0000', taxAmount: '1.6500' }],
    });
    expect(() => toErpInvoice(invoice({ status: 'VOID' }), [invoiceLine])).toThrow(
      UnmappableRecordError,
    );
  });

  it('accepts only decimal text', () => {
    expect(decimalText('-1.50', 'x')).toBe('-1.50');
    expect(() => decimalText('1e3', 'x')).toThrow(UnmappableRecordError);
    expect(() => decimalText(1.5, 'x')).toThrow(UnmappableRecordError);
  });
});
