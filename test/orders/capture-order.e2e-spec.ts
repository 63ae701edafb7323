import pg from 'pg';
import type { DemoCustomer, DemoItem } from '../../src/erp-simulators/demo-data/index.js';
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

interface Stocked {
  item: DemoItem;
  price: string;
  atp: Map<string, number>;
}

describe('order capture and posting through the on-prem ERP (real HTTP, real PostgreSQL)', () => {
  const demo = new DemoPicker();
  let hub: TestApp;
  let erp: pg.Pool;
  let shop: Record<string, string>;
  let otherShop: Record<string, string>;
  let marketplace: Record<string, string>;
  let edi: Record<string, string>;
  let ops: Record<string, string>;
  let dropShip: { item: DemoItem; price: string };
  let customer: DemoCustomer;
  const stocked: Stocked[] = [];

  beforeAll(async () => {
    hub = await startOrdersHub({ ORDERS_POLICY_FILE: 'test/orders/fixtures/order-policies.yaml' });
    await syncEverything(hub);
    shop = await orderChannel(hub, 'ecommerce');
    otherShop = await orderChannel(hub, 'ecommerce');
    marketplace = await orderChannel(hub, 'marketplace');
    edi = await orderChannel(hub, 'edi');
    ops = bearer(
      (
        await createTestChannel(hub.app, {
          kind: 'operations',
          scopes: ['ops:admin', 'orders:read', 'orders:write'],
        })
      ).apiKey,
    );
    const url = new URL(testDatabaseUrl());
    url.pathname = `${url.pathname}_erp`;
    erp = new pg.Pool({ connectionString: url.toString(), max: 2 });
    customer = demo.goodCustomers()[0];
    for (const item of demo.items((i) => i.status === 'ACTIVE' && i.fulfillmentType === 'STOCK')) {
      if (stocked.length >= 6) break;
      const price = await quotedPrice(hub, shop, customer.customerNo, item.sku, '1', item.baseUom);
      if (price === null) continue;
      const atp = await availability(hub, shop, item.sku);
      if ([...atp.values()].some((q) => q >= 20)) stocked.push({ item, price, atp });
    }
    if (stocked.length < 3) throw new Error('not enough priced, stocked demo items');
    for (const item of demo.items(
      (i) => i.status === 'ACTIVE' && i.fulfillmentType === 'DROP_SHIP',
    )) {
      const price = await quotedPrice(hub, shop, customer.customerNo, item.sku, '1', item.baseUom);
      if (price !== null) {
        dropShip = { item, price };
        break;
      }
    }
  }, 120_000);

  afterAll(async () => {
    await erp?.end();
    await hub?.close();
  });

  const line = (
    s: Stocked | { item: DemoItem },
    quantity = '1',
    extra: Record<string, unknown> = {},
  ) => ({
    lineRef: `L-${s.item.sku}`,
    sku: s.item.sku,
    quantity,
    uom: s.item.baseUom,
    ...extra,
  });
  const order = (lines: unknown[], extra: Record<string, unknown> = {}) => ({
    channelOrderRef: nextRef('WEB'),
    customerId: customer.customerNo,
    lines,
    ...extra,
  });
  const codes = (body: { violations?: { code: string }[] }) =>
    (body.violations ?? []).map((v) => v.code).sort();

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
    // What capture answered is what the order reads back as (amounts, quantities, references).
    const read = await getOrder(hub, shop, res.body.id);
    expect(read.body.lines).toEqual(res.body.lines);
    expect(read.body.total).toBe(res.body.total);
    expect(read.body.segments.map((s) => s.externalReference)).toEqual(
      res.body.segments.map((s) => s.externalReference),
    );
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

  it('splits stocked and drop-ship lines into two ERP orders, each with its lines, prices and warehouse', async () => {
    const a = stocked[2];
    const res = await submitOrder(
      hub,
      shop,
      order([line(a, '3'), line(dropShip, '2')], { poNumber: 'PO-SPLIT' }),
    );
    expect(res.status).toBe(201);
    expect(res.body.segments.map((s) => s.kind).sort()).toEqual(['DROP_SHIP', 'STOCK']);
    const drop = res.body.lines.find((l) => l.sku === dropShip.item.sku);
    expect(drop).toMatchObject({
      fulfillmentType: 'DROP_SHIP',
      warehouse: null,
      supplierId: dropShip.item.supplierNo,
    });
    const posted = await waitForStatus(hub, shop, res.body.id, ['POSTED', 'FAILED']);
    expect(posted.status).toBe('POSTED');
    for (const segment of posted.segments) {
      const header = await erp.query(
        `SELECT order_no, customer_no, customer_po, warehouse_code FROM so_order_header WHERE external_reference = $1`,
        [segment.externalReference],
      );
      expect(header.rows).toHaveLength(1);
      expect(header.rows[0]).toMatchObject({
        order_no: segment.erpOrderNumber,
        customer_no: customer.customerNo,
        customer_po: 'PO-SPLIT',
      });
      const lines = await erp.query(
        `SELECT item_no, uom_code, quantity::text AS quantity, unit_price::text AS unit_price, warehouse_code, fulfillment_type
           FROM so_order_line WHERE order_no = $1 ORDER BY line_no`,
        [segment.erpOrderNumber],
      );
      const hubLines = posted.lines.filter((l) => l.segmentNo === segment.segmentNo);
      expect(
        lines.rows.map((r: Record<string, string>) => [
          r.item_no,
          r.uom_code,
          Number(r.quantity),
          Number(r.unit_price),
        ]),
      ).toEqual(hubLines.map((l) => [l.sku, l.uom, Number(l.quantity), Number(l.unitPrice)]));
      if (segment.kind === 'STOCK') expect(lines.rows[0].warehouse_code).toBe(segment.warehouse);
      else expect(lines.rows[0].fulfillment_type).toBe('DROP_SHIP');
    }
  }, 60_000);

  it('reports every line violation at once with stable codes, substitutes suggested, and stores nothing (422)', async () => {
    const sellable = stocked[0];
    const discontinued = demo.items(
      (i) => i.status === 'DISCONTINUED' && i.substitutes.length > 0,
    )[0];
    const ref = nextRef('BAD');
    const res = await submitOrder(hub, shop, {
      channelOrderRef: ref,
      customerId: customer.customerNo,
      shipToId: 'NO-SUCH-SHIP-TO',
      lines: [
        { lineRef: '1', sku: 'NO-SUCH-SKU', quantity: '1', uom: 'EA' },
        { lineRef: '2', sku: discontinued.sku, quantity: '1', uom: discontinued.baseUom },
        { lineRef: '3', sku: sellable.item.sku, quantity: '1', uom: 'FURLONG' },
      ],
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('ORDER_REJECTED');
    expect(codes(res.body)).toEqual([
      'ITEM_NOT_FOUND',
      'ITEM_NOT_SELLABLE',
      'SHIP_TO_INVALID',
      'UOM_NOT_CONVERTIBLE',
    ]);
    expect(res.body.violations).toContainEqual(
      expect.objectContaining({ code: 'UOM_NOT_CONVERTIBLE', field: 'lines[2].uom' }),
    );
    expect(res.body.substitutes).toEqual([
      { field: 'lines[1].sku', substitutes: discontinued.substitutes.map((s) => s.sku) },
    ]);
    const list = await fetch(`${hub.baseUrl}/v1/orders?channelOrderRef=${ref}`, { headers: shop });
    expect(((await list.json()) as { items: unknown[] }).items).toEqual([]);
  });

  it('rejects an unknown customer (CUSTOMER_NOT_FOUND) and bad request shapes with every field named', async () => {
    const unknown = await submitOrder(
      hub,
      shop,
      order([line(stocked[0])], { customerId: 'C-NOPE' }),
    );
    expect(unknown.status).toBe(422);
    expect(codes(unknown.body)).toEqual(['CUSTOMER_NOT_FOUND']);
    const bad = await submitOrder(hub, shop, {
      channelOrderRef: '',
      customerId: customer.customerNo,
      shipToId: 'A',
      shipToAddress: { name: 'x', addressLine1: 'y', city: 'z', postalCode: '1', country: 'US' },
      lines: [
        { lineRef: '1', sku: 'A', quantity: '-1', uom: 'EA' },
        { lineRef: '1', sku: 'B', quantity: '1.5', uom: 'EA', expectedUnitPrice: 'cheap' },
      ],
      surprise: true,
    });
    expect(bad.status).toBe(400);
    expect((bad.body.violations ?? []).map((v) => v.field).sort()).toEqual(
      expect.arrayContaining([
        'channelOrderRef',
        'lines',
        'lines[0].quantity',
        'lines[1].expectedUnitPrice',
        'shipToId',
        'surprise',
      ]),
    );
  });

  it('holds customers the ERP has inactive, blocked, without tax data or over credit (202 ON_HOLD, default policy)', async () => {
    const cases: [DemoCustomer, string][] = [
      [
        demo.customer((c) => c.status === 'INACTIVE' && c.currencyCode === 'USD'),
        'CUSTOMER_INACTIVE',
      ],
      [
        demo.customer((c) => c.status === 'BLOCKED' && c.currencyCode === 'USD'),
        'CUSTOMER_BLOCKED',
      ],
      [
        demo.customer(
          (c) =>
            c.status === 'ACTIVE' &&
            c.taxAreaCode === null &&
            c.taxExemptionNo === null &&
            c.currencyCode === 'USD',
        ),
        'TAX_ATTRIBUTES_MISSING',
      ],
      [
        demo.customer(
          (c) =>
            c.status === 'ACTIVE' &&
            c.taxAreaCode !== null &&
            c.parentCustomerNo === null &&
            c.currencyCode === 'USD' &&
            Number(c.balanceDue) > Number(c.creditLimit),
        ),
        'CREDIT_LIMIT_EXCEEDED',
      ],
    ];
    for (const [who, code] of cases) {
      const res = await submitOrder(
        hub,
        shop,
        order([line(stocked[0])], { customerId: who.customerNo }),
      );
      expect({ customer: who.customerNo, status: res.status, body: res.body.status }).toEqual({
        customer: who.customerNo,
        status: 202,
        body: 'ON_HOLD',
      });
      expect(res.body.holds.map((h) => h.code)).toContain(code);
      expect(res.body.segments.every((s) => s.status === 'HELD')).toBe(true);
    }
  });

  it('applies the channel policy to a price mismatch: hold (web shop), reprice and report (marketplace)', async () => {
    const a = stocked[1];
    const wrong = (Number(a.price) + 1).toFixed(4);
    const held = await submitOrder(hub, shop, order([line(a, '1', { expectedUnitPrice: wrong })]));
    expect(held.status).toBe(202);
    expect(held.body.holds).toEqual([
      expect.objectContaining({ code: 'PRICE_MISMATCH', field: 'lines[0].expectedUnitPrice' }),
    ]);

    const adjusted = await submitOrder(
      hub,
      marketplace,
      order([line(a, '1', { expectedUnitPrice: wrong })]),
    );
    expect(adjusted.status).toBe(201);
    expect(adjusted.body.adjustments).toEqual([
      expect.objectContaining({ code: 'PRICE_MISMATCH', from: wrong, to: a.price }),
    ]);
    expect(adjusted.body.lines[0]).toMatchObject({ unitPrice: a.price, expectedUnitPrice: wrong });
  });

  it('backorders the short quantity (INSUFFICIENT_AVAILABILITY adjusted) and reserves the rest', async () => {
    const a = stocked[3] ?? stocked[0];
    const atp = await availability(hub, shop, a.item.sku);
    const total = [...atp.values()].reduce((s, q) => s + q, 0);
    const res = await submitOrder(hub, shop, order([line(a, String(Math.floor(total) + 50))]));
    expect(res.status).toBe(201);
    expect(res.body.adjustments).toEqual([
      expect.objectContaining({ code: 'INSUFFICIENT_AVAILABILITY' }),
    ]);
    const l = res.body.lines[0];
    expect(Number(l.backorderedQuantity)).toBeGreaterThan(0);
    expect(Number(l.reservedQuantity) + Number(l.backorderedQuantity)).toBe(Number(l.quantity));
  });

  it('refuses the same channelOrderRef under another Idempotency-Key (409 with a link) and replays the same key', async () => {
    const body = order([line(stocked[0])]);
    const first = await submitOrder(hub, shop, body, 'dup-key-1-' + body.channelOrderRef);
    expect(first.status).toBe(201);
    const replay = await submitOrder(hub, shop, body, 'dup-key-1-' + body.channelOrderRef);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(first.body.id);
    const second = await submitOrder(hub, shop, body, 'dup-key-2-' + body.channelOrderRef);
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'ORDER_ALREADY_EXISTS', orderId: first.body.id });
    expect(second.headers.get('location')).toBe(`/v1/orders/${first.body.id}`);
    // Another channel may use the same reference: the business key is per channel.
    const other = await submitOrder(hub, otherShop, body);
    expect(other.status).toBe(201);
  });

  it("keeps channels apart: another channel's order is 404 to read, cancel and list", async () => {
    const res = await submitOrder(hub, shop, order([line(stocked[0])]));
    expect((await getOrder(hub, otherShop, res.body.id)).status).toBe(404);
    const cancel = await fetch(`${hub.baseUrl}/v1/orders/${res.body.id}/cancel`, {
      method: 'POST',
      headers: { ...otherShop, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(cancel.status).toBe(404);
    const list = (await (
      await fetch(`${hub.baseUrl}/v1/orders?limit=200`, { headers: otherShop })
    ).json()) as {
      items: { id: string }[];
    };
    expect(list.items.map((o) => o.id)).not.toContain(res.body.id);
    const release = await fetch(`${hub.baseUrl}/v1/orders/${res.body.id}/release`, {
      method: 'POST',
      headers: { ...shop, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'mine' }),
    });
    expect(release.status).toBe(403);
    expect((await getOrder(hub, ops, res.body.id)).status).toBe(200);
  });

  it('cancels an order before posting (stock released) and a posted one in the ERP, idempotently', async () => {
    const a = stocked[0];
    const res = await submitOrder(hub, shop, order([line(a, '2')]));
    const posted = await waitForStatus(hub, shop, res.body.id, ['POSTED']);
    const cancel = async () =>
      fetch(`${hub.baseUrl}/v1/orders/${res.body.id}/cancel`, {
        method: 'POST',
        headers: { ...shop, 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'customer changed their mind' }),
      });
    const first = await cancel();
    expect(first.status).toBe(200);
    expect(((await first.json()) as { status: string }).status).toBe('CANCELLED');
    const again = await cancel();
    expect(again.status).toBe(200);
    const erpOrderNo = posted.segments[0].erpOrderNumber;
    const until = Date.now() + 20_000;
    let status = '';
    while (Date.now() < until) {
      const row = await erp.query(`SELECT status FROM so_order_header WHERE order_no = $1`, [
        erpOrderNo,
      ]);
      status = (row.rows[0] as { status: string }).status;
      if (status === 'CANCELLED') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe('CANCELLED');
    const done = await waitForStatus(hub, shop, res.body.id, ['CANCELLED']);
    expect(done.segments[0].status).toBe('CANCELLED');
  }, 60_000);

  it('releases a held order after re-validation: refused while the hold applies, then posted with override', async () => {
    const a = stocked[1];
    const held = await submitOrder(
      hub,
      shop,
      order([line(a, '1', { expectedUnitPrice: (Number(a.price) + 2).toFixed(4) })]),
    );
    expect(held.body.status).toBe('ON_HOLD');
    const release = (override: boolean) =>
      fetch(`${hub.baseUrl}/v1/orders/${held.body.id}/release`, {
        method: 'POST',
        headers: { ...ops, 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'price agreed with the buyer', override }),
      });
    const refused = await release(false);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { code: string }).code).toBe('ORDER_HOLD_STILL_APPLIES');
    const released = await release(true);
    expect(released.status).toBe(200);
    expect(((await released.json()) as { status: string }).status).toBe('ACCEPTED');
    const posted = await waitForStatus(hub, shop, held.body.id, ['POSTED', 'FAILED']);
    expect(posted.status).toBe('POSTED');
    expect((await release(true)).status).toBe(409);
  }, 60_000);

  it('rejects instead of holding where the channel policy says so (strict EDI kind), storing nothing', async () => {
    const overCredit = demo.customer(
      (c) =>
        c.status === 'ACTIVE' &&
        c.taxAreaCode !== null &&
        c.parentCustomerNo === null &&
        c.currencyCode === 'USD' &&
        Number(c.balanceDue) > Number(c.creditLimit),
    );
    const a = stocked[1];
    const res = await submitOrder(
      hub,
      edi,
      order([line(a, '1', { expectedUnitPrice: (Number(a.price) + 1).toFixed(4) })], {
        customerId: overCredit.customerNo,
      }),
    );
    expect(res.status).toBe(422);
    expect(codes(res.body)).toEqual(['CREDIT_LIMIT_EXCEEDED', 'PRICE_MISMATCH']);
  });

  it('cancels a held order at once: never sent to the ERP, its stock reservation released', async () => {
    const a = stocked[0];
    const held = await submitOrder(
      hub,
      shop,
      order([line(a, '2', { expectedUnitPrice: (Number(a.price) + 3).toFixed(4) })]),
    );
    expect(held.body.status).toBe('ON_HOLD');
    const reservations = async () =>
      (
        (await (
          await fetch(`${hub.baseUrl}/v1/inventory/reservations?orderId=${held.body.id}`, {
            headers: ops,
          })
        ).json()) as { items: { status: string }[] }
      ).items.map((r) => r.status);
    expect(await reservations()).toEqual(['ACTIVE']);
    const res = await fetch(`${hub.baseUrl}/v1/orders/${held.body.id}/cancel`, {
      method: 'POST',
      headers: shop,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; segments: { status: string }[] };
    expect(body.status).toBe('CANCELLED');
    expect(body.segments.map((s) => s.status)).toEqual(['CANCELLED']);
    expect(await reservations()).toEqual(['RELEASED']);
  });
});
