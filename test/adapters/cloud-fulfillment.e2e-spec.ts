import { Decimal } from 'decimal.js';
import type { DemoDataset, DemoItem } from '../../src/erp-simulators/demo-data/index.js';
import {
  type ErpInvoice,
  type ErpShipment,
  type ErpShipmentDocument,
  ShipmentPostingUnsupportedError,
  ShipmentRejectedError,
} from '../../src/modules/fulfillment/index.js';
import type { ErpOrderSnapshot, ErpSalesOrderDocument } from '../../src/modules/orders/index.js';
import type { DeltaPage, DeltaReadRequest } from '../../src/platform/delta-sync/index.js';
import {
  type CloudFulfillmentHarness,
  cloudFulfillmentHarness,
} from '../contracts/cloud-fulfillment.harness.js';

/** Orders of stocked items built from the demo dataset (customer in the local currency). */
class Orders {
  private seq = 0;
  private readonly run = Date.now().toString(36).toUpperCase();
  readonly items: DemoItem[];
  readonly customerNo: string;
  readonly currency: string;

  constructor(private readonly dataset: DemoDataset) {
    const base = dataset.company.baseCurrencyCode;
    const customer = dataset.customers.find(
      (c) => c.status === 'ACTIVE' && c.currencyCode === base && c.taxAreaCode !== null,
    );
    if (!customer) throw new Error('the demo dataset has no active local-currency customer');
    this.customerNo = customer.customerNo;
    this.currency = customer.currencyCode;
    // Stocked where the customer's orders ship from: the ERP allocates them.
    const stocked = (sku: string): boolean =>
      dataset.inventoryBalances.some(
        (b) => b.sku === sku && b.warehouseCode === customer.defaultWarehouseCode,
      );
    this.items = dataset.items
      .filter(
        (i) =>
          i.status === 'ACTIVE' &&
          i.fulfillmentType === 'STOCK' &&
          !i.lotControlled &&
          stocked(i.sku),
      )
      .slice(0, 2);
  }

  document(): ErpSalesOrderDocument {
    this.seq += 1;
    const [a, b] = this.items;
    return {
      externalReference: `FF-${this.run}-${this.seq}`,
      customerNo: this.customerNo,
      shipTo: null,
      customerPo: null,
      orderDate: this.dataset.baseDate.slice(0, 10),
      requestedDate: null,
      currency: this.currency,
      warehouseCode: null,
      dropShipSupplierId: null,
      notes: null,
      lines: [
        { lineNo: 1, lineRef: 'L1', sku: a.sku, uom: a.baseUom, quantity: '4', unitPrice: '19.99' },
        {
          lineNo: 2,
          lineRef: 'L2',
          sku: b.sku,
          uom: b.baseUom,
          quantity: '2.5',
          unitPrice: '7.25',
        },
      ],
    };
  }
}

/** Every record of a delta pass from `since` (null = all), page by page. */
async function readAll<T>(
  read: (request: DeltaReadRequest) => Promise<DeltaPage<T>>,
  since: DeltaReadRequest['since'] = null,
  pageSize = 50,
): Promise<{ pages: DeltaPage<T>[]; records: DeltaPage<T>['records'] }> {
  const pages: DeltaPage<T>[] = [];
  let cursor: string | null = null;
  do {
    const page = await read({ since, cursor, pageSize });
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return { pages, records: pages.flatMap((p) => p.records) };
}

const recordOf = <T>(entry: DeltaPage<T>['records'][number]): T => {
  if (!('record' in entry) || entry.record === undefined) {
    throw new Error(`not a record: ${JSON.stringify(entry)}`);
  }
  return entry.record;
};

function lastPosition<T>(records: DeltaPage<T>['records']): DeltaReadRequest['since'] {
  const last = records[records.length - 1];
  return last ? { modifiedAt: last.modifiedAt ?? '', sourceId: last.sourceId } : null;
}

describe('cloud fulfillment adapters against the BC sandbox (with the crossdock fulfillment extension)', () => {
  let h: CloudFulfillmentHarness;
  let orders: Orders;

  beforeAll(async () => {
    h = await cloudFulfillmentHarness();
    orders = new Orders(h.dataset);
  });
  afterAll(async () => {
    await h?.close();
  });

  async function placed(): Promise<{ doc: ErpSalesOrderDocument; number: string }> {
    const doc = orders.document();
    const result = await h.salesOrders.submit(doc);
    return { doc, number: result.erpOrderNumber as string };
  }

  async function shipmentsOf(ref: string): Promise<ErpShipment[]> {
    const { records } = await readAll((r) => h.shipmentFeed.readShipments(r));
    return records.map(recordOf).filter((s) => s.externalReference === ref);
  }

  async function invoicesOf(ref: string): Promise<ErpInvoice[]> {
    const { records } = await readAll((r) => h.invoiceFeed.readInvoices(r));
    return records.map(recordOf).filter((i) => i.externalReference === ref);
  }

  it('delivers an ERP user’s posted shipment with its lines matched by SKU, tracking from the extension page, decimals exact', async () => {
    const { doc, number } = await placed();
    const shipmentNo = await h.erpShip(doc.externalReference, [{ lineNo: 2, quantity: '1.25' }], {
      carrier: 'UPS',
      trackingNumber: '1Z999AA10123456784',
    });
    const [shipment] = await shipmentsOf(doc.externalReference);
    expect(shipment).toEqual({
      shipmentNo,
      erpOrderNumber: number,
      externalReference: doc.externalReference,
      shipDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      warehouseCode: null,
      supplierId: null,
      carrier: 'UPS',
      service: null,
      trackingNumbers: ['1Z999AA10123456784'],
      trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
      hubShipmentId: null,
      lines: [
        {
          lineNo: 20000,
          orderLineNo: null,
          sku: doc.lines[1].sku,
          uom: doc.lines[1].uom,
          quantity: '1.25',
          lotNo: null,
          serialNos: [],
        },
      ],
    });
  });

  it('reads shipments as a delta: since a position only what came after, in pages, and a tracking edit again', async () => {
    const first = await readAll((r) => h.shipmentFeed.readShipments(r));
    const since = lastPosition(first.records);
    const { doc } = await placed();
    const a = await h.erpShip(doc.externalReference, [{ lineNo: 1, quantity: '1' }]);
    const b = await h.erpShip(doc.externalReference, [{ lineNo: 1, quantity: '2' }]);
    const c = await h.erpShip(doc.externalReference, [{ lineNo: 2, quantity: '2.5' }]);
    const delta = await readAll((r) => h.shipmentFeed.readShipments(r), since, 2);
    expect(delta.pages.length).toBeGreaterThanOrEqual(2);
    expect(delta.records.map((r) => recordOf(r).shipmentNo)).toEqual([a, b, c]);
    expect(delta.pages.every((p) => p.degraded === undefined)).toBe(true);

    // "Update Document" on a posted shipment: the same record comes round with its tracking.
    const after = lastPosition(delta.records);
    const row = h.sandbox.store.tables.salesShipments.find((s) => s.number === a);
    h.sandbox.store.posting.setTracking(row?.id as string, {
      shippingAgentCode: 'FEDEX',
      packageTrackingNos: '7946,7947',
    });
    const again = await readAll((r) => h.shipmentFeed.readShipments(r), after);
    expect(again.records.map((r) => recordOf(r))).toEqual([
      expect.objectContaining({
        shipmentNo: a,
        carrier: 'FEDEX',
        trackingNumbers: ['7946', '7947'],
      }),
    ]);
  });

  it('maps invoices: status, totals and remaining amount exact, the local currency for BC’s blank code', async () => {
    const { doc, number } = await placed();
    await h.erpShip(doc.externalReference, [
      { lineNo: 1, quantity: '4' },
      { lineNo: 2, quantity: '1' },
    ]);
    const invoiceNo = await h.erpInvoice(doc.externalReference);
    const stored = h.sandbox.store.tables.salesInvoices.find((i) => i.number === invoiceNo)?.data;
    expect(stored?.currencyCode).toBe(orders.currency);
    const [invoice] = await invoicesOf(doc.externalReference);
    expect(invoice).toMatchObject({
      invoiceNo,
      erpOrderNumber: number,
      externalReference: doc.externalReference,
      currency: h.dataset.company.baseCurrencyCode,
      status: 'OPEN',
      amountExcludingTax: stored?.totalAmountExcludingTax,
      taxAmount: stored?.totalTaxAmount,
      amountIncludingTax: stored?.totalAmountIncludingTax,
      remainingAmount: stored?.totalAmountIncludingTax,
    });
    expect(invoice.lines).toEqual([
      expect.objectContaining({
        lineNo: 10000,
        orderLineNo: null,
        sku: doc.lines[0].sku,
        quantity: '4',
        unitPrice: '19.99',
        amount: '79.96',
      }),
      expect.objectContaining({
        lineNo: 20000,
        orderLineNo: null,
        sku: doc.lines[1].sku,
        quantity: '1',
        unitPrice: '7.25',
        amount: '7.25',
      }),
    ]);

    for (const [bcStatus, hubStatus] of [
      ['Paid', 'PAID'],
      ['Canceled', 'CANCELLED'],
      ['Corrective', 'CANCELLED'],
      ['In Review', 'DRAFT'],
    ] as const) {
      h.sandbox.store.mutate('salesInvoices', invoiceId(invoiceNo), { status: bcStatus });
      expect((await invoicesOf(doc.externalReference))[0].status).toBe(hubStatus);
    }
  });

  function invoiceId(number: string): string {
    const row = h.sandbox.store.tables.salesInvoices.sorted().find((i) => i.data.number === number);
    if (!row) throw new Error(`no invoice ${number}`);
    return row.id;
  }

  it('shipAndInvoice ships and invoices everything open; BC then deletes the completed order', async () => {
    const { doc } = await placed();
    const id = h.sandbox.store.tables.salesOrders.find(
      (o) => o.externalDocumentNumber === doc.externalReference,
    )?.id as string;
    const res = await h.connection.client?.request({
      method: 'POST',
      path: `${await h.connection.companyPath('standard')}/salesOrders(${id})/Microsoft.NAV.shipAndInvoice`,
      retrySafe: false,
    });
    expect(res?.status).toBe(204);
    const [shipment] = await shipmentsOf(doc.externalReference);
    expect(shipment.lines.map((l) => [l.sku, l.quantity])).toEqual([
      [doc.lines[0].sku, '4'],
      [doc.lines[1].sku, '2.5'],
    ]);
    expect(await invoicesOf(doc.externalReference)).toHaveLength(1);
    const [snapshot] = await h.orderChanges.lookUp([doc.externalReference]);
    expect(snapshot.state).toBe('NOT_FOUND');
  });

  it('posts a WMS shipment exactly once, also when the answer is lost, and the feed marks it as the hub’s', async () => {
    const { doc, number } = await placed();
    const shipment: ErpShipmentDocument = {
      shipmentReference: `SHP-${doc.externalReference}`,
      externalReference: doc.externalReference,
      erpOrderNumber: number,
      shipDate: '2026-12-01',
      carrier: 'dhl',
      service: 'express',
      trackingNumbers: ['JD0001', 'JD0002'],
      trackingUrl: null,
      lines: [
        {
          orderLineNo: 1,
          sku: doc.lines[0].sku,
          uom: doc.lines[0].uom,
          quantity: '3',
          lotNo: null,
          serialNos: [],
        },
      ],
    };
    expect(await h.shipmentGateway.status(shipment.shipmentReference)).toMatchObject({
      state: 'NOT_FOUND',
    });
    const posted = await h.shipmentGateway.post(shipment);
    expect(posted).toMatchObject({ state: 'POSTED', created: true, errors: [] });
    expect(await h.shipmentGateway.post(shipment)).toEqual({ ...posted, created: false });
    expect(await h.shipmentGateway.status(shipment.shipmentReference)).toEqual({
      ...posted,
      created: false,
    });
    expect(await h.erpShipmentsFor(shipment.shipmentReference)).toEqual([
      {
        shipmentNo: posted.erpShipmentNo,
        erpOrderNumber: number,
        lines: [{ sku: doc.lines[0].sku, quantity: '3' }],
      },
    ]);

    const [fromFeed] = await shipmentsOf(doc.externalReference);
    expect(fromFeed).toMatchObject({
      shipmentNo: posted.erpShipmentNo,
      shipDate: '2026-12-01',
      carrier: 'DHL',
      service: 'EXPRESS',
      trackingNumbers: ['JD0001', 'JD0002'],
      hubShipmentId: shipment.shipmentReference,
    });

    const lost = {
      ...shipment,
      shipmentReference: `${shipment.shipmentReference}-2`,
      lines: [{ ...shipment.lines[0], quantity: '1' }],
    };
    await h.postLosingTheAnswer(lost);
    expect(h.sandbox.stats.commitThenDrop).toBeGreaterThan(0);
    expect(await h.shipmentGateway.post(lost)).toMatchObject({ state: 'POSTED', created: false });
    expect(await h.erpShipmentsFor(lost.shipmentReference)).toHaveLength(1);
  });

  it('posts once when two hub instances post the same shipment at the same time', async () => {
    const { doc, number } = await placed();
    const shipment: ErpShipmentDocument = {
      shipmentReference: `RACE-${doc.externalReference}`,
      externalReference: doc.externalReference,
      erpOrderNumber: number,
      shipDate: '2026-12-02',
      carrier: null,
      service: null,
      trackingNumbers: [],
      trackingUrl: null,
      lines: [
        {
          orderLineNo: 2,
          sku: doc.lines[1].sku,
          uom: doc.lines[1].uom,
          quantity: '1',
          lotNo: null,
          serialNos: [],
        },
      ],
    };
    const results = await Promise.all([
      h.shipmentGateway.post(shipment),
      h.shipmentGateway.post(shipment),
    ]);
    expect(results.map((r) => r.state)).toEqual(['POSTED', 'POSTED']);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.erpShipmentNo)).size).toBe(1);
    expect(await h.erpShipmentsFor(shipment.shipmentReference)).toHaveLength(1);
  });

  it('refuses a shipment BC cannot post as rejected: more than is open, an unknown order', async () => {
    const { doc, number } = await placed();
    const base: ErpShipmentDocument = {
      shipmentReference: `OVER-${doc.externalReference}`,
      externalReference: doc.externalReference,
      erpOrderNumber: number,
      shipDate: '2026-12-01',
      carrier: null,
      service: null,
      trackingNumbers: [],
      trackingUrl: null,
      lines: [
        {
          orderLineNo: 1,
          sku: doc.lines[0].sku,
          uom: doc.lines[0].uom,
          quantity: '5',
          lotNo: null,
          serialNos: [],
        },
      ],
    };
    await expect(h.shipmentGateway.post(base)).rejects.toBeInstanceOf(ShipmentRejectedError);
    await expect(
      h.shipmentGateway.post({
        ...base,
        shipmentReference: `NOORD-${doc.externalReference}`,
        externalReference: 'NO-SUCH-ORDER',
        erpOrderNumber: 'SO-0',
      }),
    ).rejects.toBeInstanceOf(ShipmentRejectedError);
    expect(await h.erpShipmentsFor(base.shipmentReference)).toEqual([]);
    // Nothing was posted: the order still has everything open.
    const [snapshot] = await h.orderChanges.lookUp([doc.externalReference]);
    expect(snapshot.lines.map((l) => l.shippedQuantity)).toEqual(['0', '0']);
  });

  it('reads ERP-side order changes: the hub’s orders only, line numbers from sequences, quantity edits, CLOSED when shipped', async () => {
    const before = await readAll((r) => h.orderChanges.readChanges(r));
    const since = lastPosition(before.records);
    const { doc, number } = await placed();
    // An order the hub did not create (no external document number) is none of its business.
    h.sandbox.store.createSalesOrder({ customerNumber: orders.customerNo });
    const first = await readAll((r) => h.orderChanges.readChanges(r), since);
    expect(first.records.map((r) => recordOf(r))).toEqual([
      {
        externalReference: doc.externalReference,
        erpOrderNumber: number,
        state: 'OPEN',
        lines: [
          {
            lineNo: 1,
            sku: doc.lines[0].sku,
            uom: doc.lines[0].uom,
            quantity: '4',
            shippedQuantity: '0',
          },
          {
            lineNo: 2,
            sku: doc.lines[1].sku,
            uom: doc.lines[1].uom,
            quantity: '2.5',
            shippedQuantity: '0',
          },
        ],
        modifiedAt: expect.any(String),
        changedBy: null,
      },
    ]);

    await h.erpSetLineQuantity(doc.externalReference, 2, '1.75');
    const edited = await readAll((r) => h.orderChanges.readChanges(r), lastPosition(first.records));
    expect(edited.records.map((r) => recordOf(r).lines[1].quantity)).toEqual(['1.75']);

    await h.erpShip(doc.externalReference, [
      { lineNo: 1, quantity: '4' },
      { lineNo: 2, quantity: '1.75' },
    ]);
    const shipped = await readAll(
      (r) => h.orderChanges.readChanges(r),
      lastPosition(edited.records),
    );
    const snapshot = recordOf(shipped.records[0]);
    expect(snapshot.state).toBe('CLOSED');
    expect(snapshot.lines.map((l) => l.shippedQuantity)).toEqual(['4', '1.75']);
  });

  it('looks orders up by external reference in batches, NOT_FOUND for a cancelled (deleted) one', async () => {
    const placedOrders = await Promise.all([placed(), placed(), placed()]);
    const refs = placedOrders.map((p) => p.doc.externalReference);
    await h.erpCancelOrder(refs[1]);
    const many = [...refs, ...Array.from({ length: 40 }, (_, i) => `UNKNOWN-${i}`)];
    const snapshots: ErpOrderSnapshot[] = await h.orderChanges.lookUp(many);
    expect(snapshots.map((s) => [s.externalReference, s.state])).toEqual(
      many.map((ref) => [ref, ref === refs[0] || ref === refs[2] ? 'OPEN' : 'NOT_FOUND']),
    );
    expect(snapshots[0].erpOrderNumber).toBe(placedOrders[0].number);
  });

  it('serves shipments as BC does: GET only, lines nested by sequence; the admin routes post as an ERP user', async () => {
    const { number } = await placed();
    const admin = (path: string, body: unknown) =>
      fetch(`${h.sandbox.url}/admin/sales/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect(
      (await admin('line-quantity', { orderNumber: number, sequence: 10000, quantity: '3' }))
        .status,
    ).toBe(204);
    const shipped = await admin('ship', {
      orderNumber: number,
      lines: [
        { sequence: 20000, quantity: '0.5' },
        { sequence: 10000, quantity: '3' },
      ],
    });
    expect(shipped.status).toBe(201);
    const shipment = (await shipped.json()) as { id: string; number: string; orderNumber: string };
    expect(shipment.orderNumber).toBe(number);
    expect(shipment).not.toHaveProperty('orderId');
    expect((await admin('invoice', { orderNumber: number })).status).toBe(201);

    const client = h.connection.client;
    const company = await h.connection.companyPath('standard');
    const lines = await client?.request<{ value: { sequence: number; quantity: string }[] }>({
      method: 'GET',
      path: `${company}/salesShipments(${shipment.id})/salesShipmentLines`,
    });
    expect(lines?.body.value.map((l) => [l.sequence, String(l.quantity)])).toEqual([
      [10000, '3'],
      [20000, '0.5'],
    ]);
    await expect(
      client?.request({
        method: 'POST',
        path: `${company}/salesShipments`,
        body: {},
        maxAttempts: 1,
      }),
    ).rejects.toMatchObject({ status: 405 });
  });

  it('keeps stock right: a shipment takes on-hand and the allocation down', async () => {
    const { doc } = await placed();
    const sku = doc.lines[0].sku;
    const total = (field: 'onHand' | 'allocated') =>
      h.sandbox.store.tables.balances
        .sorted()
        .filter((b) => b.data.sku === sku)
        .reduce((sum, b) => sum.plus(b.data[field]), new Decimal(0));
    const onHand = total('onHand');
    const allocated = total('allocated');
    await h.erpShip(doc.externalReference, [{ lineNo: 1, quantity: '3' }]);
    const factor =
      h.dataset.items.find((i) => i.sku === sku)?.uoms.find((u) => u.uomCode === doc.lines[0].uom)
        ?.factor ?? '1';
    expect(allocated.greaterThan(0)).toBe(true);
    expect(total('onHand').toString()).toBe(onHand.minus(new Decimal(3).mul(factor)).toString());
    expect(total('allocated').toString()).toBe(
      allocated.minus(new Decimal(3).mul(factor)).toString(),
    );
  });
});

describe('cloud fulfillment adapters against standard BC (no fulfillment extension)', () => {
  let h: CloudFulfillmentHarness;
  let orders: Orders;

  beforeAll(async () => {
    h = await cloudFulfillmentHarness({ fulfillmentPages: false });
    orders = new Orders(h.dataset);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('delivers shipments without tracking and says the sync is degraded', async () => {
    const doc = orders.document();
    await h.salesOrders.submit(doc);
    await h.erpShip(doc.externalReference, [{ lineNo: 1, quantity: '1' }], {
      carrier: 'UPS',
      trackingNumber: '1Z1',
    });
    const { pages, records } = await readAll((r) => h.shipmentFeed.readShipments(r));
    const shipment = records
      .map(recordOf)
      .find((s) => s.externalReference === doc.externalReference);
    expect(shipment).toMatchObject({
      carrier: null,
      trackingNumbers: [],
      trackingUrl: null,
      hubShipmentId: null,
    });
    expect(pages[0].degraded).toEqual([expect.stringMatching(/^shipmentTrackings: /)]);
    expect((await h.connection.healthCheck()).details).toMatchObject({ degraded: true });
  });

  it('cannot post a WMS shipment: ShipmentPostingUnsupportedError, nothing posted', async () => {
    const doc = orders.document();
    const result = await h.salesOrders.submit(doc);
    const shipment: ErpShipmentDocument = {
      shipmentReference: `SHP-${doc.externalReference}`,
      externalReference: doc.externalReference,
      erpOrderNumber: result.erpOrderNumber as string,
      shipDate: '2026-12-01',
      carrier: null,
      service: null,
      trackingNumbers: [],
      trackingUrl: null,
      lines: [
        {
          orderLineNo: 1,
          sku: doc.lines[0].sku,
          uom: doc.lines[0].uom,
          quantity: '1',
          lotNo: null,
          serialNos: [],
        },
      ],
    };
    await expect(h.shipmentGateway.post(shipment)).rejects.toBeInstanceOf(
      ShipmentPostingUnsupportedError,
    );
    await expect(h.shipmentGateway.status(shipment.shipmentReference)).rejects.toBeInstanceOf(
      ShipmentPostingUnsupportedError,
    );
    expect(await h.erpShipmentsFor(shipment.shipmentReference)).toEqual([]);
  });
});
