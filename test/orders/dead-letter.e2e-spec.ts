import { type CloudErpSandbox, startCloudErpSandbox } from '../../src/sandbox/cloud-erp/index.js';
import { POSTING_FAILED_EXCEPTION } from '../../src/modules/orders/index.js';
import { cloudErpEnv } from '../adapters/erp-adapter-test-support.js';
import { bearer, createTestChannel } from '../support/channels.js';
import type { TestApp } from '../support/test-app.js';
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

/**
 * Dead letter and replay, through the cloud adapter: the ERP refuses an order the hub accepted
 * (the item was blocked in the ERP after the last sync), the posting lands in the exception queue
 * with what operations need, an operator corrects the document and replays it, and the ERP ends
 * up with exactly one order for the segment.
 */
describe('ERP rejection → exception queue → corrected replay (cloud sandbox)', () => {
  // A small ERP: the sandbox syncs into the hub in a second or two.
  const demo = new DemoPicker(0.2);
  let sandbox: CloudErpSandbox;
  let hub: TestApp;
  let shop: Record<string, string>;
  let ops: Record<string, string>;

  beforeAll(async () => {
    sandbox = await startCloudErpSandbox({ dataset: demo.dataset });
    hub = await startOrdersHub(cloudErpEnv(sandbox, { CLOUD_ERP_RATE_LIMIT: '1000000' }));
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
  }, 120_000);

  afterAll(async () => {
    await hub?.close();
    await sandbox?.close();
  });

  const ordersInErp = (ref: string) =>
    sandbox.store.tables.salesOrders.sorted().filter((o) => o.data.externalDocumentNumber === ref);

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

  it('dead-letters a rejected posting with payload, error and correlation id; a corrected replay posts it once', async () => {
    const customer = demo.goodCustomers()[0];
    const [blocked, replacement] = demo
      .items(
        (i) => i.status === 'ACTIVE' && i.fulfillmentType === 'STOCK' && i.substitutes.length === 0,
      )
      .slice(0, 2);
    const price = await quotedPrice(
      hub,
      shop,
      customer.customerNo,
      blocked.sku,
      '1',
      blocked.baseUom,
    );
    const replacementPrice = await quotedPrice(
      hub,
      shop,
      customer.customerNo,
      replacement.sku,
      '1',
      replacement.baseUom,
    );
    expect(price).not.toBeNull();
    expect(replacementPrice).not.toBeNull();
    // Blocked in the ERP after the hub's last sync: the hub still sells it, the ERP refuses it.
    sandbox.store.mutate('items', blocked.sku, { status: 'BLOCKED' });

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
        customerId: customer.customerNo,
        lines: [{ lineRef: '1', sku: blocked.sku, quantity: '1', uom: blocked.baseUom }],
      }),
    });
    expect(res.status).toBe(201);
    const order = (await res.json()) as { id: string; segments: { externalReference: string }[] };
    const ref = order.segments[0].externalReference;

    const failed = await waitForStatus(hub, shop, order.id, ['FAILED']);
    expect(failed.segments[0].status).toBe('FAILED');
    expect(failed.segments[0].erpErrors.join(' ')).toContain('Blocked');
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
    expect(ordersInErp(ref)).toHaveLength(0);

    // A corrected document must keep its external reference: that is what keeps it exactly-once.
    const tampered = await fetch(`${hub.baseUrl}/v1/ops/exceptions/${exception.id}/replay`, {
      method: 'POST',
      headers: { ...ops, 'content-type': 'application/json' },
      body: JSON.stringify({ payload: { orderId: order.id }, reason: 'bad' }),
    });
    expect(tampered.status).toBe(400);

    const corrected = {
      ...exception.payload,
      document: {
        ...exception.payload.document,
        lines: exception.payload.document.lines.map((l) => ({
          ...l,
          sku: replacement.sku,
          uom: replacement.baseUom,
          unitPrice: replacementPrice,
        })),
      },
    };
    const replay = await fetch(`${hub.baseUrl}/v1/ops/exceptions/${exception.id}/replay`, {
      method: 'POST',
      headers: { ...ops, 'content-type': 'application/json' },
      body: JSON.stringify({ payload: corrected, reason: 'item blocked in the ERP: substituted' }),
    });
    expect(replay.status).toBe(202);
    const posted = await waitForStatus(hub, shop, order.id, ['POSTED']);
    expect(posted.segments[0].erpOrderNumber).not.toBeNull();
    const inErp = ordersInErp(ref);
    expect(inErp).toHaveLength(1);
    const erpLines = inErp[0].data.lineIds.map(
      (id) => sandbox.store.tables.salesOrderLines.get(id)?.data,
    );
    expect(erpLines.map((l) => l?.lineObjectNumber)).toEqual([replacement.sku]);

    // Replaying again is refused (the record is no longer open): still one ERP order.
    const twice = await fetch(`${hub.baseUrl}/v1/ops/exceptions/${exception.id}/replay`, {
      method: 'POST',
      headers: { ...ops, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(twice.status).toBe(409);
    expect(ordersInErp(ref)).toHaveLength(1);
  }, 90_000);
});
