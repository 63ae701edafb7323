import pg from 'pg';
import type { DemoItem } from '../../src/erp-simulators/demo-data/index.js';
import { bearer, createTestChannel } from '../support/channels.js';
import { type TestApp, testDatabaseUrl } from '../support/test-app.js';
import {
  availability,
  DemoPicker,
  getOrder,
  nextRef,
  orderChannel,
  quotedPrice,
  startOrdersHub,
  submitOrder,
  syncEverything,
  waitForStatus,
} from './orders-test-support.js';

/**
 * Cancelling gives stock back at once, through the on-prem ERP: before posting the hub's
 * reservation is released; after posting the stock was handed over to the ERP's allocation, and
 * the hub offsets the ERP's figure until the ERP's cancel has been synced, so availability is
 * right immediately and stays right (never counted twice) after the next inventory syncs.
 */
describe('cancel gives stock back at once, and the order history (on-prem ERP)', () => {
  const demo = new DemoPicker();
  let hub: TestApp;
  let erp: pg.Pool;
  let shop: Record<string, string>;
  let admin: Record<string, string>;
  const items: DemoItem[] = [];
  let customerNo: string;

  beforeAll(async () => {
    hub = await startOrdersHub({ INVENTORY_SYNC_LAG_SECONDS: '0' });
    await syncEverything(hub);
    shop = await orderChannel(hub);
    admin = bearer((await createTestChannel(hub.app, { scopes: ['ops:admin'] })).apiKey);
    const url = new URL(testDatabaseUrl());
    url.pathname = `${url.pathname}_erp`;
    erp = new pg.Pool({ connectionString: url.toString(), max: 2 });
    customerNo = demo.goodCustomers()[0].customerNo;
    // Items other suites do not order: the end of the list, priced and well stocked.
    for (const item of demo
      .items((i) => i.status === 'ACTIVE' && i.fulfillmentType === 'STOCK')
      .reverse()) {
      if (items.length === 2) break;
      const price = await quotedPrice(hub, shop, customerNo, item.sku, '1', item.baseUom);
      const atp = await availability(hub, shop, item.sku);
      if (price !== null && [...atp.values()].some((q) => q >= 20)) items.push(item);
    }
    if (items.length < 2) throw new Error('not enough priced, stocked demo items');
  }, 120_000);

  afterAll(async () => {
    await erp?.end();
    await hub?.close();
  });

  const syncInventory = async (): Promise<void> => {
    const res = await fetch(`${hub.baseUrl}/v1/admin/sync/inventory?wait=true`, {
      method: 'POST',
      headers: admin,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'succeeded' });
  };

  const atpAt = async (sku: string, warehouse: string): Promise<number> =>
    (await availability(hub, shop, sku)).get(warehouse) ?? 0;

  async function postedOrder(item: DemoItem) {
    const res = await submitOrder(hub, shop, {
      channelOrderRef: nextRef('CXL'),
      customerId: customerNo,
      lines: [{ lineRef: '1', sku: item.sku, quantity: '3', uom: item.baseUom }],
    });
    expect(res.status).toBe(201);
    const warehouse = res.body.lines[0].warehouse as string;
    const posted = await waitForStatus(hub, shop, res.body.id, ['POSTED']);
    return {
      id: res.body.id,
      warehouse,
      erpOrderNo: posted.segments[0].erpOrderNumber,
      externalReference: posted.segments[0].externalReference,
    };
  }

  async function cancel(id: string) {
    const res = await fetch(`${hub.baseUrl}/v1/orders/${id}/cancel`, {
      method: 'POST',
      headers: { ...shop, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'customer changed their mind' }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as {
      status: string;
      lines: { reservedQuantity: string }[];
    };
  }

  async function waitCancelledInErp(id: string, erpOrderNo: string | null): Promise<void> {
    const until = Date.now() + 30_000;
    while (Date.now() < until) {
      const { rows } = await erp.query<{ status: string }>(
        `SELECT status FROM so_order_header WHERE order_no = $1`,
        [erpOrderNo],
      );
      const order = await getOrder(hub, shop, id);
      if (rows[0]?.status === 'CANCELLED' && order.body.segments[0].status === 'CANCELLED') return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`ERP order ${erpOrderNo} was not cancelled`);
  }

  it('gives back the stock of a posted order at once, before the ERP allocation was synced', async () => {
    const item = items[0];
    const before = await availability(hub, shop, item.sku);
    const order = await postedOrder(item);
    const atp0 = before.get(order.warehouse) ?? 0;
    expect(await atpAt(item.sku, order.warehouse)).toBe(atp0 - 3);

    const cancelled = await cancel(order.id);

    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.lines.map((l) => l.reservedQuantity)).toEqual(['0']);
    expect(await atpAt(item.sku, order.warehouse)).toBe(atp0);
    await waitCancelledInErp(order.id, order.erpOrderNo);
    await syncInventory();
    expect(await atpAt(item.sku, order.warehouse)).toBe(atp0);
    const read = await getOrder(hub, shop, order.id);
    expect(read.body.lines.map((l) => l.reservedQuantity)).toEqual(['0']);
  }, 90_000);

  it('gives back the stock of a posted order at once after a sync took the ERP allocation, and never counts it twice', async () => {
    const item = items[1];
    const before = await availability(hub, shop, item.sku);
    const order = await postedOrder(item);
    const atp0 = before.get(order.warehouse) ?? 0;
    // The ERP's own allocated figure now includes the order; the hub's hand-over is absorbed.
    await syncInventory();
    expect(await atpAt(item.sku, order.warehouse)).toBe(atp0 - 3);

    await cancel(order.id);

    expect(await atpAt(item.sku, order.warehouse)).toBe(atp0);
    // A sync before the ERP's cancel is confirmed keeps the offset (the ERP still allocates).
    await syncInventory();
    expect(await atpAt(item.sku, order.warehouse)).toBe(atp0);
    await waitCancelledInErp(order.id, order.erpOrderNo);
    await syncInventory();
    expect(await atpAt(item.sku, order.warehouse)).toBe(atp0);
    await syncInventory();
    expect(await atpAt(item.sku, order.warehouse)).toBe(atp0);
  }, 90_000);

  it('counts the stock again when the ERP refuses the cancel because it already shipped the order', async () => {
    const item = items[0];
    const before = await availability(hub, shop, item.sku);
    const order = await postedOrder(item);
    const atp0 = before.get(order.warehouse) ?? 0;
    // Shipped in the ERP before the channel's cancel reached it.
    await erp.query(`UPDATE so_order_header SET status = 'SHIPPED' WHERE order_no = $1`, [
      order.erpOrderNo,
    ]);

    await cancel(order.id);
    expect(await atpAt(item.sku, order.warehouse)).toBe(atp0);

    // The cancel job fails for good (exception queue) and the ERP's allocation counts again.
    const until = Date.now() + 30_000;
    let atp = atp0;
    while (Date.now() < until && atp !== atp0 - 3) {
      await new Promise((r) => setTimeout(r, 200));
      atp = await atpAt(item.sku, order.warehouse);
    }
    expect(atp).toBe(atp0 - 3);
    let refusals: { reference: string | null; error: { code?: string } }[] = [];
    while (Date.now() < until && refusals.length === 0) {
      const res = await fetch(
        `${hub.baseUrl}/v1/ops/exceptions?type=orders.erp-cancel-failed&status=open&limit=200`,
        { headers: admin },
      );
      const page = (await res.json()) as { items: typeof refusals };
      refusals = page.items.filter((e) => e.reference === order.externalReference);
      if (refusals.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(refusals).toEqual([
      expect.objectContaining({ error: expect.objectContaining({ code: 'ERP_NOT_CANCELLABLE' }) }),
    ]);
  }, 90_000);

  it("records every state change in the order's history, readable only by its channel", async () => {
    const order = await postedOrder(items[0]);
    await cancel(order.id);
    await waitCancelledInErp(order.id, order.erpOrderNo);

    const res = await fetch(`${hub.baseUrl}/v1/orders/${order.id}/history`, { headers: shop });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      orderId: string;
      items: { status: string; at: string; detail: Record<string, unknown> | null }[];
    };
    expect(body.orderId).toBe(order.id);
    const statuses = body.items.map((e) => e.status);
    expect(statuses.indexOf('POSTED')).toBeGreaterThan(-1);
    expect(statuses.indexOf('CANCELLED')).toBeGreaterThan(statuses.indexOf('POSTED'));
    expect(body.items.find((e) => e.status === 'POSTED')?.detail).toEqual({
      erpOrderNumber: order.erpOrderNo,
    });
    expect(body.items.find((e) => e.status === 'CANCELLED')?.detail).toMatchObject({
      reason: 'customer changed their mind',
      from: 'POSTED',
    });
    expect(body.items.filter((e) => e.detail?.erp === 'CANCELLED')).toHaveLength(1);
    const times = body.items.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    const other = await orderChannel(hub);
    const hidden = await fetch(`${hub.baseUrl}/v1/orders/${order.id}/history`, { headers: other });
    expect(hidden.status).toBe(404);
    expect(await hidden.json()).toMatchObject({ code: 'ORDER_NOT_FOUND' });
  }, 90_000);
});
