import type { ErpSalesOrderDocument } from '../../../../modules/orders/index.js';
import { ErpHttpError, ErpTransportError } from '../http/index.js';
import {
  bcRejection,
  odataString,
  salesOrderBody,
  shipToFromDocument,
} from './cloud-sales-order.mapper.js';

const document: ErpSalesOrderDocument = {
  externalReference: 'ORD-1',
  customerNo: 'C10001',
  shipTo: null,
  customerPo: 'PO-1',
  orderDate: '2025-01-06',
  requestedDate: '2025-01-10',
  currency: 'USD',
  warehouseCode: 'EAST',
  dropShipSupplierId: null,
  notes: null,
  lines: [
    { lineNo: 1, lineRef: 'L1', sku: 'SKU-1', uom: 'CS', quantity: '2', unitPrice: '41.5000' },
    { lineNo: 2, lineRef: 'L2', sku: 'SKU-2', uom: 'EA', quantity: '3.5', unitPrice: '7.2500' },
  ],
};

describe('cloud sales-order mapping', () => {
  it('escapes quotes in OData string literals', () => {
    expect(odataString("O'Brien's")).toBe("'O''Brien''s'");
  });

  describe(salesOrderBody.name, () => {
    it('deep-inserts item lines with decimal strings, BC sequences and the location', () => {
      const body = salesOrderBody(document, {
        localCurrency: 'USD',
        locationId: 'loc-guid',
        shipTo: null,
      });
      expect(body).toEqual({
        customerNumber: 'C10001',
        externalDocumentNumber: 'ORD-1',
        orderDate: '2025-01-06',
        requestedDeliveryDate: '2025-01-10',
        salesOrderLines: [
          {
            sequence: 10000,
            lineType: 'Item',
            lineObjectNumber: 'SKU-1',
            unitOfMeasureCode: 'CS',
            quantity: '2',
            unitPrice: '41.5000',
            locationId: 'loc-guid',
          },
          {
            sequence: 20000,
            lineType: 'Item',
            lineObjectNumber: 'SKU-2',
            unitOfMeasureCode: 'EA',
            quantity: '3.5',
            unitPrice: '7.2500',
            locationId: 'loc-guid',
          },
        ],
      });
    });

    it('names a foreign currency, leaves the local one blank, and sends no location for drop-ship', () => {
      const body = salesOrderBody(
        { ...document, currency: 'CAD', requestedDate: null },
        { localCurrency: 'USD', locationId: null, shipTo: null },
      );
      expect(body.currencyCode).toBe('CAD');
      expect(body).not.toHaveProperty('requestedDeliveryDate');
      expect((body.salesOrderLines as object[])[0]).not.toHaveProperty('locationId');
    });
  });

  it('writes a one-time address in BC ship-to fields, blanks for nulls', () => {
    expect(
      shipToFromDocument({
        ...document,
        shipTo: {
          kind: 'address',
          name: 'Site office',
          addressLine1: '1 Harbour Road',
          addressLine2: null,
          city: 'Portside',
          region: null,
          postalCode: '98001',
          country: 'US',
        },
      }),
    ).toEqual({
      shipToName: 'Site office',
      shipToAddressLine1: '1 Harbour Road',
      shipToAddressLine2: '',
      shipToCity: 'Portside',
      shipToState: '',
      shipToPostCode: '98001',
      shipToCountry: 'US',
    });
    expect(shipToFromDocument({ ...document, shipTo: { kind: 'code', code: 'ST01' } })).toBeNull();
  });

  describe(bcRejection.name, () => {
    it("keeps BC's code and message of a 400, without the correlation id", () => {
      const error = new ErpHttpError(
        400,
        'Internal_InvalidTableRelation',
        'POST /api/v2.0/companies(x)/salesOrders → 400: The field No. of table Sales Line contains a value (NOPE) that cannot be found in the related table (Item).  CorrelationId:  1234.',
      );
      expect(bcRejection(error)).toBe(
        'Internal_InvalidTableRelation: The field No. of table Sales Line contains a value (NOPE) that cannot be found in the related table (Item).',
      );
    });

    it('leaves throttling, server errors, configuration errors and lost answers transient', () => {
      expect(bcRejection(new ErpHttpError(429, 'Application_TooManyRequests', 'x'))).toBeNull();
      expect(bcRejection(new ErpHttpError(503, 'Internal_ServiceUnavailable', 'x'))).toBeNull();
      expect(
        bcRejection(new ErpHttpError(401, 'Authentication_InvalidCredentials', 'x')),
      ).toBeNull();
      expect(bcRejection(new ErpHttpError(404, 'Internal_CompanyNotFound', 'x'))).toBeNull();
      expect(bcRejection(new ErpTransportError('POST: UND_ERR_SOCKET', false))).toBeNull();
    });
  });
});
