import type { DemoCustomer, DemoItem } from '../../src/erp-simulators/demo-data/index.js';
import { DataSource } from 'typeorm';
import type { Scope } from '../../src/platform/auth/index.js';
import { bearer, createTestChannel } from '../support/channels.js';
import type { TestApp } from '../support/test-app.js';
import {
  DemoPicker,
  nextRef,
  quotedPrice,
  startOrdersHub,
  submitOrder,
  syncEverything,
} from '../orders/orders-test-support.js';

interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  violations?: { code: string; field: string; message: string }[];
}

const CHANNEL_SCOPES: Scope[] = [
  'orders:write',
  'orders:read',
  'pricing:read',
  'inventory:read',
  'master-data:read',
  'master-data:write',
];

/** Customer scopes: a channel reads, quotes and orders only for its customers (issue 12, defect 4). */
describe('customers scoped to channels (real HTTP, real PostgreSQL)', () => {
  const demo = new DemoPicker();
  let hub: TestApp;
  /** A parent account with child accounts, all good for orders. */
  let parent: DemoCustomer;
  let children: DemoCustomer[];
  /** A good customer outside that hierarchy. */
  let foreign: DemoCustomer;
  let item: DemoItem;
  let shop: { id: string; auth: Record<string, string> };
  let partner: { id: string; auth: Record<string, string> };
  let crm: Record<string, string>;
  let ops: Record<string, string>;

  const url = (path: string): string => `${hub.baseUrl}${path}`;
  const get = (auth: Record<string, string>, path: string): Promise<Response> =>
    fetch(url(path), { headers: auth });
  const send = (
    auth: Record<string, string>,
    method: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<Response> =>
    fetch(url(path), {
      method,
      headers: {
        ...auth,
        ...extra,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const quote = (auth: Record<string, string>, customerId: string): Promise<Response> =>
    send(auth, 'POST', '/v1/pricing/quotes', {
      customerId,
      lines: [{ sku: item.sku, quantity: '1', uom: item.baseUom }],
    });
  const orderFor = (customerId: string) => ({
    channelOrderRef: nextRef('SCOPE'),
    customerId,
    lines: [{ lineRef: '1', sku: item.sku, quantity: '1', uom: item.baseUom }],
  });
  /** A problem body with the customer number taken out of its texts, to compare two answers. */
  const masked = (body: Problem, customerId: string): unknown =>
    JSON.parse(JSON.stringify(body).split(customerId).join('<customer>')) as unknown;
  const withoutCorrelation = ({
    correlationId: _c,
    instance: _i,
    ...rest
  }: Problem & { correlationId?: string; instance?: string }): Problem => rest;

  async function scopedChannel(
    accounts: string[],
  ): Promise<{ id: string; auth: Record<string, string> }> {
    const created = await createTestChannel(hub.app, {
      scopes: CHANNEL_SCOPES,
      customerScope: { kind: 'LISTED', accounts },
    });
    return { id: created.channel.id, auth: bearer(created.apiKey) };
  }

  beforeAll(async () => {
    hub = await startOrdersHub();
    await syncEverything(hub);
    const good = demo.goodCustomers();
    const all = demo.dataset.customers;
    parent = good.find((c) => all.some((child) => child.parentCustomerNo === c.customerNo))!;
    children = all.filter((c) => c.parentCustomerNo === parent.customerNo);
    foreign = good.find((c) => c.customerNo !== parent.customerNo && c.parentCustomerNo === null)!;
    crm = bearer(
      (
        await createTestChannel(hub.app, {
          kind: 'crm',
          scopes: CHANNEL_SCOPES,
          customerScope: { kind: 'ALL' },
        })
      ).apiKey,
    );
    ops = bearer(
      (
        await createTestChannel(hub.app, {
          kind: 'operations',
          scopes: ['ops:admin'],
          customerScope: { kind: 'ALL' },
        })
      ).apiKey,
    );
    for (const candidate of demo.items(
      (i) => i.status === 'ACTIVE' && i.fulfillmentType === 'STOCK',
    )) {
      const forParent = await quotedPrice(
        hub,
        crm,
        parent.customerNo,
        candidate.sku,
        '1',
        candidate.baseUom,
      );
      const forForeign = await quotedPrice(
        hub,
        crm,
        foreign.customerNo,
        candidate.sku,
        '1',
        candidate.baseUom,
      );
      if (forParent !== null && forForeign !== null) {
        item = candidate;
        break;
      }
    }
    shop = await scopedChannel([parent.customerNo]);
    partner = await scopedChannel([foreign.customerNo]);
  }, 240_000);
  afterAll(async () => {
    await hub?.close();
  });

  describe('GET /v1/customers/{id}', () => {
    it('serves a listed account and its child accounts', async () => {
      expect((await get(shop.auth, `/v1/customers/${parent.customerNo}`)).status).toBe(200);
      for (const child of children) {
        expect((await get(shop.auth, `/v1/customers/${child.customerNo}`)).status).toBe(200);
      }
    });

    it("answers another channel's customer with the very 404 of an unknown customer", async () => {
      const foreignRes = await get(shop.auth, `/v1/customers/${foreign.customerNo}`);
      const unknownRes = await get(shop.auth, '/v1/customers/C99999');

      expect(foreignRes.status).toBe(404);
      expect(unknownRes.status).toBe(404);
      const foreignBody = withoutCorrelation((await foreignRes.json()) as Problem);
      const unknownBody = withoutCorrelation((await unknownRes.json()) as Problem);
      expect(foreignBody.code).toBe('CUSTOMER_NOT_FOUND');
      expect(masked(foreignBody, foreign.customerNo)).toEqual(masked(unknownBody, 'C99999'));
      expect(JSON.stringify(foreignBody)).not.toMatch(/credit|balance|email|phone/i);
    });

    it("hides another channel's customer behind its history and its changes too", async () => {
      const history = await get(shop.auth, `/v1/customers/${foreign.customerNo}/history`);
      expect(history.status).toBe(404);
      expect(((await history.json()) as Problem).code).toBe('CUSTOMER_NOT_FOUND');

      const patch = await send(
        shop.auth,
        'PATCH',
        `/v1/customers/${foreign.customerNo}`,
        { email: 'spy@example.com' },
        { 'idempotency-key': nextRef('patch') },
      );
      expect(patch.status).toBe(404);
      expect(((await patch.json()) as Problem).code).toBe('CUSTOMER_NOT_FOUND');

      const shipTo = await send(
        shop.auth,
        'POST',
        `/v1/customers/${foreign.customerNo}/ship-tos`,
        { code: 'SPY', name: 'x', addressLines: ['1 Main St'], city: 'Denver', country: 'US' },
        { 'idempotency-key': nextRef('ship') },
      );
      expect(shipTo.status).toBe(404);
    });

    it('lets a channel acting for every customer read any of them', async () => {
      expect((await get(crm, `/v1/customers/${foreign.customerNo}`)).status).toBe(200);
      expect((await get(crm, `/v1/customers/${parent.customerNo}`)).status).toBe(200);
    });
  });

  describe('POST /v1/pricing/quotes', () => {
    it('quotes a listed account and its child accounts', async () => {
      expect((await quote(shop.auth, parent.customerNo)).status).toBe(201);
      expect((await quote(shop.auth, children[0].customerNo)).status).toBe(201);
    });

    it("refuses another channel's customer with the very 422 UNKNOWN_CUSTOMER of an unknown one", async () => {
      const foreignRes = await quote(shop.auth, foreign.customerNo);
      const unknownRes = await quote(shop.auth, 'C99999');

      expect(foreignRes.status).toBe(422);
      const foreignBody = withoutCorrelation((await foreignRes.json()) as Problem);
      const unknownBody = withoutCorrelation((await unknownRes.json()) as Problem);
      expect(foreignBody.code).toBe('UNKNOWN_CUSTOMER');
      expect(masked(foreignBody, foreign.customerNo)).toEqual(masked(unknownBody, 'C99999'));
    });

    it('quotes any customer for a channel acting for every customer', async () => {
      expect((await quote(crm, foreign.customerNo)).status).toBe(201);
    });
  });

  describe('POST /v1/orders', () => {
    it("rejects an order for another channel's customer as for an unknown customer, storing nothing", async () => {
      const foreignOrder = await submitOrder(hub, shop.auth, orderFor(foreign.customerNo));
      const unknownOrder = await submitOrder(hub, shop.auth, orderFor('C99999'));

      expect(foreignOrder.status).toBe(422);
      expect(foreignOrder.body.code).toBe('ORDER_REJECTED');
      expect(foreignOrder.body.violations?.map((v) => v.code)).toEqual(['CUSTOMER_NOT_FOUND']);
      expect(masked(foreignOrder.body.violations as never, foreign.customerNo)).toEqual(
        masked(unknownOrder.body.violations as never, 'C99999'),
      );
      const list = (await (await get(shop.auth, '/v1/orders')).json()) as { items: unknown[] };
      expect(list.items).toEqual([]);
    });

    it("cannot hold an order against another channel's customer's credit, because it cannot order for it", async () => {
      const openBefore = await openOrdersOf(foreign.customerNo);

      const attempt = await submitOrder(hub, shop.auth, orderFor(foreign.customerNo));
      const own = await submitOrder(hub, partner.auth, orderFor(foreign.customerNo));

      expect(attempt.status).toBe(422);
      expect([201, 202]).toContain(own.status);
      expect(await openOrdersOf(foreign.customerNo)).toBe(openBefore + 1);
    });

    it("orders for a child account of the channel's listed account", async () => {
      const child = children.find(
        (c) =>
          c.status === 'ACTIVE' &&
          c.taxAreaCode !== null &&
          demo.dataset.shipTos.some((s) => s.customerNo === c.customerNo),
      )!;
      const placed = await submitOrder(hub, shop.auth, orderFor(child.customerNo));
      // Stored (accepted, or held for credit): what matters is that the channel may order for it.
      expect([201, 202]).toContain(placed.status);
    });

    it('orders for any customer from a channel acting for every customer', async () => {
      const placed = await submitOrder(hub, crm, orderFor(foreign.customerNo));
      expect([201, 202]).toContain(placed.status);
    });
  });

  describe('GET /v1/customers', () => {
    async function listAll(
      auth: Record<string, string>,
      query = '',
    ): Promise<{ ids: string[]; pages: number }> {
      const ids: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      for (;;) {
        const params = new URLSearchParams(query);
        if (cursor) params.set('cursor', cursor);
        const res = await get(auth, `/v1/customers?${params.toString()}`);
        expect(res.status).toBe(200);
        const body = (await res.json()) as {
          items: { id: string }[];
          nextCursor: string;
          hasMore: boolean;
        };
        pages += 1;
        ids.push(...body.items.map((c) => c.id));
        if (!body.hasMore) return { ids, pages };
        cursor = body.nextCursor;
      }
    }

    it('pages through exactly the listed account and its child accounts', async () => {
      const { ids, pages } = await listAll(shop.auth, 'limit=1');

      const expected = [parent, ...children].map((c) => c.customerNo).sort();
      expect([...ids].sort()).toEqual(expected);
      expect(pages).toBeGreaterThanOrEqual(expected.length);
    });

    it('lists every customer for a channel acting for every customer', async () => {
      const { ids } = await listAll(crm, 'limit=100');
      expect(new Set(ids).size).toBe(demo.dataset.customers.length);
    });

    it('lists nothing changed since a later instant, and refuses a cursor with another filter', async () => {
      const future = new Date(Date.now() + 3_600_000).toISOString();
      const res = await get(shop.auth, `/v1/customers?changedSince=${encodeURIComponent(future)}`);
      const body = (await res.json()) as { items: unknown[]; hasMore: boolean; nextCursor: string };
      expect(body).toMatchObject({ items: [], hasMore: false });

      const mixed = await get(
        shop.auth,
        `/v1/customers?cursor=${body.nextCursor}&changedSince=2020-01-01T00:00:00Z`,
      );
      expect(mixed.status).toBe(400);
      expect(((await mixed.json()) as Problem).code).toBe('INVALID_CURSOR');
    });

    it('lists only its own customers even with a cursor another channel was given', async () => {
      const first = (await (await get(crm, '/v1/customers?limit=1')).json()) as {
        nextCursor: string;
      };
      const { ids } = await listAll(partner.auth, `cursor=${first.nextCursor}`);
      expect(ids.every((id) => id === foreign.customerNo)).toBe(true);
    });
  });

  describe('managing the scope over HTTP (ops:admin)', () => {
    it('adds an account, which the channel can use at once, and removes it again', async () => {
      const channel = await scopedChannel([parent.customerNo]);
      expect((await get(channel.auth, `/v1/customers/${foreign.customerNo}`)).status).toBe(404);

      const added = await send(ops, 'POST', `/v1/admin/channels/${channel.id}/customers`, {
        customers: [foreign.customerNo],
      });
      expect(added.status).toBe(200);
      expect(await added.json()).toEqual({
        channelId: channel.id,
        customerScope: 'LISTED',
        customers: [parent.customerNo, foreign.customerNo].sort(),
      });
      expect((await get(channel.auth, `/v1/customers/${foreign.customerNo}`)).status).toBe(200);

      const removed = await send(
        ops,
        'DELETE',
        `/v1/admin/channels/${channel.id}/customers/${foreign.customerNo}`,
      );
      expect(removed.status).toBe(200);
      expect((await get(channel.auth, `/v1/customers/${foreign.customerNo}`)).status).toBe(404);
    });

    it('replaces the scope with PUT, to every customer and back to a list', async () => {
      const channel = await scopedChannel([parent.customerNo]);
      const path = `/v1/admin/channels/${channel.id}/customers`;

      const all = await send(ops, 'PUT', path, { customerScope: 'ALL' });
      expect(await all.json()).toMatchObject({ customerScope: 'ALL', customers: [] });
      expect((await get(channel.auth, `/v1/customers/${foreign.customerNo}`)).status).toBe(200);
      const me = (await (await get(channel.auth, '/v1/channels/me')).json()) as {
        customerScope: string;
      };
      expect(me.customerScope).toBe('ALL');

      const listed = await send(ops, 'PUT', path, {
        customerScope: 'LISTED',
        customers: [foreign.customerNo],
      });
      expect(await listed.json()).toMatchObject({
        customerScope: 'LISTED',
        customers: [foreign.customerNo],
      });
      expect((await get(channel.auth, `/v1/customers/${parent.customerNo}`)).status).toBe(404);
      expect(await (await get(ops, path)).json()).toMatchObject({
        customers: [foreign.customerNo],
      });
    });

    it('refuses bad customer numbers, customers with ALL, and removing from ALL', async () => {
      const channel = await scopedChannel([]);
      const path = `/v1/admin/channels/${channel.id}/customers`;

      const bad = await send(ops, 'POST', path, { customers: ['C1', 'not a number'] });
      expect(bad.status).toBe(400);
      const withAll = await send(ops, 'PUT', path, { customerScope: 'ALL', customers: ['C1'] });
      expect(withAll.status).toBe(400);

      await send(ops, 'PUT', path, { customerScope: 'ALL' });
      const fromAll = await send(ops, 'DELETE', `${path}/C10001`);
      expect(fromAll.status).toBe(409);
      expect(((await fromAll.json()) as Problem).code).toBe('CUSTOMER_SCOPE_IS_ALL');
    });

    it('answers 404 CHANNEL_NOT_FOUND for an unknown channel and 403 without ops:admin', async () => {
      const missing = await get(
        ops,
        '/v1/admin/channels/00000000-0000-4000-8000-000000000000/customers',
      );
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as Problem).code).toBe('CHANNEL_NOT_FOUND');
      expect((await get(shop.auth, `/v1/admin/channels/${shop.id}/customers`)).status).toBe(403);
    });
  });

  /** Orders the hub holds open (not cancelled/failed) for a customer: what credit counts. */
  async function openOrdersOf(customerId: string): Promise<number> {
    const rows: { n: string }[] = await hub.app
      .get(DataSource)
      .query(
        `SELECT count(*) AS n FROM ord_order WHERE customer_id = $1 AND status NOT IN ('CANCELLED','FAILED')`,
        [customerId],
      );
    return Number(rows[0].n);
  }
});
