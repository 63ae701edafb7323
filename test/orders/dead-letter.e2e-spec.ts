import pg from 'pg';
import {
  type CloudErpSandbox,
  startCloudErpSandbox,
} from '../../src/erp-simulators/cloud/index.js';
import { POSTING_FAILED_EXCEPTION } from '../../src/modules/orders/index.js';
import { cloudErpEnv } from '../adapters/erp-adapter-test-support.js';
import { bearer, createTestChannel } from '../support/channels.js';
import { type TestApp, testDatabaseUrl } from '../support/test-app.js';
import {
  DemoPicker,
  nextRef,
  orderChannel,
  quotedPrice,
  startOrdersHub,
  syncEverything,
  waitForStatus,
} from './orders-test-support.js';

interface ExceptionBody {
  id: string;
  type: string;
  status: string;
  source: string;
  reference: string | null;
  attempts: number;
  correlationId: string | null;
  error: { code?: string; message: string };
  payload: {
    orderId: string;
    segmentId: string;
    document: {
      externalReference: string;
      lines: { sku: string; uom: string; unitPrice: string }[];
    };
  };
}

/** One ERP as the test needs it: the hub bound to it, and the ERP-side levers. */
interface ErpUnderTest {
  demo: DemoPicker;
  hub: TestApp;
  /** Blocks (or unblocks) an item in the ERP itself, behind the hub's back. */
  setBlocked(sku: string, blocked: boolean): Promise<void>;
  /** The ERP's sales orders for an external reference, with the items of their lines. */
  ordersInErp(ref: string): Promise<{ skus: string[] }[]>;
  close(): Promise<void>;
}

async function cloudErp(): Promise<ErpUnderTest> {
  // A small ERP: the sandbox syncs into the hub in a second or two.
  const demo = new DemoPicker(0.2);
  const sandbox: CloudErpSandbox = await startCloudErpSandbox({ dataset: demo.dataset });
  const hub = await startOrdersHub(cloudErpEnv(sandbox, { CLOUD_ERP_RATE_LIMIT: '1000000' }));
  return {
    demo,
    hub,
    setBlocked: (sku, blocked) => {
      sandbox.store.mutate('items', sku, { status: blocked ? 'BLOCKED' : 'ACTIVE' });
      return Promise.resolve();
    },
    ordersInErp: (ref) =>
      Promise.resolve(
        sandbox.store.tables.salesOrders
          .sorted()
          .filter((o) => o.data.externalDocumentNumber === ref)
          .map((o) => ({
            skus: o.data.lineIds.map(
              (id) => sandbox.store.tables.salesOrderLines.get(id)?.data.lineObjectNumber ?? '',
            ),
          })),
      ),
    close: async () => {
      await hub.close();
      await sandbox.close();
    },
  };
}

async function onPremErp(): Promise<ErpUnderTest> {
  // The embedded demo ERP database (`<hub database>_erp`) with its simulated import job.
  const demo = new DemoPicker();
  const hub = await startOrdersHub();
  const url = new URL(testDatabaseUrl());
  url.pathname = `${url.pathname}_erp`;
  const erp = new pg.Pool({ connectionString: url.toString(), max: 2 });
  return {
    demo,
    hub,
    setBlocked: async (sku, blocked) => {
      await erp.query(`UPDATE in_item SET status = $2 WHERE item_no = $1`, [
        sku,
        blocked ? 'BLOCKED' : 'ACTIVE',
      ]);
    },
    ordersInErp: async (ref) => {
      const { rows } = await erp.query<{ skus: string[] }>(
        `SELECT array_agg(l.item_no ORDER BY l.line_no) AS skus
           FROM so_order_header h JOIN so_order_line l ON l.order_no = h.order_no
          WHERE h.external_reference = $1
          GROUP BY h.order_no`,
        [ref],
      );
      return rows;
    },
    close: async () => {
      await erp.end();
      await hub.close();
    },
  };
}

/**
 * Dead letter and replay, through each ERP adapter: the ERP refuses an order the hub accepted
 * (the item was blocked in the ERP after the last sync; on-prem the ERP's own import job writes
 * the rejection later), the posting lands in the exception queue at once with what operations
 * need, and a replay after the fix (a corrected document, or the item unblocked in the ERP) ends
 * with exactly one ERP order for the segment.
 */
describe.each([
  ['cloud sandbox', cloudErp],
  ['on-prem ERP database', onPremErp],
] as const)('ERP rejection → exception queue → replay (%s)', (_name, startErp) => {
  let erp: ErpUnderTest;
  let hub: TestApp;
  let shop: Record<string, string>;
  let ops: Record<string, string>;
  const blockedInErp = new Set<string>();

  beforeAll(async () => {
    erp = await startErp();
    hub = erp.hub;
    await syncEverything(hub);
    shop = await orderChannel(hub);
    ops = bearer(
      (
        await createTestChannel(hub.app, {
          kind: 'operations',
          scopes: ['ops:admin', 'orders:read'],
        })
      ).apiKey,
    );
  }, 240_000);

  afterAll(async () => {
    // The demo ERP database outlives this suite: leave its items as they were.
    for (const sku of blockedInErp) await erp?.setBlocked(sku, false);
    await erp?.close();
  });

  async function openException(orderRef: string): Promise<ExceptionBody> {
    const until = Date.now() + 30_000;
    while (Date.now() < until) {
      const res = await fetch(
        `${hub.baseUrl}/v1/ops/exceptions?type=${POSTING_FAILED_EXCEPTION}&status=open&limit=200`,
        { headers: ops },
      );
      const page = (await res.json()) as { items: ExceptionBody[] };
      const found = page.items.find((e) => e.payload?.document?.externalReference === orderRef);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`no open exception for ${orderRef}`);
  }

  /** Two sellable, priced stock items (the second replaces the first); distinct per test. */
  let itemsUsed = 0;
  async function pickItems(customerNo: string) {
    const candidates = erp.demo.items(
      (i) => i.status === 'ACTIVE' && i.fulfillmentType === 'STOCK' && i.substitutes.length === 0,
    );
    const picked: { sku: string; baseUom: string; price: string }[] = [];
    for (const item of candidates.slice(itemsUsed)) {
      itemsUsed += 1;
      const price = await quotedPrice(hub, shop, customerNo, item.sku, '1', item.baseUom);
      if (price !== null) picked.push({ sku: item.sku, baseUom: item.baseUom, price });
      if (picked.length === 2) break;
    }
    if (picked.length < 2) throw new Error('not enough priced stock items in the demo dataset');
    return picked as [(typeof picked)[0], (typeof picked)[0]];
  }

  /** Orders one of `sku` after blocking it in the ERP; waits for the dead letter. */
  async function rejectedOrder(customerNo: string, item: { sku: string; baseUom: string }) {
    // Blocked in the ERP after the hub's last sync: the hub still sells it, the ERP refuses it.
    await erp.setBlocked(item.sku, true);
    blockedInErp.add(item.sku);
    const correlationId = `dlq-${nextRef()}`;
    const res = await fetch(`${hub.baseUrl}/v1/orders`, {
      method: 'POST',
      headers: {
        ...shop,
        'content-type': 'application/json',
        'idempotency-key': nextRef('key'),
        'x-correlation-id': correlationId,
      },
      body: JSON.stringify({
        channelOrderRef: nextRef('DLQ'),
        customerId: customerNo,
        lines: [{ lineRef: '1', sku: item.sku, quantity: '1', uom: item.baseUom }],
      }),
    });
    expect(res.status).toBe(201);
    const order = (await res.json()) as { id: string; segments: { externalReference: string }[] };
    const ref = order.segments[0].externalReference;

    const failed = await waitForStatus(hub, shop, order.id, ['FAILED']);
    expect(failed.segments[0].status).toBe('FAILED');
    expect(failed.segments[0].erpErrors.join(' ')).toMatch(/blocked/i);
    const exception = await openException(ref);
    expect(exception).toMatchObject({
      type: POSTING_FAILED_EXCEPTION,
      source: 'orders.post-segment',
      reference: ref,
      correlationId,
      attempts: 1,
      error: { code: 'ERP_REJECTED' },
      payload: { orderId: order.id, segmentId: expect.any(String) },
    });
    expect(exception.error.message).toMatch(/blocked/i);
    expect(await erp.ordersInErp(ref)).toHaveLength(0);
    return { order, ref, exception };
  }

  async function replay(id: string, body: Record<string, unknown>): Promise<Response> {
    return fetch(`${hub.baseUrl}/v1/ops/exceptions/${id}/replay`, {
      method: 'POST',
      headers: { ...ops, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  it('dead-letters a rejected posting with payload, error and correlation id; a corrected replay posts it once', async () => {
    const customer = erp.demo.goodCustomers()[0];
    const [blocked, replacement] = await pickItems(customer.customerNo);
    const { order, ref, exception } = await rejectedOrder(customer.customerNo, blocked);

    // A corrected document must keep its external reference: that is what keeps it exactly-once.
    const tampered = await replay(exception.id, { payload: { orderId: order.id }, reason: 'bad' });
    expect(tampered.status).toBe(400);

    const corrected = {
      ...exception.payload,
      document: {
        ...exception.payload.document,
        lines: exception.payload.document.lines.map((l) => ({
          ...l,
          sku: replacement.sku,
          uom: replacement.baseUom,
          unitPrice: replacement.price,
        })),
      },
    };
    const replayed = await replay(exception.id, {
      payload: corrected,
      reason: 'item blocked in the ERP: substituted',
    });
    expect(replayed.status).toBe(202);
    const posted = await waitForStatus(hub, shop, order.id, ['POSTED']);
    expect(posted.segments[0].erpOrderNumber).not.toBeNull();
    expect(await erp.ordersInErp(ref)).toEqual([{ skus: [replacement.sku] }]);

    // Replaying again is refused (the record is no longer open): still one ERP order.
    const twice = await replay(exception.id, {});
    expect(twice.status).toBe(409);
    expect(await erp.ordersInErp(ref)).toHaveLength(1);
  }, 90_000);

  it('posts the recorded document once when it is replayed after the item was unblocked in the ERP', async () => {
    const customer = erp.demo.goodCustomers()[0];
    const [blocked] = await pickItems(customer.customerNo);
    const { order, ref, exception } = await rejectedOrder(customer.customerNo, blocked);

    await erp.setBlocked(blocked.sku, false);
    blockedInErp.delete(blocked.sku);
    const replayed = await replay(exception.id, { reason: 'item unblocked in the ERP' });
    expect(replayed.status).toBe(202);
    const posted = await waitForStatus(hub, shop, order.id, ['POSTED']);
    expect(posted.segments[0].erpOrderNumber).not.toBeNull();
    expect(posted.segments[0].erpErrors).toEqual([]);
    expect(await erp.ordersInErp(ref)).toEqual([{ skus: [blocked.sku] }]);
  }, 90_000);
});
