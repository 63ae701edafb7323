import { Decimal } from 'decimal.js';
import type { DemoItem } from '../../src/erp-simulators/demo-data/index.js';
import type { TestApp } from '../support/test-app.js';
import {
  availability,
  nextRef,
  orderChannel,
  quotedPrice,
  submitOrder,
  syncEverything,
  waitForStatus,
} from '../orders/orders-test-support.js';
import {
  cloudFulfillmentErp,
  confirmShipment,
  type FulfillmentErp,
  fulfillmentChannel,
  getJson,
  onPremFulfillmentErp,
  opsChannel,
  type ShipmentBody,
  syncFulfillment,
  syncOrderChanges,
  waitFor,
} from './fulfillment-test-support.js';

interface OrderLineBody {
  lineNo: number;
  sku: string;
  quantity: string;
  uom: string;
  shippedQuantity: string;
  cancelledQuantity: string;
  invoicedQuantity: string;
  openQuantity: string;
  warehouse: string | null;
}
interface OrderView {
  id: string;
  orderNumber: string;
  status: string;
  lines: OrderLineBody[];
  segments: {
    segmentNo: number;
    kind: string;
    externalReference: string;
    erpOrderNumber: string;
  }[];
  shipments: { shipmentNumber: string; source: string; trackingNumbers: string[] }[];
  invoices: { invoiceNumber: string; status: string }[];
}
interface HistoryBody {
  items: {
    status: string;
    source: string;
    actor: string | null;
    detail: Record<string, unknown>;
  }[];
}

/**
 * The back-flow end to end, through each ERP adapter: an order split over a warehouse and a
 * drop-ship supplier is partly shipped by the WMS (two shipments with tracking), the supplier
 * ships its part, the ERP invoices; the channel sees each step with the right line quantities,
 * and the ERP holds each WMS/supplier shipment exactly once.
 */
describe.each([
  ['on-prem ERP database', onPremFulfillmentErp],
  ['cloud sandbox', cloudFulfillmentErp],
] as const)('Fulfillment back-flow (%s)', (_name, startErp) => {
  let erp: FulfillmentErp;
  let hub: TestApp;
  let shop: Record<string, string>;
  let wms: Record<string, string>;
  let supplier: Record<string, string>;
  let ops: Record<string, string>;
  let customerNo: string;
  let stocked: DemoItem;
  let dropShip: DemoItem;

  beforeAll(async () => {
    erp = await startErp();
    hub = erp.hub;
    await syncEverything(hub);
    shop = await orderChannel(hub);
    wms = await fulfillmentChannel(hub, 'wms');
    supplier = await fulfillmentChannel(hub, 'supplier');
    ops = await opsChannel(hub);
    // A customer who can order, a stocked item with stock, a priced drop-ship item.
    for (const customer of erp.demo.goodCustomers()) {
      const s = await pickItem(customer.customerNo, 'STOCK');
      const d = s && (await pickItem(customer.customerNo, 'DROP_SHIP'));
      if (s && d) {
        customerNo = customer.customerNo;
        stocked = s;
        dropShip = d;
        break;
      }
    }
    if (!customerNo) throw new Error('no customer with a stocked and a drop-ship item to order');
  }, 300_000);

  afterAll(async () => {
    await erp?.close();
  });

  async function pickItem(customer: string, kind: 'STOCK' | 'DROP_SHIP'): Promise<DemoItem | null> {
    for (const item of erp.demo.items(
      (i) =>
        i.status === 'ACTIVE' &&
        i.fulfillmentType === kind &&
        !i.lotControlled &&
        i.substitutes.length === 0 &&
        (kind === 'STOCK' || i.supplierNo !== null),
    )) {
      if ((await quotedPrice(hub, shop, customer, item.sku, '5', item.baseUom)) === null) continue;
      if (kind === 'STOCK') {
        const atp = await availability(hub, shop, item.sku);
        if (![...atp.values()].some((q) => q >= 20)) continue;
      }
      return item;
    }
    return null;
  }

  async function postedOrder(stockQty: string, dropQty: string): Promise<OrderView> {
    const { status, body } = await submitOrder(hub, shop, {
      channelOrderRef: nextRef('FUL'),
      customerId: customerNo,
      lines: [
        { lineRef: 'a', sku: stocked.sku, quantity: stockQty, uom: stocked.baseUom },
        { lineRef: 'b', sku: dropShip.sku, quantity: dropQty, uom: dropShip.baseUom },
      ],
    });
    expect([status, body.status]).toEqual([201, 'ACCEPTED']);
    await waitForStatus(hub, shop, body.id, ['POSTED'], 60_000);
    return order(body.id);
  }

  async function order(id: string): Promise<OrderView> {
    const { status, body } = await getJson<OrderView>(hub, shop, `/v1/orders/${id}`);
    expect(status).toBe(200);
    return body;
  }

  const line = (o: OrderView, lineNo: number) => {
    const found = o.lines.find((l) => l.lineNo === lineNo);
    if (!found) throw new Error(`no line ${lineNo}`);
    return found;
  };

  it('follows WMS, supplier and ERP through partial shipments to the invoice, each step visible to the channel', async () => {
    const placed = await postedOrder('5', '2');
    const warehouse = placed.segments.find((s) => s.kind === 'STOCK');
    const supplierSegment = placed.segments.find((s) => s.kind === 'DROP_SHIP');
    if (!warehouse || !supplierSegment) throw new Error('the order did not split in two segments');

    // The WMS ships 2 of 5, then the other 3: two shipments with tracking.
    const first = await confirmShipment(hub, wms, {
      sourceDocumentId: nextRef('WMS'),
      order: warehouse.externalReference,
      shipDate: '2026-12-07',
      carrier: 'UPS',
      trackingNumbers: ['1Z0000000000000001'],
      lines: [{ lineNo: 1, sku: stocked.sku, quantity: '2' }],
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ source: 'wms', erpPosting: 'QUEUED' });
    let seen = await order(placed.id);
    expect(seen.status).toBe('PARTIALLY_SHIPPED');
    expect(line(seen, 1)).toMatchObject({ shippedQuantity: '2', openQuantity: '3' });
    expect(line(seen, 2)).toMatchObject({ shippedQuantity: '0', openQuantity: '2' });

    const second = await confirmShipment(hub, wms, {
      sourceDocumentId: nextRef('WMS'),
      order: placed.orderNumber,
      shipDate: '2026-12-07',
      carrier: 'UPS',
      trackingNumbers: ['1Z0000000000000002', '1Z0000000000000003'],
      lines: [{ sku: stocked.sku, quantity: '3' }],
    });
    expect(second.status).toBe(201);
    seen = await order(placed.id);
    expect(seen.status).toBe('PARTIALLY_SHIPPED');
    expect(line(seen, 1)).toMatchObject({ shippedQuantity: '5', openQuantity: '0' });

    // The supplier ships its part: everything has shipped.
    const dropped = await confirmShipment(hub, supplier, {
      sourceDocumentId: nextRef('SUP'),
      order: supplierSegment.externalReference,
      shipDate: '2026-12-07',
      trackingNumbers: ['DROP-1'],
      lines: [{ lineRef: 'b', sku: dropShip.sku, quantity: '2' }],
    });
    expect(dropped.status).toBe(201);
    seen = await order(placed.id);
    expect(seen.status).toBe('SHIPPED');
    expect(seen.shipments.map((s) => s.source).sort()).toEqual(['supplier', 'wms', 'wms']);
    expect(seen.shipments.flatMap((s) => s.trackingNumbers)).toContain('1Z0000000000000003');

    // Each reaches the ERP exactly once.
    for (const s of [first.body, second.body, dropped.body]) {
      const posted = await waitFor(
        async () => (await getJson<ShipmentBody>(hub, ops, `/v1/shipments/${s.id}`)).body,
        (b) => b.erpPosting === 'POSTED' || b.erpPosting === 'FAILED',
        60_000,
      );
      expect(posted.erpPosting).toBe('POSTED');
      expect(posted.erpShipmentNo).not.toBeNull();
      expect(await erp.erpShipmentsFor(s.shipmentNumber)).toBe(1);
    }

    // The ERP's shipment feed brings the hub's own shipments back: linked, not counted twice.
    const sync = await syncFulfillment(hub, ops);
    expect(sync.status).toBe('succeeded');
    seen = await order(placed.id);
    expect(seen.shipments).toHaveLength(3);
    expect(line(seen, 1).shippedQuantity).toBe('5');

    // The ERP invoices both ERP orders; the next sync brings the invoices.
    await erp.erpInvoice(warehouse.externalReference);
    await erp.erpInvoice(supplierSegment.externalReference);
    const invoiced = await syncFulfillment(hub, ops);
    expect(invoiced.streams.invoices.upserted).toBeGreaterThanOrEqual(2);
    seen = await order(placed.id);
    expect(seen.status).toBe('INVOICED');
    expect(line(seen, 1).invoicedQuantity).toBe('5');
    expect(line(seen, 2).invoicedQuantity).toBe('2');
    expect(seen.invoices).toHaveLength(2);
    const invoices = await getJson<{ items: { orderId: string; status: string }[] }>(
      hub,
      shop,
      `/v1/invoices?orderId=${placed.id}`,
    );
    expect(invoices.body.items.map((i) => i.status)).toEqual(['OPEN', 'OPEN']);

    // The history names who changed what.
    const history = await getJson<HistoryBody>(hub, shop, `/v1/orders/${placed.id}/history`);
    const sources = history.body.items.map((h) => `${h.status}/${h.source}`);
    expect(sources).toEqual(
      expect.arrayContaining(['PARTIALLY_SHIPPED/wms', 'SHIPPED/supplier', 'INVOICED/erp']),
    );
  }, 240_000);

  it('takes a shipment the ERP posted on its own, matching its lines to the order', async () => {
    const placed = await postedOrder('4', '1');
    const warehouse = placed.segments.find((s) => s.kind === 'STOCK');
    if (!warehouse) throw new Error('no warehouse segment');
    const erpShipmentNo = await erp.erpShip(warehouse.externalReference, [
      { lineNo: 1, quantity: '3' },
    ]);
    const run = await syncFulfillment(hub, ops);
    expect(run.streams.shipments.upserted).toBeGreaterThanOrEqual(1);
    const seen = await order(placed.id);
    expect(seen.status).toBe('PARTIALLY_SHIPPED');
    expect(line(seen, 1)).toMatchObject({ shippedQuantity: '3', openQuantity: '1' });
    expect(seen.shipments).toEqual([expect.objectContaining({ source: 'erp', erpShipmentNo })]);
    // Read again: nothing counted twice.
    await syncFulfillment(hub, ops);
    expect(line(await order(placed.id), 1).shippedQuantity).toBe('3');
  }, 180_000);

  it('answers bad confirmations with problem+json and stores nothing', async () => {
    const placed = await postedOrder('3', '1');
    const warehouse = placed.segments.find((s) => s.kind === 'STOCK');
    if (!warehouse) throw new Error('no warehouse segment');
    const base = {
      order: warehouse.externalReference,
      shipDate: '2026-12-07',
      lines: [{ lineNo: 1, sku: stocked.sku, quantity: '1' }],
    };

    const unknown = await confirmShipment(hub, wms, {
      ...base,
      sourceDocumentId: nextRef('BAD'),
      order: 'XD9999999-1',
    });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'ORDER_NOT_FOUND']);

    // A supplier does not ship the warehouse's segment: answered as an unknown order.
    const foreign = await confirmShipment(hub, supplier, {
      ...base,
      sourceDocumentId: nextRef('BAD'),
    });
    expect([foreign.status, foreign.body.code]).toEqual([404, 'ORDER_NOT_FOUND']);

    const over = await confirmShipment(hub, wms, {
      ...base,
      sourceDocumentId: nextRef('BAD'),
      lines: [
        { lineNo: 1, sku: stocked.sku, quantity: '2' },
        { lineNo: 1, sku: stocked.sku, quantity: '2' },
        { sku: 'NO-SUCH-SKU', quantity: '1' },
      ],
    });
    expect(over.status).toBe(422);
    expect(over.body.code).toBe('SHIPMENT_REJECTED');
    expect(over.body.violations?.map((v) => v.code).sort()).toEqual([
      'OVER_SHIPMENT',
      'SKU_NOT_ON_ORDER',
    ]);

    const documentId = nextRef('DUP');
    const once = await confirmShipment(hub, wms, { ...base, sourceDocumentId: documentId });
    expect(once.status).toBe(201);
    const again = await confirmShipment(hub, wms, { ...base, sourceDocumentId: documentId });
    expect([again.status, again.body.id]).toEqual([200, once.body.id]);
    const changed = await confirmShipment(hub, wms, {
      ...base,
      sourceDocumentId: documentId,
      lines: [{ lineNo: 1, sku: stocked.sku, quantity: '2' }],
    });
    expect([changed.status, changed.body.code]).toEqual([422, 'SOURCE_DOCUMENT_REUSED']);

    // Only the one good confirmation moved the order.
    const seen = await order(placed.id);
    expect(line(seen, 1)).toMatchObject({ shippedQuantity: '1', openQuantity: '2' });
    expect(seen.shipments).toHaveLength(1);

    // A channel without fulfillment:write cannot confirm; and sees only its own orders' shipments.
    const shopTries = await confirmShipment(hub, shop, { ...base, sourceDocumentId: nextRef('X') });
    expect(shopTries.status).toBe(403);
    const list = await getJson<{ items: ShipmentBody[] }>(
      hub,
      shop,
      `/v1/shipments?orderId=${placed.id}`,
    );
    expect(list.body.items.map((s) => s.id)).toEqual([once.body.id]);
    const other = await orderChannel(hub);
    const hidden = await getJson<{ items: ShipmentBody[] }>(
      hub,
      other,
      `/v1/shipments?orderId=${placed.id}`,
    );
    expect(hidden.body.items).toEqual([]);
    expect((await getJson(hub, other, `/v1/shipments/${once.body.id}`)).status).toBe(404);
    expect(new Decimal(line(seen, 1).quantity).toString()).toBe('3');
  }, 180_000);

  it('follows an ERP-side quantity cut and cancel, and the stock comes back', async () => {
    const placed = await postedOrder('5', '1');
    const warehouse = placed.segments.find((s) => s.kind === 'STOCK');
    const dropSegment = placed.segments.find((s) => s.kind === 'DROP_SHIP');
    if (!warehouse || !dropSegment) throw new Error('the order did not split in two segments');
    const atp = async () => {
      const res = await getJson<{ items: { warehouses: { warehouse: string; atp: string }[] }[] }>(
        hub,
        shop,
        `/v1/inventory/availability?sku=${encodeURIComponent(stocked.sku)}`,
      );
      return new Decimal(
        res.body.items[0]?.warehouses.find((w) => w.warehouse === line(placed, 1).warehouse)?.atp ??
          '0',
      );
    };
    const before = await atp();

    // An ERP user cuts line 1 from 5 to 3: 2 cancelled, 3 still to ship, 2 units free again.
    await erp.erpSetLineQuantity(warehouse.externalReference, 1, '3');
    expect((await syncOrderChanges(hub, ops)).status).toBe('succeeded');
    let seen = await order(placed.id);
    expect(seen.status).toBe('POSTED');
    expect(line(seen, 1)).toMatchObject({ cancelledQuantity: '2', openQuantity: '3' });
    expect((await atp()).minus(before).toString()).toBe('2');
    const history = await getJson<HistoryBody>(hub, shop, `/v1/orders/${placed.id}/history`);
    expect(history.body.items.at(-1)).toMatchObject({ source: 'erp' });

    // Read again: nothing changes twice.
    await syncOrderChanges(hub, ops);
    expect(line(await order(placed.id), 1).cancelledQuantity).toBe('2');

    // The ERP cancels both ERP orders: the hub order is cancelled, its stock free.
    await erp.erpCancelOrder(warehouse.externalReference);
    await erp.erpCancelOrder(dropSegment.externalReference);
    await syncOrderChanges(hub, ops);
    seen = await order(placed.id);
    expect(seen.status).toBe('CANCELLED');
    expect(line(seen, 1)).toMatchObject({ cancelledQuantity: '5', openQuantity: '0' });
    expect((await atp()).minus(before).toString()).toBe('5');
  }, 180_000);
});
