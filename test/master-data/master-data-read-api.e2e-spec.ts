import pg from 'pg';
import { bearer, createTestChannel } from '../support/channels.js';
import { InMemoryMasterDataFeed } from '../support/in-memory-master-data-feed.js';
import { testDatabaseUrl, type TestApp } from '../support/test-app.js';
import { aCustomer, anItem, at, aShipTo } from './master-data.fixtures.js';
import { resetMasterData, startMasterDataTestApp } from './master-data-test-app.js';

interface ItemBody {
  sku: string;
  description: string;
  syncedAt: string;
}
interface ItemPage {
  items: ItemBody[];
  nextCursor: string;
  hasMore: boolean;
}

describe('master-data read API', () => {
  const feed = new InMemoryMasterDataFeed('test-erp');
  let hub: TestApp;
  let admin: Record<string, string>;
  let reader: Record<string, string>;

  beforeAll(async () => {
    hub = await startMasterDataTestApp(feed);
    admin = bearer((await createTestChannel(hub.app, { scopes: ['ops:admin'] })).apiKey);
    reader = bearer((await createTestChannel(hub.app, { scopes: ['master-data:read'] })).apiKey);
  });
  afterAll(async () => {
    await hub.close();
  });
  beforeEach(async () => {
    await resetMasterData(hub);
    feed.reset();
  });

  const sync = async (): Promise<void> => {
    const res = await fetch(`${hub.baseUrl}/v1/admin/sync/master-data?wait=true`, {
      method: 'POST',
      headers: admin,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe('succeeded');
  };
  const get = (path: string, headers = reader): Promise<Response> =>
    fetch(`${hub.baseUrl}${path}`, { headers });
  const listItems = async (query: string): Promise<ItemPage> => {
    const res = await get(`/v1/items${query}`);
    expect(res.status).toBe(200);
    return (await res.json()) as ItemPage;
  };
  /** Follows nextCursor while hasMore; returns every page. */
  const readAll = async (first: string, limit = 2): Promise<ItemPage[]> => {
    const pages = [await listItems(`?limit=${limit}${first}`)];
    while (pages[pages.length - 1].hasMore) {
      pages.push(await listItems(`?limit=${limit}&cursor=${pages[pages.length - 1].nextCursor}`));
    }
    return pages;
  };
  const skus = (pages: ItemPage[]): string[] => pages.flatMap((p) => p.items.map((i) => i.sku));

  it('returns a customer by ERP number with ship-tos, parent and decimal strings', async () => {
    feed.put('customers', 'cus-1', at(0), aCustomer({ erpId: 'C10000', name: 'Acme Group' }));
    feed.put(
      'customers',
      'cus-2',
      at(1),
      aCustomer({
        parentErpId: 'C10000',
        creditLimit: '25000',
        balanceDue: '-12.5',
        shipTos: [
          aShipTo(),
          aShipTo({ code: 'SOUTH', addressLines: ['9 Depot Rd'], region: null }),
        ],
      }),
    );
    await sync();

    const res = await get('/v1/customers/C10042');

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      id: 'C10042',
      name: 'Acme Hardware Inc.',
      parentId: 'C10000',
      status: 'ACTIVE',
      creditLimit: '25000.0000',
      balanceDue: '-12.5000',
      paymentTerms: 'NET30',
      currency: 'USD',
      taxAreaCode: 'OH-FRANKLIN',
      taxExemptionNumber: null,
      taxLiable: true,
      email: 'purchasing@acme.example',
      phone: '+1 614 555 0100',
      website: 'https://www.acme.example',
      address: {
        addressLines: ['4410 Commerce Dr', 'Suite 300'],
        city: 'Columbus',
        region: 'OH',
        postalCode: '43215',
        country: 'US',
      },
      shipTos: [
        {
          code: 'MAIN',
          name: 'Acme Hardware, Main Warehouse',
          addressLines: ['1200 Industrial Pkwy', 'Dock 4'],
          city: 'Columbus',
          region: 'OH',
          postalCode: '43215',
          country: 'US',
          defaultWarehouseCode: 'WH-EAST',
          taxAreaCode: 'OH-FRANKLIN',
        },
        expect.objectContaining({ code: 'SOUTH', addressLines: ['9 Depot Rd'], region: null }),
      ],
      sourceModifiedAt: at(1),
      syncedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
  });

  it('keeps a customer whose parent the hub does not know, with its parent id', async () => {
    feed.put('customers', 'cus-2', at(1), aCustomer({ parentErpId: 'C-UNKNOWN' }));
    await sync();

    const res = await get('/v1/customers/C10042');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ parentId: 'C-UNKNOWN' });
  });

  it('answers 404 problems for an unknown customer or item', async () => {
    const customer = await get('/v1/customers/NOPE');
    expect(customer.status).toBe(404);
    expect(customer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await customer.json()).toMatchObject({
      code: 'CUSTOMER_NOT_FOUND',
      type: '/problems/customer-not-found',
    });
    const item = await get('/v1/items/NOPE');
    expect(item.status).toBe(404);
    expect(await item.json()).toMatchObject({ code: 'ITEM_NOT_FOUND' });
  });

  it('returns an item by SKU with exact UoM factors, including SKUs that need URL encoding', async () => {
    feed.put(
      'items',
      'itm-1',
      at(1),
      anItem({
        sku: 'PIPE 1/2"',
        baseUom: 'FT',
        uomConversions: [
          { uom: 'IN', factor: '0.083333333333333333' },
          { uom: 'BUNDLE', factor: '200.50' },
        ],
        substitutes: ['PIPE-ALT', 'PIPE-ALT'],
      }),
    );
    await sync();

    const res = await get(`/v1/items/${encodeURIComponent('PIPE 1/2"')}`);

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      sku: 'PIPE 1/2"',
      baseUom: 'FT',
      uomConversions: [
        { uom: 'FT', factor: '1' },
        { uom: 'IN', factor: '0.083333333333333333' },
        { uom: 'BUNDLE', factor: '200.5' },
      ],
      substitutes: ['PIPE-ALT'],
      fulfillmentType: 'STOCK',
      lotControlled: false,
      gtin: '0614141000036',
      taxGroupCode: 'MATERIALS',
    });
  });

  it('lists every item exactly once across cursor pages, then nothing new until something changes', async () => {
    for (let i = 1; i <= 5; i++) feed.put('items', `itm-${i}`, at(i), anItem({ sku: `SKU-${i}` }));
    await sync();

    const pages = await readAll('');
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 1]);
    expect(skus(pages).sort()).toEqual(['SKU-1', 'SKU-2', 'SKU-3', 'SKU-4', 'SKU-5']);
    const resume = pages[pages.length - 1].nextCursor;

    const idle = await listItems(`?cursor=${resume}`);
    expect(idle).toMatchObject({ items: [], hasMore: false, nextCursor: resume });

    feed.put('items', 'itm-2', at(10), anItem({ sku: 'SKU-2', description: 'v2' }));
    await sync();
    const delta = await listItems(`?cursor=${resume}`);
    expect(delta.items.map((i) => [i.sku, i.description])).toEqual([['SKU-2', 'v2']]);
  });

  it('loses no item when a sync writes while a channel is paging', async () => {
    for (let i = 1; i <= 6; i++) feed.put('items', `itm-${i}`, at(i), anItem({ sku: `SKU-${i}` }));
    await sync();
    const first = await listItems('?limit=2');
    const firstSkus = first.items.map((i) => i.sku);

    // Change one item already served and one not yet served, then keep paging.
    const served = firstSkus[0];
    const unserved = ['SKU-1', 'SKU-2', 'SKU-3', 'SKU-4', 'SKU-5', 'SKU-6'].find(
      (s) => !firstSkus.includes(s),
    ) as string;
    for (const sku of [served, unserved]) {
      feed.put('items', `itm-${sku.slice(4)}`, at(20), anItem({ sku, description: 'changed' }));
    }
    await sync();
    const rest = [first];
    while (rest[rest.length - 1].hasMore) {
      rest.push(await listItems(`?limit=2&cursor=${rest[rest.length - 1].nextCursor}`));
    }

    const seen = rest.flatMap((p) => p.items);
    expect(new Set(seen.map((i) => i.sku))).toEqual(
      new Set(['SKU-1', 'SKU-2', 'SKU-3', 'SKU-4', 'SKU-5', 'SKU-6']),
    );
    // The last version of each changed item reaches the channel.
    for (const sku of [served, unserved]) {
      expect(seen.filter((i) => i.sku === sku).pop()?.description).toBe('changed');
    }
  });

  it('serves writes in commit order: a write still in flight is never skipped', async () => {
    for (let i = 1; i <= 3; i++) feed.put('items', `itm-${i}`, at(i), anItem({ sku: `SKU-${i}` }));
    await sync();
    const caughtUp = await listItems('?limit=10');
    expect(caughtUp.items).toHaveLength(3);

    // Another writer has taken the next clock value and written SKU-1, but not committed yet.
    const writer = new pg.Client({ connectionString: testDatabaseUrl() });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      const { rows } = await writer.query<{ seq: string }>(
        'UPDATE md_change_clock SET seq = seq + 1 WHERE id = 1 RETURNING seq',
      );
      await writer.query(
        `UPDATE md_item SET description = 'in flight', change_seq = $1, synced_at = now()
         WHERE sku = 'SKU-1'`,
        [rows[0].seq],
      );
      // Meanwhile a sync commits SKU-9 (it waits for the clock: writers commit in clock order).
      feed.put('items', 'itm-9', at(9), anItem({ sku: 'SKU-9' }));
      const syncing = sync();
      await new Promise((r) => setTimeout(r, 300));
      const during = await listItems(`?cursor=${caughtUp.nextCursor}`);
      expect(during.items).toEqual([]);

      await writer.query('COMMIT');
      await syncing;
    } finally {
      await writer.end();
    }
    const after = await listItems(`?cursor=${caughtUp.nextCursor}`);
    expect(after.items.map((i) => [i.sku, i.description])).toEqual([
      ['SKU-1', 'in flight'],
      ['SKU-9', 'Hex bolt M8x40, black oxide'],
    ]);
  });

  it('filters by changedSince (when the hub wrote the item) and carries it in the cursor', async () => {
    for (let i = 1; i <= 3; i++) feed.put('items', `itm-${i}`, at(i), anItem({ sku: `SKU-${i}` }));
    await sync();
    await new Promise((r) => setTimeout(r, 20));
    const since = new Date().toISOString();
    for (let i = 4; i <= 6; i++) feed.put('items', `itm-${i}`, at(i), anItem({ sku: `SKU-${i}` }));
    await sync();

    const pages = await readAll(`&changedSince=${since}`, 2);

    expect(skus(pages).sort()).toEqual(['SKU-4', 'SKU-5', 'SKU-6']);
    const mismatch = await get(
      `/v1/items?changedSince=2020-01-01T00:00:00Z&cursor=${pages[0].nextCursor}`,
    );
    expect(mismatch.status).toBe(400);
    expect(await mismatch.json()).toMatchObject({ code: 'INVALID_CURSOR' });
  });

  it('rejects a cursor it did not issue and a bad changedSince or limit', async () => {
    const garbage = await get('/v1/items?cursor=bm90LWEtY3Vyc29y');
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toMatchObject({ code: 'INVALID_CURSOR' });

    const badQuery = await get('/v1/items?changedSince=yesterday&limit=0');
    expect(badQuery.status).toBe(400);
    const body = (await badQuery.json()) as { code: string; violations: { field: string }[] };
    expect(body.code).toBe('VALIDATION_FAILED');
    expect([...new Set(body.violations.map((v) => v.field))].sort()).toEqual([
      'changedSince',
      'limit',
    ]);
    const impossibleDate = await get('/v1/items?changedSince=2026-02-30T00:00:00Z');
    expect(impossibleDate.status).toBe(400);
  });

  it('needs an API key with master-data:read', async () => {
    expect((await fetch(`${hub.baseUrl}/v1/items`)).status).toBe(401);
    expect((await fetch(`${hub.baseUrl}/v1/customers/C10042`)).status).toBe(401);
    const { apiKey } = await createTestChannel(hub.app, { scopes: ['orders:read'] });
    const forbidden = await get('/v1/items/SKU-1', bearer(apiKey));
    expect(forbidden.status).toBe(403);
    expect((await get('/v1/customers/C10042', bearer(apiKey))).status).toBe(403);
  });
});
