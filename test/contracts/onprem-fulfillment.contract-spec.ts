import { Decimal } from 'decimal.js';
import pg from 'pg';
import { OnPremInvoiceFeed } from '../../src/adapters/erp/onprem/fulfillment/onprem-invoice.feed.js';
import { OnPremShipmentFeed } from '../../src/adapters/erp/onprem/fulfillment/onprem-shipment.feed.js';
import { OnPremShipmentGateway } from '../../src/adapters/erp/onprem/fulfillment/onprem-shipment.gateway.js';
import { OnPremErpConnection } from '../../src/adapters/erp/onprem/onprem-erp.connection.js';
import { OnPremSalesOrderChangeFeed } from '../../src/adapters/erp/onprem/orders/onprem-sales-order-change.feed.js';
import { OnPremSalesOrderGateway } from '../../src/adapters/erp/onprem/orders/onprem-sales-order.gateway.js';
import { generateDemoDataset } from '../../src/erp-simulators/demo-data/index.js';
import {
  DemoOnPremErp,
  dropDatabaseIfExists,
  ErpUser,
  prepareOnPremErpDatabase,
  processSalesOrderImports,
  processShipmentImports,
} from '../../src/erp-simulators/onprem/index.js';
import { isDeltaInvalid } from '../../src/platform/delta-sync/index.js';
import { testDatabaseUrl } from '../support/test-app.js';
import {
  changes,
  FulfillmentFixtures,
  readPass,
  same,
  watermarkOf,
} from './fulfillment.fixtures.js';
import type { FulfillmentHarness } from './fulfillment.harness.js';
import { describeInvoiceFeedContract } from './invoice-feed.contract.js';
import { describeSalesOrderChangeFeedContract } from './sales-order-change-feed.contract.js';
import { describeShipmentFeedContract } from './shipment-feed.contract.js';
import { describeShipmentGatewayContract } from './shipment-gateway.contract.js';

/**
 * The on-prem fulfillment adapters against a real PostgreSQL ERP database of their own (the
 * reference schema with the scale-1 demo dataset), prepared once for the file; each suite gets
 * its own connections. The ERP's import job runs when a suite says so, never on a timer; the
 * ERP's users are ErpUser.
 */
const erpUrl = (() => {
  const url = new URL(testDatabaseUrl());
  url.pathname = `${url.pathname}_erp_fulfillment`;
  return url.toString();
})();
let prepared: Promise<void> | null = null;
const dataset = generateDemoDataset({ scale: 1 });

afterAll(async () => {
  await dropDatabaseIfExists(erpUrl);
});

interface OnPremFulfillmentHarness extends FulfillmentHarness {
  pool: pg.Pool;
  user: ErpUser;
}

async function onPremHarness(): Promise<OnPremFulfillmentHarness> {
  prepared ??= (async () => {
    await dropDatabaseIfExists(erpUrl);
    await prepareOnPremErpDatabase(erpUrl, { scale: 1 });
  })();
  await prepared;
  const erp = new OnPremErpConnection({ url: erpUrl });
  const pool = new pg.Pool({ connectionString: erpUrl, max: 2 });
  const user = new ErpUser(pool, 'CLERK.CT');
  const shipmentGateway = new OnPremShipmentGateway(erp);
  return {
    pool,
    user,
    dataset,
    salesOrders: new OnPremSalesOrderGateway(erp),
    shipmentFeed: new OnPremShipmentFeed(erp),
    invoiceFeed: new OnPremInvoiceFeed(erp),
    shipmentGateway,
    orderChanges: new OnPremSalesOrderChangeFeed(erp),
    linksOrderLines: true,
    holdsTracking: true,
    deletesCancelledOrders: false,
    runErpImportJob: async () => {
      await processSalesOrderImports(pool);
      await processShipmentImports(pool);
    },
    erpShip: (ref, lines, tracking) => user.ship(ref, lines, tracking),
    erpInvoice: (ref) => user.invoice(ref),
    erpCancelOrder: (ref) => user.cancelOrder(ref),
    erpSetLineQuantity: (ref, lineNo, quantity) => user.setLineQuantity(ref, lineNo, quantity),
    erpShipmentsFor: async (ref) =>
      (await user.shipmentsFor(ref)).map((s) => ({
        shipmentNo: s.shipmentNo,
        erpOrderNumber: s.erpOrderNumber,
        lines: s.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      })),
    postLosingTheAnswer: async (document) => {
      // Two hub instances with the same job, one of which lost its answer: the staging table's
      // unique reference lets exactly one of them stage the import.
      const results = await Promise.all([
        shipmentGateway.post(document),
        shipmentGateway.post(document),
      ]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(results.map((r) => r.state)).toEqual(['PENDING', 'PENDING']);
    },
    close: async () => {
      await pool.end();
      await erp.onApplicationShutdown();
    },
  };
}

describeShipmentFeedContract('onprem', onPremHarness);
describeInvoiceFeedContract('onprem', onPremHarness);
describeShipmentGatewayContract('onprem', onPremHarness);
describeSalesOrderChangeFeedContract('onprem', onPremHarness);

/** What only the reference ERP shows: its stock, its invoice statuses, its bad rows. */
describe('On-prem ERP fulfillment: the reference ERP side', () => {
  let h: OnPremFulfillmentHarness;
  let fx: FulfillmentFixtures;
  beforeAll(async () => {
    h = await onPremHarness();
    fx = new FulfillmentFixtures(h, 'OP');
  });
  afterAll(async () => {
    await h?.close();
  });

  const stock = async (sku: string) => {
    const { rows } = await h.pool.query<{ on_hand: string; allocated: string }>(
      `SELECT sum(on_hand_qty)::text AS on_hand, sum(allocated_qty)::text AS allocated
         FROM in_balance WHERE item_no = $1 AND warehouse_code = $2`,
      [sku, fx.warehouseCode],
    );
    return rows[0];
  };

  it('takes a shipment the hub posted out of stock and marks the order line shipped', async () => {
    const order = await fx.order();
    const sku = fx.items[0].sku;
    const before = await stock(sku);
    const document = fx.shipment(order, [{ lineNo: 1, quantity: '5' }]);
    await h.shipmentGateway.post(document);
    await h.runErpImportJob();
    const after = await stock(sku);
    expect(same(after.on_hand, new Decimal(before.on_hand).minus(5).toString())).toBe(true);
    expect(same(after.allocated, new Decimal(before.allocated).minus(5).toString())).toBe(true);
    const { rows } = await h.pool.query<{
      shipped_qty: string;
      status: string;
      changed_by: string;
    }>(
      `SELECT l.shipped_qty::text AS shipped_qty, l.status, o.changed_by
         FROM so_order_line l JOIN so_order_header o ON o.order_no = l.order_no
        WHERE o.external_reference = $1 AND l.line_no = 1`,
      [order.ref],
    );
    expect(same(rows[0].shipped_qty, '5')).toBe(true);
    expect(rows[0].status).toBe('SHIPPED');
    expect(rows[0].changed_by).toBe('SHIP-IMPORT');
  });

  it('gives the stock allocation back when an ERP user cancels an order', async () => {
    const sku = fx.items[1].sku;
    const before = await stock(sku);
    const order = await fx.order();
    expect(
      same((await stock(sku)).allocated, new Decimal(before.allocated).plus(3).toString()),
    ).toBe(true);
    await h.user.cancelOrder(order.ref);
    expect(same((await stock(sku)).allocated, before.allocated)).toBe(true);
    const [snapshot] = await h.orderChanges.lookUp([order.ref]);
    expect(snapshot).toMatchObject({ state: 'CANCELLED', changedBy: 'CLERK.CT' });
  });

  it('delivers invoices again when they are paid or cancelled', async () => {
    const order = await fx.order();
    await h.user.ship(order.ref, [{ lineNo: 3, quantity: '4' }]);
    const paidNo = await h.user.invoice(order.ref);
    const since = await watermarkOf((r) => h.invoiceFeed.readInvoices(r));
    await h.user.payInvoice(paidNo);
    await h.user.ship(order.ref, [{ lineNo: 2, quantity: '1' }]);
    const cancelledNo = await h.user.invoice(order.ref);
    await h.user.cancelInvoice(cancelledNo);
    const invoices = changes((await readPass((r) => h.invoiceFeed.readInvoices(r), since)).entries);
    const byNo = new Map(invoices.map((e) => [e.record.invoiceNo, e.record]));
    expect(byNo.get(paidNo)).toMatchObject({ status: 'PAID' });
    expect(same(byNo.get(paidNo)?.remainingAmount, '0')).toBe(true);
    expect(byNo.get(cancelledNo)).toMatchObject({ status: 'CANCELLED' });
    // The cancelled invoice's quantity is open to invoice again.
    const again = await h.user.invoice(order.ref);
    expect(again).not.toBe(cancelledNo);
  });

  it('reports a shipment it cannot map as an invalid record, not a half-read one', async () => {
    const order = await fx.order();
    const since = await watermarkOf((r) => h.shipmentFeed.readShipments(r));
    await h.pool.query(
      `INSERT INTO sh_shipment_header (shipment_no, order_no, external_reference, customer_no,
                                       ship_date, posted_by)
       SELECT 'SHBROKEN1', order_no, external_reference, customer_no, current_date, 'SQL'
         FROM so_order_header WHERE external_reference = $1`,
      [order.ref],
    );
    const { entries } = await readPass((r) => h.shipmentFeed.readShipments(r), since);
    const broken = entries.find((e) => e.sourceId === 'SHBROKEN1');
    expect(broken && isDeltaInvalid(broken)).toBe(true);
  });

  it('reports an ERP user line of an imported order without a hub line number', async () => {
    const order = await fx.order();
    await h.pool.query(
      `INSERT INTO so_order_line (order_no, line_no, item_no, uom_code, quantity,
                                  conversion_factor, base_quantity, unit_price, line_amount,
                                  warehouse_code, fulfillment_type)
       SELECT order_no, 10000, $2, $3, 1, 1, 1, 1, 1, warehouse_code, 'STOCK'
         FROM so_order_header WHERE external_reference = $1`,
      [order.ref, fx.items[0].sku, fx.items[0].baseUom],
    );
    const [snapshot] = await h.orderChanges.lookUp([order.ref]);
    expect(snapshot.lines.map((l) => l.lineNo)).toEqual([1, 2, 3, null]);
  });
});

/** The demo ERP's import job (on its timer) posts what the hub stages, as a real ERP's would. */
describe('OnPremErpConnection with the demo ERP simulator: the shipment import job', () => {
  it('posts a staged shipment without anyone calling the job', async () => {
    const h = await onPremHarness();
    const erp = new OnPremErpConnection({
      url: erpUrl,
      simulator: new DemoOnPremErp({ importIntervalMs: 50 }),
    });
    try {
      const fx = new FulfillmentFixtures(h, 'DJ');
      const order = await fx.order();
      await erp.onModuleInit();
      const gateway = new OnPremShipmentGateway(erp);
      const document = fx.shipment(order, [{ lineNo: 1, quantity: '1' }]);
      expect((await gateway.post(document)).state).toBe('PENDING');
      const deadline = Date.now() + 10_000;
      let state = 'PENDING';
      while (state === 'PENDING' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        state = (await gateway.status(document.shipmentReference)).state;
      }
      expect(state).toBe('POSTED');
    } finally {
      await erp.onApplicationShutdown();
      await h.close();
    }
  });
});

describe('On-prem ERP order changes: lines and deletes', () => {
  let h: OnPremFulfillmentHarness;
  let fx: FulfillmentFixtures;
  beforeAll(async () => {
    h = await onPremHarness();
    fx = new FulfillmentFixtures(h, 'OL');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('delivers an order whose line was removed (journalled delete only), without that line', async () => {
    const order = await fx.order();
    const since = await watermarkOf((r) => h.orderChanges.readChanges(r));
    // Only the line goes: the header is not touched, the ERP's delete journal shows it.
    await h.pool.query(
      `DELETE FROM so_order_line
        WHERE line_no = 3
          AND order_no = (SELECT order_no FROM so_order_header WHERE external_reference = $1)`,
      [order.ref],
    );
    const found = changes(
      (await readPass((r) => h.orderChanges.readChanges(r), since)).entries,
    ).filter((e) => e.record.externalReference === order.ref);
    expect(found).toHaveLength(1);
    expect(found[0].record.lines.map((l) => l.lineNo)).toEqual([1, 2]);
  });

  it('names no hub line for a shipment line of a line an ERP user added', async () => {
    const order = await fx.order();
    await h.pool.query(
      `INSERT INTO so_order_line (order_no, line_no, item_no, uom_code, quantity,
                                  conversion_factor, base_quantity, unit_price, line_amount,
                                  warehouse_code, fulfillment_type)
       SELECT order_no, 20000, $2, $3, 2, 1, 2, 1, 2, NULL, 'STOCK'
         FROM so_order_header WHERE external_reference = $1`,
      [order.ref, fx.items[1].sku, fx.items[1].baseUom],
    );
    const since = await watermarkOf((r) => h.shipmentFeed.readShipments(r));
    const shipmentNo = await h.user.ship(order.ref, [
      { lineNo: 1, quantity: '1' },
      { lineNo: 20000, quantity: '2' },
    ]);
    const shipment = changes(
      (await readPass((r) => h.shipmentFeed.readShipments(r), since)).entries,
    ).find((e) => e.record.shipmentNo === shipmentNo)?.record;
    expect(shipment?.lines.map((l) => l.orderLineNo)).toEqual([1, null]);
  });
});
