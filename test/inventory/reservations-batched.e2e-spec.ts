import type { EntityManager } from 'typeorm';
import {
  type InventoryHub,
  seedItems,
  startInventoryHub,
  stockEvent,
  uniqueSku,
} from './inventory-test-app.js';

/**
 * Reservations and their AvailabilityChanged events are written set-based (a constant number of
 * statements whatever the line count): the coalescing rules hold for many keys at once, and
 * concurrent multi-line reservations in any line order never deadlock.
 */
describe('batched reservations', () => {
  let hub: InventoryHub;
  beforeAll(async () => {
    hub = await startInventoryHub({ INVENTORY_COALESCE_WINDOW_MS: '60000' });
  });
  afterAll(async () => {
    await hub?.close();
  });

  const pending = async (skus: string[]) =>
    (await hub.db.query(
      `SELECT key, payload, occurred_at, available_at > now() + interval '50 seconds' AS delayed
         FROM outbox_event
        WHERE type = 'inventory.availability-changed' AND published_at IS NULL
          AND key = ANY($1::text[]) ORDER BY key`,
      [skus.map((s) => `${s}@WH-EAST`)],
    )) as { key: string; payload: Record<string, string>; delayed: boolean }[];

  it('inserts, merges and cancels bursts for many keys at once', async () => {
    const skus = Array.from({ length: 4 }, () => uniqueSku('BAT')).sort();
    await seedItems(
      hub,
      skus.map((sku) => ({ sku })),
    );
    // new bursts: one batched insert from the stock-events path
    await hub.inventory.applyStockEvents(skus.map((sku) => stockEvent({ sku, quantity: '10' })));
    let rows = await pending(skus);
    expect(rows.map((r) => [r.payload.oldAtp, r.payload.newAtp, r.delayed])).toEqual(
      skus.map(() => ['0', '10', true]),
    );
    // merge: reserve 3 on all four
    const lines = skus.map((sku) => ({ sku, warehouse: 'WH-EAST', quantity: '3' }));
    await hub.inventory.reserve({ orderId: `ord-${skus[0]}`, lines });
    rows = await pending(skus);
    expect(rows.map((r) => [r.payload.oldAtp, r.payload.newAtp])).toEqual(
      skus.map(() => ['0', '7']),
    );
    // publish everything now, then reserve+release -> new bursts then cancelled
    await hub.db.query(`UPDATE outbox_event SET published_at = now() WHERE key = ANY($1::text[])`, [
      skus.map((s) => `${s}@WH-EAST`),
    ]);
    await hub.inventory.reserve({ orderId: `ord-${skus[1]}`, lines });
    rows = await pending(skus);
    expect(rows.map((r) => [r.payload.oldAtp, r.payload.newAtp])).toEqual(
      skus.map(() => ['7', '4']),
    );
    await hub.inventory.release(`ord-${skus[1]}`);
    expect(await pending(skus)).toEqual([]);
    // mixed: two keys pending, two not
    await hub.inventory.reserve({
      orderId: `ord-${skus[2]}`,
      lines: lines.slice(0, 2).map((l) => ({ ...l, quantity: '1' })),
    });
    await hub.inventory.release(`ord-${skus[0]}`);
    rows = await pending(skus);
    expect(rows.map((r) => [r.key.split('@')[0], r.payload.oldAtp, r.payload.newAtp])).toEqual([
      [skus[0], '7', '9'],
      [skus[1], '7', '9'],
      [skus[2], '7', '10'],
      [skus[3], '7', '10'],
    ]);
  });

  it('never deadlocks: 60 concurrent 4-line reservations over 5 SKUs in random line order', async () => {
    const skus = Array.from({ length: 5 }, () => uniqueSku('DL'));
    await seedItems(
      hub,
      skus.map((sku) => ({ sku })),
    );
    await hub.inventory.applyStockEvents(skus.map((sku) => stockEvent({ sku, quantity: '1000' })));
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) => {
        const chosen = [...skus].sort(() => Math.random() - 0.5).slice(0, 4);
        return hub.db.transaction((manager) =>
          hub.inventory.reserve(
            {
              orderId: `ord-${skus[0]}-${i}`,
              lines: chosen.map((sku) => ({ sku, warehouse: 'WH-EAST', quantity: '2' })),
            },
            { manager },
          ),
        );
      }),
    );
    const failures = results.filter((r) => r.status === 'rejected');
    expect(failures.map((f) => String((f as PromiseRejectedResult).reason))).toEqual([]);
    const [row] = (await hub.db.query(
      `SELECT sum(reserved)::text AS reserved FROM inv_position WHERE sku = ANY($1::text[])`,
      [skus],
    )) as { reserved: string }[];
    expect(Number(row.reserved)).toBe(60 * 4 * 2);
    const outbox = (await hub.db.query(
      `SELECT key, payload FROM outbox_event WHERE type = 'inventory.availability-changed'
          AND published_at IS NULL AND key = ANY($1::text[])`,
      [skus.map((s) => `${s}@WH-EAST`)],
    )) as { payload: { oldAtp: string; newAtp: string } }[];
    expect(outbox).toHaveLength(5);
    const totalNew = outbox.reduce((n, r) => n + Number(r.payload.newAtp), 0);
    expect(totalNew).toBe(5000 - 480);
    expect(outbox.every((r) => r.payload.oldAtp === '0')).toBe(true);
  });

  async function counted(work: (m: EntityManager) => Promise<unknown>): Promise<string[]> {
    const sent: string[] = [];
    await hub.db.transaction(async (manager) => {
      const runner = manager.queryRunner!;
      const original = runner.query.bind(runner);
      runner.query = ((sql: string, params?: unknown[], structured?: boolean) => {
        sent.push(sql.replace(/\s+/g, ' ').slice(0, 90));
        return original(sql, params, structured as true);
      }) as typeof runner.query;
      await work(manager);
    });
    return sent;
  }

  it('reserves, releases and hands over any number of lines in a constant number of statements', async () => {
    const skus = Array.from({ length: 5 }, () => uniqueSku('CNT'));
    await seedItems(
      hub,
      skus.map((sku) => ({ sku })),
    );
    await hub.inventory.applyStockEvents(skus.map((sku) => stockEvent({ sku, quantity: '100' })));
    const lines = skus.map((sku) => ({ sku, warehouse: 'WH-EAST', quantity: '2' }));
    const out: Record<string, string[]> = {};
    for (let i = 0; i < 2; i++) {
      out[`reserve#${i}`] = await counted((manager) =>
        hub.inventory.reserve({ orderId: `ord-${skus[0]}-${i}`, lines }, { manager }),
      );
    }
    out.insufficient = await counted((manager) =>
      hub.inventory
        .reserve(
          {
            orderId: `ord-${skus[0]}-x`,
            lines: [...lines.slice(0, 4), { ...lines[4], quantity: '1000' }],
          },
          { manager },
        )
        .catch((e: Error) => e.message),
    );
    out.release = await counted((manager) =>
      hub.inventory.release(`ord-${skus[0]}-0`, 'x', { manager }),
    );
    out.confirm = await counted((manager) =>
      hub.inventory.confirmErpAllocation(`ord-${skus[0]}-1`, { manager }),
    );
    const one = await counted((manager) =>
      hub.inventory.reserve(
        { orderId: `ord-${skus[0]}-one`, lines: lines.slice(0, 1) },
        { manager },
      ),
    );
    // SAVEPOINT, reservation + lines, positions, outbox lock, outbox write, RELEASE (+ COMMIT).
    expect(out['reserve#0']).toHaveLength(7);
    expect(one).toHaveLength(out['reserve#0'].length);
    expect(out.release.length).toBeLessThanOrEqual(7);
    expect(out.confirm.length).toBeLessThanOrEqual(6);
    expect(out.insufficient.length).toBeLessThanOrEqual(6);
  });
});
