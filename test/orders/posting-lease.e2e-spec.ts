import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { DemoItem } from '../../src/erp-simulators/demo-data/index.js';
import { type TestApp, testDatabaseUrl } from '../support/test-app.js';
import {
  availability,
  DemoPicker,
  nextRef,
  orderChannel,
  quotedPrice,
  startOrdersHub,
  submitOrder,
  syncEverything,
  waitForStatus,
} from './orders-test-support.js';
import { connectTestDb } from './posting-test-support.js';

/**
 * The posting lease (issue 14: no ERP call inside a held database lock): a posting attempt holds
 * a lease on its segment, not a row lock, while the ERP answers; a cancel that arrives meanwhile
 * is taken at once by the hub but reaches the ERP only once the lease has ended, so it can never
 * overtake a create still on its way.
 */
describe('posting lease (on-prem ERP)', () => {
  const demo = new DemoPicker();
  let hub: TestApp;
  let erp: pg.Pool;
  let db: pg.Client;
  let shop: Record<string, string>;
  let item: DemoItem;
  let customerNo: string;

  beforeAll(async () => {
    hub = await startOrdersHub();
    await syncEverything(hub);
    shop = await orderChannel(hub);
    db = await connectTestDb();
    const url = new URL(testDatabaseUrl());
    url.pathname = `${url.pathname}_erp`;
    erp = new pg.Pool({ connectionString: url.toString(), max: 2 });
    customerNo = demo.goodCustomers()[2].customerNo;
    const candidates = demo.items(
      (i) => i.status === 'ACTIVE' && i.fulfillmentType === 'STOCK' && !i.lotControlled,
    );
    for (const candidate of candidates.slice(20)) {
      const price = await quotedPrice(hub, shop, customerNo, candidate.sku, '1', candidate.baseUom);
      const atp = await availability(hub, shop, candidate.sku);
      if (price !== null && [...atp.values()].some((q) => q >= 10)) {
        item = candidate;
        break;
      }
    }
  }, 180_000);

  afterAll(async () => {
    await erp?.end();
    await db?.end();
    await hub?.close();
  });

  const erpStatus = async (orderNo: string): Promise<string | undefined> =>
    (
      await erp.query<{ status: string }>(
        `SELECT status FROM so_order_header WHERE order_no = $1`,
        [orderNo],
      )
    ).rows[0]?.status;

  it('holds a cancel back from the ERP while a posting attempt holds the lease, then cancels', async () => {
    const res = await submitOrder(hub, shop, {
      channelOrderRef: nextRef('LEASE'),
      customerId: customerNo,
      lines: [{ lineRef: '1', sku: item.sku, quantity: '1', uom: item.baseUom }],
    });
    expect(res.status).toBe(201);
    const posted = await waitForStatus(hub, shop, res.body.id, ['POSTED']);
    const erpOrderNo = posted.segments[0].erpOrderNumber as string;
    // An attempt talking to the ERP (a replay next to the job that already posted it).
    await db.query(
      `UPDATE ord_segment SET lease_id = $2, lease_expires_at = now() + interval '4 seconds'
        WHERE external_reference = $1`,
      [posted.segments[0].externalReference, randomUUID()],
    );

    const cancel = await fetch(`${hub.baseUrl}/v1/orders/${res.body.id}/cancel`, {
      method: 'POST',
      headers: { ...shop, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'changed their mind' }),
    });
    expect(cancel.status).toBe(200);
    expect(((await cancel.json()) as { status: string }).status).toBe('CANCELLED');

    // The cancel job runs at once, finds the lease and looks again later.
    await new Promise((r) => setTimeout(r, 2000));
    expect(await erpStatus(erpOrderNo)).not.toBe('CANCELLED');

    const until = Date.now() + 30_000;
    while (Date.now() < until && (await erpStatus(erpOrderNo)) !== 'CANCELLED') {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await erpStatus(erpOrderNo)).toBe('CANCELLED');
    const { rows } = await db.query<{ status: string }>(
      `SELECT status FROM ord_segment WHERE external_reference = $1`,
      [posted.segments[0].externalReference],
    );
    expect(rows[0].status).toBe('CANCELLED');
  }, 90_000);

  it('leaves no lease behind after posting', async () => {
    const res = await submitOrder(hub, shop, {
      channelOrderRef: nextRef('LEASE'),
      customerId: customerNo,
      lines: [{ lineRef: '1', sku: item.sku, quantity: '1', uom: item.baseUom }],
    });
    const posted = await waitForStatus(hub, shop, res.body.id, ['POSTED']);
    const { rows } = await db.query<{ lease_id: string | null }>(
      `SELECT lease_id FROM ord_segment WHERE external_reference = $1`,
      [posted.segments[0].externalReference],
    );
    expect(rows[0].lease_id).toBeNull();
  }, 60_000);
});
