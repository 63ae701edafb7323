import { ApplicationError } from '../../src/platform/errors/index.js';
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

const line = (sku: string, quantity = '1', warehouse = 'WH-EAST') => ({ sku, warehouse, quantity });

/** Rejections by code; anything else rethrown. */
async function outcomes(attempts: Promise<unknown>[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const result of await Promise.allSettled(attempts)) {
    const key =
      result.status === 'fulfilled'
        ? 'RESERVED'
        : result.reason instanceof ApplicationError
          ? result.reason.code
          : `ERROR ${String(result.reason)}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('reservations', () => {
  let hub: InventoryHub;

  beforeAll(async () => {
    hub = await startInventoryHub();
  });
  afterAll(async () => {
    await hub?.close();
  });

  /** A fresh SKU with `onHand` units at WH-EAST. */
  const stocked = async (onHand: string, extra: Record<string, unknown> = {}): Promise<string> => {
    const sku = uniqueSku('RES');
    await seedItems(hub, [{ sku, ...extra }]);
    const [result] = await hub.inventory.applyStockEvents([stockEvent({ sku, quantity: onHand })]);
    expect(result.status).toBe('APPLIED');
    return sku;
  };

  it('lets exactly 10 of 100 simultaneous 1-unit reservations through against 10 on hand', async () => {
    const sku = await stocked('10');

    const counts = await outcomes(
      Array.from({ length: 100 }, (_, i) =>
        hub.inventory.reserve({ orderId: `ord-${sku}-${i}`, lines: [line(sku)] }),
      ),
    );

    expect(counts).toEqual({ RESERVED: 10, INSUFFICIENT_STOCK: 90 });
    expect(await positionOf(hub, sku, 'WH-EAST')).toMatchObject({
      on_hand: '10.000000',
      reserved: '10.000000',
    });
    expect(await atpOf(hub, sku, 'WH-EAST')).toBe('0');
  });

  it('lets exactly 10 through when two instances on one database take 100 reservations at once', async () => {
    const sku = await stocked('10');
    const second = await startInventoryHub({}, { masterData: hub.masterData, erp: hub.erp });
    try {
      const counts = await outcomes(
        Array.from({ length: 100 }, (_, i) =>
          (i % 2 === 0 ? hub : second).inventory.reserve({
            orderId: `ord-${sku}-${i}`,
            lines: [line(sku)],
          }),
        ),
      );

      expect(counts).toEqual({ RESERVED: 10, INSUFFICIENT_STOCK: 90 });
      const [row] = (await hub.db.query(
        `SELECT reserved::text, (on_hand - reserved)::text AS left_over,
                (SELECT count(*)::int FROM inv_reservation r JOIN inv_reservation_line l
                    ON l.reservation_id = r.id WHERE l.sku = $1 AND r.status = 'ACTIVE') AS active
           FROM inv_position WHERE sku = $1`,
        [sku],
      )) as { reserved: string; left_over: string; active: number }[];
      expect(row).toEqual({ reserved: '10.000000', left_over: '0.000000', active: 10 });
    } finally {
      await second.close();
    }
  });

  it('reserves all lines or none, naming each shortage', async () => {
    const plenty = await stocked('50');
    const scarce = await stocked('2');

    const attempt = hub.inventory.reserve({
      orderId: `ord-${scarce}`,
      lines: [line(plenty, '5'), line(scarce, '2'), line(scarce, '1')],
    });

    await expect(attempt).rejects.toMatchObject({
      code: 'INSUFFICIENT_STOCK',
      extensions: {
        shortages: [{ sku: scarce, warehouse: 'WH-EAST', requested: '3', available: '2' }],
      },
    });
    expect(await atpOf(hub, plenty, 'WH-EAST')).toBe('50');
    expect(await hub.inventory.reservations(`ord-${scarce}`)).toEqual([]);
  });

  it('takes part in the caller’s transaction and leaves it usable after a refusal', async () => {
    const sku = await stocked('3');

    await hub.db.transaction(async (manager) => {
      await hub.inventory.reserve(
        { orderId: `ord-a-${sku}`, lines: [line(sku, '2')] },
        { manager },
      );
      await expect(
        hub.inventory.reserve({ orderId: `ord-b-${sku}`, lines: [line(sku, '2')] }, { manager }),
      ).rejects.toMatchObject({ code: 'INSUFFICIENT_STOCK' });
      // The transaction still works after the refusal.
      await manager.query('SELECT 1');
    });

    expect(await atpOf(hub, sku, 'WH-EAST')).toBe('1');
  });

  it('returns the same reservation when an order asks again for the same stock, and refuses other stock', async () => {
    const sku = await stocked('10');
    const orderId = `ord-${sku}`;

    const first = await hub.inventory.reserve({ orderId, lines: [line(sku, '4')] });
    const again = await hub.inventory.reserve({ orderId, lines: [line(sku, '4')] });

    expect(again.id).toBe(first.id);
    expect(await atpOf(hub, sku, 'WH-EAST')).toBe('6');
    await expect(hub.inventory.reserve({ orderId, lines: [line(sku, '5')] })).rejects.toMatchObject(
      { code: 'RESERVATION_EXISTS' },
    );
  });

  it('gives the stock back on cancel, once, however often the order is released', async () => {
    const sku = await stocked('10');
    const orderId = `ord-${sku}`;
    await hub.inventory.reserve({ orderId, lines: [line(sku, '7')] });

    const released = await Promise.all([
      hub.inventory.release(orderId),
      hub.inventory.release(orderId),
      hub.inventory.release(orderId),
    ]);

    expect(released.filter((r) => r !== null)).toHaveLength(1);
    expect(released.find((r) => r)?.status).toBe('RELEASED');
    expect(await positionOf(hub, sku, 'WH-EAST')).toMatchObject({ reserved: '0.000000' });
    expect(await atpOf(hub, sku, 'WH-EAST')).toBe('10');
  });

  it('gives the stock back when a reservation expires', async () => {
    const sku = await stocked('10');
    const orderId = `ord-${sku}`;
    await hub.inventory.reserve({ orderId, lines: [line(sku, '4')], ttlSeconds: 1 });
    expect(await atpOf(hub, sku, 'WH-EAST')).toBe('6');

    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await hub.inventory.expireReservations()).toBeGreaterThanOrEqual(1);

    const [reservation] = await hub.inventory.reservations(orderId);
    expect(reservation).toMatchObject({
      status: 'EXPIRED',
      closeReason: 'reservation TTL expired',
    });
    expect(await atpOf(hub, sku, 'WH-EAST')).toBe('10');
    expect(await hub.inventory.release(orderId)).toBeNull();
  });

  it('moves reserved to allocated when the ERP confirms its allocation, never counting it twice', async () => {
    const sku = uniqueSku('ERP');
    await seedItems(hub, [{ sku }]);
    const balance = { sku, warehouse: 'WH-EAST', lot: null, expiryDate: null };
    hub.erp.put({ ...balance, onHand: '10', allocated: '0' });
    await syncInventory();
    expect(await atpOf(hub, sku, 'WH-EAST')).toBe('10');
    const orderId = `ord-${sku}`;
    await hub.inventory.reserve({ orderId, lines: [line(sku, '4')] });

    const handedOver = await hub.inventory.confirmErpAllocation(orderId);
    expect(handedOver?.status).toBe('HANDED_OVER');
    expect(await atpOf(hub, sku, 'WH-EAST')).toBe('6');
    expect(await positionOf(hub, sku, 'WH-EAST')).toMatchObject({
      reserved: '0.000000',
      allocated: '0.000000',
      allocation_pending: '4.000000',
    });
    // A second confirmation (a retried job) changes nothing.
    expect(await hub.inventory.confirmErpAllocation(orderId)).toBeNull();

    // The ERP reports its allocation; the sync takes it and drops the pending hand-over.
    await new Promise((resolve) => setTimeout(resolve, 5));
    hub.erp.put({ ...balance, onHand: '10', allocated: '4' });
    await syncInventory();

    expect(await positionOf(hub, sku, 'WH-EAST')).toMatchObject({
      reserved: '0.000000',
      allocated: '4.000000',
      allocation_pending: '0.000000',
    });
    expect(await atpOf(hub, sku, 'WH-EAST')).toBe('6');
  });

  const syncInventory = async (): Promise<void> => {
    const admin = bearer((await createTestChannel(hub.app, { scopes: ['ops:admin'] })).apiKey);
    const res = await fetch(`${hub.baseUrl}/v1/admin/sync/inventory?wait=true`, {
      method: 'POST',
      headers: admin,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'succeeded' });
  };

  it('shows operations the reservations of an order', async () => {
    const sku = await stocked('5');
    const orderId = `ord-${sku}`;
    await hub.inventory.reserve({ orderId, lines: [line(sku, '2'), line(sku, '1')] });
    await hub.inventory.release(orderId, 'customer cancelled');
    await hub.inventory.reserve({ orderId, lines: [line(sku, '1')] });
    const admin = bearer((await createTestChannel(hub.app, { scopes: ['ops:admin'] })).apiKey);
    const reader = bearer((await createTestChannel(hub.app)).apiKey);

    const res = await fetch(`${hub.baseUrl}/v1/inventory/reservations?orderId=${orderId}`, {
      headers: admin,
    });
    const forbidden = await fetch(`${hub.baseUrl}/v1/inventory/reservations?orderId=${orderId}`, {
      headers: reader,
    });

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      items: [
        {
          orderId,
          status: 'RELEASED',
          closeReason: 'customer cancelled',
          lines: [
            { lineNo: 1, sku, warehouse: 'WH-EAST', quantity: '2' },
            { lineNo: 2, sku, warehouse: 'WH-EAST', quantity: '1' },
          ],
        },
        { orderId, status: 'ACTIVE', closedAt: null },
      ],
    });
    expect(forbidden.status).toBe(403);
  });

  describe('channel availability rules', () => {
    it('holds a buffer back from marketplaces by default and applies rules set by operations', async () => {
      const sku = uniqueSku('RULE');
      await seedItems(hub, [{ sku }]);
      await hub.inventory.applyStockEvents([
        stockEvent({ sku, quantity: '95' }),
        stockEvent({ sku, warehouse: 'WH-WEST', quantity: '20' }),
      ]);
      const shop = await createTestChannel(hub.app, { kind: 'ecommerce' });
      const marketplace = await createTestChannel(hub.app, { kind: 'marketplace' });
      const admin = bearer((await createTestChannel(hub.app, { scopes: ['ops:admin'] })).apiKey);
      const availability = async (apiKey: string): Promise<unknown> => {
        const res = await fetch(`${hub.baseUrl}/v1/inventory/availability:query`, {
          method: 'POST',
          headers: { ...bearer(apiKey), 'content-type': 'application/json' },
          body: JSON.stringify({ skus: [sku] }),
        });
        expect(res.status).toBe(200);
        return ((await res.json()) as { items: unknown[] }).items[0];
      };

      expect(await availability(shop.apiKey)).toMatchObject({ atp: '115' });
      // 10 % rounded up to whole units, per warehouse: 95 − 10, 20 − 2.
      expect(await availability(marketplace.apiKey)).toMatchObject({
        atp: '103',
        warehouses: [
          { warehouse: 'WH-EAST', atp: '85' },
          { warehouse: 'WH-WEST', atp: '18' },
        ],
      });

      const put = await fetch(
        `${hub.baseUrl}/v1/admin/inventory/channel-rules/${marketplace.channel.id}`,
        {
          method: 'PUT',
          headers: { ...admin, 'content-type': 'application/json' },
          body: JSON.stringify({ warehouses: ['WH-WEST'], buffer: { type: 'UNITS', value: '5' } }),
        },
      );
      expect(put.status).toBe(200);
      expect(await put.json()).toMatchObject({
        explicit: true,
        warehouses: ['WH-WEST'],
        buffer: { type: 'UNITS', value: '5' },
      });
      expect(await availability(marketplace.apiKey)).toMatchObject({
        atp: '15',
        warehouses: [{ warehouse: 'WH-WEST', atp: '15' }],
      });

      // Reservations for the channel's orders obey the same rule.
      const channel = { channelId: marketplace.channel.id, kind: 'marketplace' };
      await expect(
        hub.inventory.reserve({ orderId: `ord-e-${sku}`, lines: [line(sku, '1')], channel }),
      ).rejects.toMatchObject({ code: 'WAREHOUSE_NOT_ALLOWED' });
      await expect(
        hub.inventory.reserve({
          orderId: `ord-w-${sku}`,
          lines: [line(sku, '16', 'WH-WEST')],
          channel,
        }),
      ).rejects.toMatchObject({ code: 'INSUFFICIENT_STOCK' });
      await hub.inventory.reserve({
        orderId: `ord-w-${sku}`,
        lines: [line(sku, '15', 'WH-WEST')],
        channel,
      });
      expect(await availability(marketplace.apiKey)).toMatchObject({ atp: '0' });
      expect(await availability(shop.apiKey)).toMatchObject({ atp: '100' });
    });

    it('refuses an invalid rule with every violation', async () => {
      const marketplace = await createTestChannel(hub.app, { kind: 'marketplace' });
      const admin = bearer((await createTestChannel(hub.app, { scopes: ['ops:admin'] })).apiKey);

      const res = await fetch(
        `${hub.baseUrl}/v1/admin/inventory/channel-rules/${marketplace.channel.id}`,
        {
          method: 'PUT',
          headers: { ...admin, 'content-type': 'application/json' },
          body: JSON.stringify({ warehouses: null, buffer: { type: 'PERCENT', value: '150' } }),
        },
      );

      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        code: 'INVALID_CHANNEL_RULE',
        violations: [{ code: 'INVALID_BUFFER_VALUE', field: 'buffer.value' }],
      });
    });
  });
});
