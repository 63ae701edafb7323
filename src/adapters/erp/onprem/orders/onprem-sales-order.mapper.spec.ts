import type { ErpSalesOrderDocument } from '../../../../modules/orders/index.js';
import {
  IMPORT_HEADER_COLUMNS,
  importHeaderValues,
  importLineColumns,
  importStatus,
  type ImportStateRow,
  splitErrorText,
  WITHDRAWN_IMPORT_TEXT,
} from './onprem-sales-order.mapper.js';

const row = (overrides: Partial<ImportStateRow>): ImportStateRow => ({
  import_id: '7',
  status: 'NEW',
  error_text: null,
  erp_order_no: null,
  order_status: null,
  ...overrides,
});

const document: ErpSalesOrderDocument = {
  externalReference: 'ORD-1',
  customerNo: 'C10001',
  shipTo: {
    kind: 'address',
    name: 'Site office',
    addressLine1: '1 Harbour Road',
    addressLine2: null,
    city: 'Portside',
    region: 'WA',
    postalCode: '98001',
    country: 'US',
  },
  customerPo: 'PO-1',
  orderDate: '2025-01-06',
  requestedDate: null,
  currency: 'USD',
  warehouseCode: 'EAST',
  dropShipSupplierId: null,
  notes: 'leave at the gate',
  lines: [
    { lineNo: 1, lineRef: 'L1', sku: 'SKU-1', uom: 'CS', quantity: '2', unitPrice: '41.5000' },
  ],
};

describe('on-prem sales-order mapping', () => {
  describe(importStatus.name, () => {
    it('reads a reference never staged as NOT_FOUND', () => {
      expect(importStatus('R', undefined)).toEqual({
        externalReference: 'R',
        state: 'NOT_FOUND',
        erpOrderNumber: null,
        errors: [],
      });
    });

    it('reads NEW and PROCESSING imports as PENDING', () => {
      expect(importStatus('R', row({ status: 'NEW' })).state).toBe('PENDING');
      expect(importStatus('R', row({ status: 'PROCESSING' })).state).toBe('PENDING');
    });

    it('reads an imported order as CREATED with its number, or CANCELLED once cancelled', () => {
      const imported = row({ status: 'IMPORTED', erp_order_no: 'SO100001', order_status: 'OPEN' });
      expect(importStatus('R', imported)).toMatchObject({
        state: 'CREATED',
        erpOrderNumber: 'SO100001',
      });
      expect(importStatus('R', { ...imported, order_status: 'CANCELLED' })).toMatchObject({
        state: 'CANCELLED',
        erpOrderNumber: 'SO100001',
      });
    });

    it("reads an ERROR import as REJECTED with each of the ERP's reasons", () => {
      const error = row({
        status: 'ERROR',
        error_text: 'Customer C9 does not exist; Line 1: item NOPE does not exist',
      });
      expect(importStatus('R', error)).toMatchObject({
        state: 'REJECTED',
        errors: ['Customer C9 does not exist', 'Line 1: item NOPE does not exist'],
      });
    });

    it('reads an import the hub withdrew as CANCELLED', () => {
      const withdrawn = row({ status: 'ERROR', error_text: WITHDRAWN_IMPORT_TEXT });
      expect(importStatus('R', withdrawn)).toMatchObject({ state: 'CANCELLED', errors: [] });
    });
  });

  it('splits nothing out of an empty error text', () => {
    expect(splitErrorText(null)).toEqual([]);
    expect(splitErrorText('')).toEqual([]);
  });

  it('stages a one-time address in the ship_to columns, and no ship-to code', () => {
    const values = Object.fromEntries(
      IMPORT_HEADER_COLUMNS.map((column, i) => [column, importHeaderValues(document)[i]]),
    );
    expect(values).toMatchObject({
      external_reference: 'ORD-1',
      source_system: 'CROSSDOCK',
      ship_to_code: null,
      ship_to_name: 'Site office',
      ship_to_city: 'Portside',
      ship_to_state: 'WA',
      ship_to_country_code: 'US',
      customer_po: 'PO-1',
      currency_code: 'USD',
      warehouse_code: 'EAST',
      comments: 'leave at the gate',
    });
  });

  it('stages a ship-to code without address columns', () => {
    const values = importHeaderValues({ ...document, shipTo: { kind: 'code', code: 'ST02' } });
    expect(values[IMPORT_HEADER_COLUMNS.indexOf('ship_to_code')]).toBe('ST02');
    expect(values[IMPORT_HEADER_COLUMNS.indexOf('ship_to_address_line1')]).toBeNull();
  });

  it("stages lines with the document's warehouse and the channel's line reference", () => {
    expect(importLineColumns(document)).toEqual([
      [1],
      ['SKU-1'],
      ['CS'],
      ['2'],
      ['41.5000'],
      ['EAST'],
      ['L1'],
    ]);
  });
});
