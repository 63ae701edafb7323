import type { DemoCustomer, DemoItem } from '../../src/adapters/erp/demo-data/index.js';
import type { TestApp } from '../support/test-app.js';
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

interface Stocked {
  item: DemoItem;
  price: string;
  atp: Map<string, number>;
}

describe('order capture and posting through the on-prem ERP (real HTTP, real PostgreSQL)', () => {
  const demo = new DemoPicker();
  let hub: TestApp;
  let shop: Record<string, string>;
  let customer: DemoCustomer;
  const stocked: Stocked[] = [];

  beforeAll(async () => {
    hub = await startOrdersHub();
    await syncEverything(hub);
    shop = await orderChannel(hub, 'ecommerce');
    customer = demo.goodCustomers()[0];
    for (const item of demo.items((i) => i.status === 'ACTIVE' && i.fulfillmentType === 'STOCK')) {
      if (stocked.length >= 6) break;
      const price = await quotedPrice(hub, shop, customer.customerNo, item.sku, '1', item.baseUom);
      if (price === null) continue;
      const atp = await availability(hub, shop, item.sku);
      if ([...atp.values()].some((q) => q >= 20)) stocked.push({ item, price, atp });
    }
    if (stocked.length < 3) throw new Error('not enough priced, stocked demo items');
  }, 120_000);

  afterAll(async () => {
    await hub?.close();
  });

  it('captures an order (201), posts it to the ERP once and reports the ERP order number', async () => {
    const [a, b] = stocked;
    const res = await submitOrder(hub, shop, {
      channelOrderRef: nextRef('WEB'),
      customerId: customer.customerNo,
      poNumber: 'PO-1',
      lines: [
        {
          lineRef: '1',
          sku: a.item.sku,
          quantity: '2',
          uom: a.item.baseUom,
          expectedUnitPrice: a.price,
        },
        { lineRef: '2', sku: b.item.sku, quantity: '1', uom: b.item.baseUom },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('ACCEPTED');
    expect(res.headers.get('location')).toBe(`/v1/orders/${res.body.id}`);
    expect(res.body.lines[0]).toMatchObject({ sku: a.item.sku, unitPrice: a.price });
    const posted = await waitForStatus(hub, shop, res.body.id, ['POSTED', 'FAILED']);
    expect(posted.status).toBe('POSTED');
    for (const s of posted.segments) {
      expect(s.status).toBe('POSTED');
      expect(s.erpOrderNumber).toMatch(/^SO\d+/);
    }
    const again = await getOrder(hub, shop, res.body.id);
    expect(again.body.segments.map((s) => s.externalReference)).toEqual(
      posted.segments.map((s) => s.externalReference),
    );
  }, 60_000);
});
