import { bearer, createTestChannel } from '../support/channels.js';
import {
  atpOf,
  type InventoryHub,
  positionOf,
  seedItems,
  startInventoryHub,
  stockEvent,
  uniqueSku,
} from './inventory-test-app.js';

describe('PUT /v1/admin/inventory/positions/{sku}/{warehouse}/safety-stock', () => {
  let hub: InventoryHub;
  let ops: Record<string, string>;
  let sku: string;

  beforeAll(async () => {
    hub = await startInventoryHub();
    sku = uniqueSku('SAFE');
    await seedItems(hub, [{ sku }]);
    ops = bearer(
      (await createTestChannel(hub.app, { scopes: ['ops:admin', 'inventory:write'] })).apiKey,
    );
  });
  afterAll(async () => {
    await hub?.close();
  });

  const put = (s: string, warehouse: string, safetyStock: string) =>
    fetch(
      `${hub.baseUrl}/v1/admin/inventory/positions/${encodeURIComponent(s)}/${warehouse}/safety-stock`,
      {
        method: 'PUT',
        headers: { ...ops, 'content-type': 'application/json' },
        body: JSON.stringify({ safetyStock }),
      },
    );

  it('holds back safety stock of a known position from ATP', async () => {
    const res = await fetch(`${hub.baseUrl}/v1/inventory/events`, {
      method: 'POST',
      headers: { ...ops, 'content-type': 'application/json' },
      body: JSON.stringify({ events: [stockEvent({ sku, quantity: '10' })] }),
    });
    expect(res.status).toBe(200);
    expect((await put(sku, 'WH-EAST', '3')).status).toBe(200);
    expect(await atpOf(hub, sku, 'WH-EAST')).toBe('7');
  });

  it('answers 404 ITEM_NOT_FOUND for an unknown SKU and creates no phantom position', async () => {
    const phantom = uniqueSku('PHANTOM');
    const res = await put(phantom, 'WH-EAST', '5');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 404, code: 'ITEM_NOT_FOUND' });
    expect(await positionOf(hub, phantom, 'WH-EAST')).toBeUndefined();
  });

  it('answers 404 WAREHOUSE_NOT_FOUND for an unknown warehouse and creates no phantom position', async () => {
    const res = await put(sku, 'WH-MARS', '5');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ status: 404, code: 'WAREHOUSE_NOT_FOUND' });
    expect(await positionOf(hub, sku, 'WH-MARS')).toBeUndefined();
  });
});
