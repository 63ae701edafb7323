import pg from 'pg';
import { generateDemoDataset } from '../../src/erp-simulators/demo-data/index.js';
import { OnPremErpConnection } from '../../src/adapters/erp/onprem/onprem-erp.connection.js';
import { OnPremSalesOrderGateway } from '../../src/adapters/erp/onprem/orders/onprem-sales-order.gateway.js';
import {
  dropDatabaseIfExists,
  DemoOnPremErp,
  prepareOnPremErpDatabase,
  processSalesOrderImports,
} from '../../src/erp-simulators/onprem/index.js';
import { testDatabaseUrl } from '../support/test-app.js';
import {
  type ErpSideOrder,
  describeSalesOrderGatewayContract,
} from './sales-order-gateway.contract.js';

/**
 * The on-prem adapter against a real PostgreSQL ERP database of its own (the reference schema
 * with the scale-1 demo dataset). The ERP's import job runs when the suite says so
 * (`processSalesOrderImports`), never on a timer; shipping is an SQL update as the ERP's
 * warehouse programs would make it.
 */
describeSalesOrderGatewayContract('onprem', async () => {
  const url = new URL(testDatabaseUrl());
  url.pathname = `${url.pathname}_erp_orders`;
  const erpUrl = url.toString();
  await dropDatabaseIfExists(erpUrl);
  await prepareOnPremErpDatabase(erpUrl, { scale: 1 });
  const dataset = generateDemoDataset({ scale: 1 });
  const erp = new OnPremErpConnection({ url: erpUrl });
  const gateway = new OnPremSalesOrderGateway(erp);
  const sql = new pg.Client({ connectionString: erpUrl });
  await sql.connect();
  return {
    gateway,
    dataset,
    importsAsynchronously: true,
    deletesCancelledOrders: false,
    runErpImportJob: async () => {
      await processSalesOrderImports(sql);
    },
    erpOrders: async (ref) => {
      const { rows } = await sql.query<{
        order_no: string;
        customer_no: string;
        status: string;
        city: string | null;
        item_no: string;
        uom_code: string;
        quantity: string;
        unit_price: string;
        warehouse_code: string | null;
      }>(
        `SELECT o.order_no, o.customer_no, o.status, o.city, l.item_no, l.uom_code,
                l.quantity::text AS quantity, l.unit_price::text AS unit_price, l.warehouse_code
           FROM so_order_header o JOIN so_order_line l ON l.order_no = o.order_no
          WHERE o.external_reference = $1
          ORDER BY o.order_no, l.line_no`,
        [ref],
      );
      const orders = new Map<string, ErpSideOrder>();
      for (const r of rows) {
        let order = orders.get(r.order_no);
        if (!order) {
          order = {
            number: r.order_no,
            customerNo: r.customer_no,
            status: r.status,
            shipToCity: r.city,
            lines: [],
          };
          orders.set(r.order_no, order);
        }
        order.lines.push({
          sku: r.item_no,
          uom: r.uom_code,
          quantity: r.quantity,
          unitPrice: r.unit_price,
          warehouseCode: r.warehouse_code,
        });
      }
      return [...orders.values()];
    },
    allocated: async (sku, warehouseCode) => {
      const { rows } = await sql.query<{ qty: string }>(
        `SELECT COALESCE(sum(allocated_qty), 0)::text AS qty FROM in_balance
          WHERE item_no = $1 AND warehouse_code = $2`,
        [sku, warehouseCode],
      );
      return rows[0].qty;
    },
    shipFirstLine: async (ref) => {
      await sql.query(
        `UPDATE so_order_line SET shipped_qty = 1
          WHERE line_no = 1
            AND order_no = (SELECT order_no FROM so_order_header WHERE external_reference = $1)`,
        [ref],
      );
    },
    submitLosingTheAnswer: async (document) => {
      // Two hub instances with the same job (one of them lost track of its answer): the
      // staging table's unique reference lets exactly one of them stage the import.
      const results = await Promise.all([gateway.submit(document), gateway.submit(document)]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(results.map((r) => r.state)).toEqual(['PENDING', 'PENDING']);
    },
    close: async () => {
      await sql.end();
      await erp.onApplicationShutdown();
      await dropDatabaseIfExists(erpUrl);
    },
  };
});

/**
 * The embedded demo ERP has no scheduler of its own: its simulator (bound for the demo database
 * only) runs the import job on an interval, so what the hub stages is imported without anyone
 * calling it.
 */
describe('OnPremErpConnection with the demo ERP simulator: the import job', () => {
  it('imports what the hub stages without anyone calling the job', async () => {
    const url = new URL(testDatabaseUrl());
    url.pathname = `${url.pathname}_erp_orders_demo`;
    const erpUrl = url.toString();
    await dropDatabaseIfExists(erpUrl);
    const erp = new OnPremErpConnection({
      url: erpUrl,
      simulator: new DemoOnPremErp({ importIntervalMs: 50 }),
    });
    try {
      await erp.onModuleInit();
      const dataset = generateDemoDataset({ scale: 1 });
      const customer = dataset.customers.find((c) => c.status === 'ACTIVE');
      const item = dataset.items.find(
        (i) => i.status === 'ACTIVE' && i.fulfillmentType === 'STOCK',
      );
      if (!customer || !item) throw new Error('the demo dataset lacks an active customer or item');
      const gateway = new OnPremSalesOrderGateway(erp);
      const ref = `DEMO-JOB-${Date.now()}`;
      const submitted = await gateway.submit({
        externalReference: ref,
        customerNo: customer.customerNo,
        shipTo: null,
        customerPo: null,
        orderDate: dataset.baseDate.slice(0, 10),
        requestedDate: null,
        currency: customer.currencyCode,
        warehouseCode: customer.defaultWarehouseCode,
        dropShipSupplierId: null,
        notes: null,
        lines: [
          {
            lineNo: 1,
            lineRef: 'L1',
            sku: item.sku,
            uom: item.baseUom,
            quantity: '1',
            unitPrice: '10.0000',
          },
        ],
      });
      expect(submitted.state).toBe('PENDING');
      const deadline = Date.now() + 10_000;
      let state = submitted.state;
      while (state === 'PENDING' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        state = (await gateway.status(ref)).state;
      }
      expect(state).toBe('CREATED');
    } finally {
      await erp.onApplicationShutdown();
      await dropDatabaseIfExists(erpUrl);
    }
  });
});
