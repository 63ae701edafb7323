import { CommandBus } from '@nestjs/cqrs';
import type pg from 'pg';
import { ErpAdapterModule } from '../../src/adapters/erp/erp-adapter.module.js';
import { ErpSimulatorsModule } from '../../src/erp-simulators/erp-simulators.module.js';
import type { DemoItem } from '../../src/erp-simulators/demo-data/index.js';
import {
  ERP_ORDER_CHANGE_EXCEPTION,
  type ErpOrderSnapshot,
  OrderFulfillment,
  SyncOrderChangesCommand,
} from '../../src/modules/orders/index.js';
import { InventoryService } from '../../src/modules/inventory/index.js';
import { UnitOfWork } from '../../src/platform/database/index.js';
import type { DeltaSyncRun } from '../../src/platform/delta-sync/index.js';
import { ErpChangeTrigger } from '../../src/platform/erp-changes/index.js';
import {
  InMemorySalesOrderChangeFeed,
  orderChangeFeedModule,
} from '../support/in-memory-sales-order-change-feed.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  availability,
  DemoPicker,
  nextRef,
  ORDERS_ENV,
  orderChannel,
  quotedPrice,
  submitOrder,
  syncEverything,
  waitForStatus,
} from './orders-test-support.js';
import { connectTestDb } from './posting-test-support.js';

interface PostedOrder {
  id: string;
  sku: string;
  uom: string;
  warehouse: string;
  externalReference: string;
  erpOrderNumber: string;
}

/**
 * ERP-side order changes (issue 14): orders captured and posted through the demo on-prem ERP;
 * what the ERP's users then do to them arrives through an in-memory SalesOrderChangeFeed (the
 * adapters' own feeds have contract tests of their own). A cut and a cancel reach the order's
 * lines, status and history (source erp, the ERP user), the stock the ERP no longer needs is
 * available at once, reading the same changes again changes nothing, and what would not clear
 * becomes an exception instead of an overwrite.
 */
describe('ERP-side order changes reach the hub (on-prem ERP posting, in-memory change feed)', () => {
  const demo = new DemoPicker();
  const feed = new InMemorySalesOrderChangeFeed();
  let hub: TestApp;
  let db: pg.Client;
  let shop: Record<string, string>;
  const items: DemoItem[] = [];
  let customerNo: string;

  beforeAll(async () => {
    hub = await startTestApp(
      { ...ORDERS_ENV, INVENTORY_SYNC_LAG_SECONDS: '0', ORDER_CHANGES_SYNC_SECONDS: '0' },
      {
        // The in-memory change feed first: should the adapter set bind SalesOrderChangeFeed too,
        // Nest resolves a token from the global module registered first.
        erp: (config) => [
          orderChangeFeedModule(feed),
          ErpSimulatorsModule.forRoot(config),
          ErpAdapterModule.forRoot(config),
        ],
      },
    );
    await syncEverything(hub);
    shop = await orderChannel(hub);
    db = await connectTestDb();
    customerNo = demo.goodCustomers()[1].customerNo;
    for (const item of demo.items((i) => i.status === 'ACTIVE' && i.fulfillmentType === 'STOCK')) {
      if (items.length === 4) break;
      if (item.lotControlled) continue;
      const price = await quotedPrice(hub, shop, customerNo, item.sku, '1', item.baseUom);
      const atp = await availability(hub, shop, item.sku);
      if (price !== null && [...atp.values()].some((q) => q >= 30)) items.push(item);
    }
    if (items.length < 4) throw new Error('not enough priced, stocked demo items');
  }, 180_000);

  afterAll(async () => {
    await db?.end();
    await hub?.close();
  });

  const sync = (): Promise<DeltaSyncRun> =>
    hub.app.get(CommandBus).execute(new SyncOrderChangesCommand('manual', true));

  const atpAt = async (sku: string, warehouse: string): Promise<number> =>
    (await availability(hub, shop, sku)).get(warehouse) ?? 0;

  async function postedOrder(item: DemoItem, quantity: string): Promise<PostedOrder> {
    const res = await submitOrder(hub, shop, {
      channelOrderRef: nextRef('ERPCHG'),
      customerId: customerNo,
      lines: [{ lineRef: '1', sku: item.sku, quantity, uom: item.baseUom }],
    });
    expect(res.status).toBe(201);
    const posted = await waitForStatus(hub, shop, res.body.id, ['POSTED']);
    return {
      id: res.body.id,
      sku: item.sku,
      uom: item.baseUom,
      warehouse: res.body.lines[0].warehouse as string,
      externalReference: posted.segments[0].externalReference,
      erpOrderNumber: posted.segments[0].erpOrderNumber as string,
    };
  }

  /** The ERP's snapshot of a one-line order with `quantity` on its line. */
  const erpOrder = (
    order: PostedOrder,
    quantity: string,
    overrides: Partial<ErpOrderSnapshot> = {},
  ): Omit<ErpOrderSnapshot, 'modifiedAt'> => ({
    externalReference: order.externalReference,
    erpOrderNumber: order.erpOrderNumber,
    state: 'OPEN',
    lines: [{ lineNo: 1, sku: order.sku, uom: order.uom, quantity, shippedQuantity: '0' }],
    changedBy: 'CRONUS\\ANNA',
    ...overrides,
  });

  async function lineOf(orderId: string) {
    const { rows } = await db.query<{ cancelled: string; shipped: string; status: string }>(
      `SELECT l.cancelled_quantity::text AS cancelled, l.shipped_quantity::text AS shipped,
              o.status
         FROM ord_order_line l JOIN ord_order o ON o.id = l.order_id
        WHERE l.order_id = $1 AND l.line_no = 1`,
      [orderId],
    );
    return {
      cancelled: Number(rows[0].cancelled),
      shipped: Number(rows[0].shipped),
      status: rows[0].status,
    };
  }

  async function history(orderId: string) {
    const { rows } = await db.query<{
      status: string;
      source: string;
      actor: string | null;
      detail: Record<string, unknown>;
    }>(
      `SELECT status, source, actor, detail FROM ord_order_history
        WHERE order_id = $1 ORDER BY id`,
      [orderId],
    );
    return rows;
  }

  async function erpState(ref: string) {
    const { rows } = await db.query<{ erp_state: string | null }>(
      `SELECT erp_state FROM ord_segment WHERE external_reference = $1`,
      [ref],
    );
    return rows[0]?.erp_state ?? null;
  }

  async function openExceptions(ref: string) {
    const { rows } = await db.query<{ error: { code?: string }; payload: { snapshot?: unknown } }>(
      `SELECT error, payload FROM ops_exception
        WHERE type = $1 AND reference = $2 AND status = 'open' ORDER BY id`,
      [ERP_ORDER_CHANGE_EXCEPTION, ref],
    );
    return rows;
  }

  it('reflects a quantity cut made in the ERP: cancelled quantity, history by the ERP user, stock back', async () => {
    const order = await postedOrder(items[0], '5');
    feed.put(erpOrder(order, '5'));
    const atpPosted = await atpAt(order.sku, order.warehouse);

    feed.put(erpOrder(order, '2'));
    const run = await sync();

    expect(run.status).toBe('succeeded');
    expect(await lineOf(order.id)).toEqual({ cancelled: 3, shipped: 0, status: 'POSTED' });
    const erpEntries = (await history(order.id)).filter((h) => h.source === 'erp');
    expect(erpEntries).toEqual([
      expect.objectContaining({
        status: 'POSTED',
        actor: 'CRONUS\\ANNA',
        detail: expect.objectContaining({
          segment: order.externalReference,
          lines: [expect.objectContaining({ lineNo: 1, kind: 'ordered', from: '5', to: '2' })],
        }),
      }),
    ]);
    expect(await erpState(order.externalReference)).toBe('OPEN');
    // The 3 the ERP no longer allocates are available at once.
    expect(await atpAt(order.sku, order.warehouse)).toBe(atpPosted + 3);

    // Reading the same changes again (overlap window, sweep) changes nothing.
    const again = await sync();
    expect(again.status).toBe('succeeded');
    expect(await lineOf(order.id)).toEqual({ cancelled: 3, shipped: 0, status: 'POSTED' });
    expect((await history(order.id)).filter((h) => h.source === 'erp')).toHaveLength(1);
    expect(await atpAt(order.sku, order.warehouse)).toBe(atpPosted + 3);

    // The channel then cancels the rest: only the 2 still held come back, never the 3 twice.
    const cancel = await fetch(`${hub.baseUrl}/v1/orders/${order.id}/cancel`, {
      method: 'POST',
      headers: { ...shop, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'customer changed their mind' }),
    });
    expect(cancel.status).toBe(200);
    expect(await atpAt(order.sku, order.warehouse)).toBe(atpPosted + 5);
  }, 120_000);

  it('re-reads order changes when the ERP adapter reports an order-changes change', () => {
    expect(hub.app.get(ErpChangeTrigger).registeredFeeds()).toContain('order-changes');
  });

  it('reflects an order cancelled in the ERP: order CANCELLED by the ERP user, all its stock back', async () => {
    const order = await postedOrder(items[1], '4');
    const atpPosted = await atpAt(order.sku, order.warehouse);

    feed.put(erpOrder(order, '4', { state: 'CANCELLED', changedBy: 'CRONUS\\BEN' }));
    await sync();

    expect(await lineOf(order.id)).toEqual({ cancelled: 4, shipped: 0, status: 'CANCELLED' });
    expect((await history(order.id)).filter((h) => h.source === 'erp')).toEqual([
      expect.objectContaining({ status: 'CANCELLED', actor: 'CRONUS\\BEN' }),
    ]);
    expect(await erpState(order.externalReference)).toBe('CANCELLED');
    expect(await atpAt(order.sku, order.warehouse)).toBe(atpPosted + 4);

    await sync();
    expect((await history(order.id)).filter((h) => h.source === 'erp')).toHaveLength(1);
    expect(await atpAt(order.sku, order.warehouse)).toBe(atpPosted + 4);
  }, 120_000);

  it('sees an order the ERP deleted (Business Central) through the look-up of open posted orders', async () => {
    const order = await postedOrder(items[2], '3');
    feed.put(erpOrder(order, '3'));
    await sync();
    expect(await lineOf(order.id)).toEqual({ cancelled: 0, shipped: 0, status: 'POSTED' });
    const atpPosted = await atpAt(order.sku, order.warehouse);

    feed.delete(order.externalReference);
    await sync();

    expect(feed.lookUps.some((refs) => refs.includes(order.externalReference))).toBe(true);
    expect(feed.lookUps.every((refs) => refs.length <= 50)).toBe(true);
    expect(await lineOf(order.id)).toEqual({ cancelled: 3, shipped: 0, status: 'CANCELLED' });
    expect(await erpState(order.externalReference)).toBe('NOT_FOUND');
    expect(await atpAt(order.sku, order.warehouse)).toBe(atpPosted + 3);
  }, 120_000);

  it('turns a cut below the shipped quantity into an exception with the snapshot, and applies nothing', async () => {
    const order = await postedOrder(items[3], '5');
    await hub.app
      .get(OrderFulfillment)
      .applyQuantities(
        order.id,
        [{ lineNo: 1, change: { kind: 'shipped', quantity: '3' } }],
        { source: 'wms', actor: null },
        {},
        null,
      );
    const atpBefore = await atpAt(order.sku, order.warehouse);

    feed.put(erpOrder(order, '2'));
    await sync();
    await sync();

    expect(await lineOf(order.id)).toEqual({
      cancelled: 0,
      shipped: 3,
      status: 'PARTIALLY_SHIPPED',
    });
    expect((await history(order.id)).filter((h) => h.source === 'erp')).toEqual([]);
    const exceptions = await openExceptions(order.externalReference);
    expect(exceptions).toEqual([
      {
        error: expect.objectContaining({ code: 'ORDER.QUANTITIES_DO_NOT_CLEAR' }),
        payload: expect.objectContaining({
          snapshot: expect.objectContaining({ externalReference: order.externalReference }),
        }),
      },
    ]);
    expect(await atpAt(order.sku, order.warehouse)).toBe(atpBefore);
  }, 120_000);

  it('keeps shipped stock off the order (consumeShipped) and gives back only the rest the ERP closed', async () => {
    const order = await postedOrder(items[2], '5');
    feed.put(erpOrder(order, '5'));
    const atpPosted = await atpAt(order.sku, order.warehouse);

    // The WMS ships 3: the line and the reservation follow in one unit of work; ATP does not move
    // (the ERP's figures count the stock until it records the shipment, then drop together).
    await hub.app.get(UnitOfWork).run(async () => {
      await hub.app
        .get(OrderFulfillment)
        .applyQuantities(
          order.id,
          [{ lineNo: 1, change: { kind: 'shipped', quantity: '3' } }],
          { source: 'wms', actor: null },
          {},
          null,
        );
      const consumed = await hub.app
        .get(InventoryService)
        .consumeShipped(order.id, [
          { sku: order.sku, warehouse: order.warehouse, baseQuantity: '3' },
        ]);
      expect(consumed).toEqual([{ sku: order.sku, warehouse: order.warehouse, baseQuantity: '3' }]);
    });
    expect(await atpAt(order.sku, order.warehouse)).toBe(atpPosted);
    const held = async () =>
      (await hub.app.get(InventoryService).reservations(order.id))
        .filter((r) => r.status === 'HANDED_OVER')
        .flatMap((r) => r.lines.map((l) => Number(l.quantity)));
    expect(await held()).toEqual([2]);

    // The ERP closes the order after shipping 3: the other 2 are cancelled and come back.
    feed.put(
      erpOrder(order, '5', {
        state: 'CLOSED',
        lines: [{ lineNo: 1, sku: order.sku, uom: order.uom, quantity: '5', shippedQuantity: '3' }],
      }),
    );
    await sync();

    expect(await lineOf(order.id)).toEqual({ cancelled: 2, shipped: 3, status: 'SHIPPED' });
    expect(await atpAt(order.sku, order.warehouse)).toBe(atpPosted + 2);
    expect(await held()).toEqual([]);
  }, 120_000);

  it('reports a line an ERP user added instead of adding it', async () => {
    const order = await postedOrder(items[0], '2');
    const snapshot = erpOrder(order, '2');
    feed.put({
      ...snapshot,
      lines: [
        ...snapshot.lines,
        {
          lineNo: null,
          sku: items[1].sku,
          uom: items[1].baseUom,
          quantity: '1',
          shippedQuantity: '0',
        },
      ],
    });
    await sync();

    expect(await lineOf(order.id)).toEqual({ cancelled: 0, shipped: 0, status: 'POSTED' });
    expect((await openExceptions(order.externalReference)).map((e) => e.error.code)).toEqual([
      'ORDER.ERP_LINE_ADDED',
    ]);
  }, 120_000);
});
