import { UnmappableRecordError } from '../../shared/canonical-fields.js';
import { parseBcJson } from '../bc-values.js';
import type { BcRow } from '../cloud-erp.connection.js';
import { CloudFulfillmentMapper } from './cloud-fulfillment.mapper.js';
import { confirmationBody } from './cloud-shipment.gateway.js';

/** BC's JSON as it arrives: decimals as numbers, parsed losslessly as the HTTP client does. */
const bc = (json: string): BcRow => parseBcJson(json) as BcRow;

const shipmentHeader = bc(`{
  "id": "5e1a", "number": "102001", "orderNumber": "SO-100001",
  "externalDocumentNumber": "WEB-1001-S1", "postingDate": "2026-12-03",
  "lastModifiedDateTime": "2026-12-03T10:00:00Z"
}`);

const shipmentLines = [
  bc(`{ "id": "l1", "sequence": 10000, "lineType": "Item", "lineObjectNumber": "SKU-1",
        "unitOfMeasureCode": "CS", "quantity": 1.250 }`),
  bc(`{ "id": "l2", "sequence": 20000, "lineType": "Item", "lineObjectNumber": "SKU-2",
        "unitOfMeasureCode": "EA", "quantity": 0 }`),
  bc(`{ "id": "l3", "sequence": 30000, "lineType": "G/L Account", "lineObjectNumber": "6100",
        "unitOfMeasureCode": "", "quantity": 1 }`),
];

describe('CloudFulfillmentMapper', () => {
  describe('shipment', () => {
    it('maps item lines by SKU with no order-line link, quantities exact, unshipped and non-item lines left out', () => {
      const shipment = CloudFulfillmentMapper.shipment(shipmentHeader, shipmentLines, null);
      expect(shipment).toMatchObject({
        shipmentNo: '102001',
        erpOrderNumber: 'SO-100001',
        externalReference: 'WEB-1001-S1',
        shipDate: '2026-12-03',
        carrier: null,
        trackingNumbers: [],
        hubShipmentId: null,
      });
      expect(shipment.lines).toEqual([
        {
          lineNo: 10000,
          orderLineNo: null,
          sku: 'SKU-1',
          uom: 'CS',
          quantity: '1.250',
          lotNo: null,
          serialNos: [],
        },
      ]);
    });

    it('takes tracking from the extension page: the list first, else BC’s one number', () => {
      const withList = CloudFulfillmentMapper.shipment(shipmentHeader, shipmentLines, {
        shippingAgentCode: 'FEDEX',
        shippingAgentServiceCode: '',
        packageTrackingNo: 'A1',
        packageTrackingNos: 'A1, A2,,A2',
        trackingUrl: '',
        hubShipmentReference: 'SHP-7',
      });
      expect(withList).toMatchObject({
        carrier: 'FEDEX',
        service: null,
        trackingNumbers: ['A1', 'A2'],
        trackingUrl: null,
        hubShipmentId: 'SHP-7',
      });
      const single = CloudFulfillmentMapper.shipment(shipmentHeader, shipmentLines, {
        packageTrackingNo: 'Z9',
        packageTrackingNos: '',
      });
      expect(single.trackingNumbers).toEqual(['Z9']);
    });

    it('refuses a shipment without a shipped item line or with a blank posting date', () => {
      expect(() =>
        CloudFulfillmentMapper.shipment(shipmentHeader, shipmentLines.slice(1), null),
      ).toThrow(UnmappableRecordError);
      expect(() =>
        CloudFulfillmentMapper.shipment(
          { ...shipmentHeader, postingDate: '0001-01-01' },
          shipmentLines,
          null,
        ),
      ).toThrow(UnmappableRecordError);
    });
  });

  describe('invoice', () => {
    const header = bc(`{
      "id": "9f0c", "number": "103001", "orderNumber": "SO-100001",
      "externalDocumentNumber": "WEB-1001-S1", "invoiceDate": "2026-12-04",
      "dueDate": "0001-01-01", "currencyCode": "", "status": "Open",
      "totalAmountExcludingTax": 86.21, "totalTaxAmount": 7.11,
      "totalAmountIncludingTax": 93.32, "remainingAmount": 93.32
    }`);
    const lines = [
      bc(`{ "sequence": 10000, "lineType": "Item", "lineObjectNumber": "SKU-1",
            "unitOfMeasureCode": "CS", "quantity": 4, "unitPrice": 19.99,
            "amountExcludingTax": 79.96, "totalTaxAmount": 6.60 }`),
    ];

    it('maps totals exactly and BC’s blank currency to the local currency', () => {
      expect(CloudFulfillmentMapper.invoice(header, lines, 'USD')).toEqual({
        invoiceNo: '103001',
        erpOrderNumber: 'SO-100001',
        externalReference: 'WEB-1001-S1',
        invoiceDate: '2026-12-04',
        dueDate: null,
        currency: 'USD',
        amountExcludingTax: '86.21',
        taxAmount: '7.11',
        amountIncludingTax: '93.32',
        remainingAmount: '93.32',
        status: 'OPEN',
        lines: [
          {
            lineNo: 10000,
            orderLineNo: null,
            sku: 'SKU-1',
            uom: 'CS',
            quantity: '4',
            unitPrice: '19.99',
            amount: '79.96',
            taxAmount: '6.60',
          },
        ],
      });
      expect(
        CloudFulfillmentMapper.invoice({ ...header, currencyCode: 'CAD' }, lines, 'USD').currency,
      ).toBe('CAD');
    });

    it.each([
      ['Draft', 'DRAFT'],
      ['In Review', 'DRAFT'],
      [' ', 'DRAFT'],
      ['Open', 'OPEN'],
      ['Paid', 'PAID'],
      ['Canceled', 'CANCELLED'],
      ['Corrective', 'CANCELLED'],
    ])('maps BC status %j to %s', (bcStatus, hubStatus) => {
      expect(
        CloudFulfillmentMapper.invoice({ ...header, status: bcStatus }, lines, 'USD').status,
      ).toBe(hubStatus);
    });

    it('reports an invoice status it does not know as unmappable', () => {
      expect(() =>
        CloudFulfillmentMapper.invoice({ ...header, status: 'Posted?' }, lines, 'USD'),
      ).toThrow(UnmappableRecordError);
    });
  });
});

describe(confirmationBody.name, () => {
  it('names order lines by BC sequence and fits carrier codes and tracking into BC’s fields', () => {
    expect(
      confirmationBody({
        shipmentReference: 'SHP-1',
        externalReference: 'WEB-1001-S1',
        erpOrderNumber: 'SO-100001',
        shipDate: '2026-12-03',
        carrier: 'FedEx Ground Economy',
        service: null,
        trackingNumbers: [' 7946 ', '7947'],
        trackingUrl: null,
        lines: [
          { orderLineNo: 2, sku: 'SKU-2', uom: 'EA', quantity: '1.5', lotNo: null, serialNos: [] },
        ],
      }),
    ).toEqual({
      hubShipmentReference: 'SHP-1',
      externalDocumentNumber: 'WEB-1001-S1',
      orderNumber: 'SO-100001',
      shipmentDate: '2026-12-03',
      shippingAgentCode: 'FEDEXGROUN',
      shippingAgentServiceCode: '',
      packageTrackingNo: '7946',
      packageTrackingNos: '7946,7947',
      trackingUrl: '',
      lines: [{ sequence: 20000, quantity: '1.5' }],
    });
  });
});
