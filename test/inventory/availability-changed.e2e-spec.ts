import { EventBus } from '@nestjs/cqrs';
import type { Subscription } from 'rxjs';
import { AvailabilityChangedEvent } from '../../src/modules/inventory/index.js';
import {
  OUTBOX_DELAY_METRIC,
  OutboxMessage,
  OutboxService,
} from '../../src/platform/outbox/index.js';
import {
  type InventoryHub,
  seedItems,
  startInventoryHub,
  stockEvent,
  uniqueSku,
} from './inventory-test-app.js';

const WINDOW_MS = 300;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('AvailabilityChanged through the outbox', () => {
  let hub: InventoryHub;
  let subscription: Subscription;
  const seen: { event: object; at: number }[] = [];

  beforeAll(async () => {
    hub = await startInventoryHub({ INVENTORY_COALESCE_WINDOW_MS: String(WINDOW_MS) });
    subscription = hub.app.get(EventBus).subscribe((event) => seen.push({ event, at: Date.now() }));
  });
  afterAll(async () => {
    subscription?.unsubscribe();
    await hub?.close();
  });

  const changesOf = (sku: string): AvailabilityChangedEvent[] =>
    seen
      .map((s) => s.event)
      .filter((e): e is AvailabilityChangedEvent => e instanceof AvailabilityChangedEvent)
      .filter((e) => e.sku === sku);

  const until = async (done: () => boolean, timeoutMs = 3000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!done() && Date.now() < deadline) await sleep(20);
  };

  it('publishes one event for a burst on one SKU: the first old ATP, the last new ATP', async () => {
    const sku = uniqueSku('BURST');
    await seedItems(hub, [{ sku }]);
    await hub.inventory.applyStockEvents([stockEvent({ sku, quantity: '10' })]);
    await until(() => changesOf(sku).length === 1);
    expect(changesOf(sku)).toMatchObject([{ warehouse: 'WH-EAST', oldAtp: '0', newAtp: '10' }]);

    const started = Date.now();
    let last = '';
    for (let i = 1; i <= 5; i++) {
      last = new Date().toISOString();
      await hub.inventory.applyStockEvents([
        stockEvent({ sku, type: 'ADJUSTMENT', quantity: '-1', occurredAt: last }),
      ]);
    }
    await until(() => changesOf(sku).length === 2);
    await sleep(WINDOW_MS);

    const events = changesOf(sku);
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({
      sku,
      warehouse: 'WH-EAST',
      oldAtp: '10',
      newAtp: '5',
      sourceEventAt: new Date(Date.parse(last)).toISOString(),
    });
    const publishedAfter = seen.find((s) => s.event === events[1])!.at - started;
    expect(publishedAfter).toBeGreaterThanOrEqual(WINDOW_MS - 50);
    expect(publishedAfter).toBeLessThan(WINDOW_MS + 1000);
  });

  it('publishes nothing when a burst ends where it started', async () => {
    const sku = uniqueSku('FLAT');
    await seedItems(hub, [{ sku }]);
    await hub.inventory.applyStockEvents([stockEvent({ sku, quantity: '10' })]);
    await until(() => changesOf(sku).length === 1);

    await hub.inventory.reserve({
      orderId: `ord-${sku}`,
      lines: [{ sku, warehouse: 'WH-EAST', quantity: '3' }],
    });
    await hub.inventory.release(`ord-${sku}`);
    await sleep(WINDOW_MS + 500);

    expect(changesOf(sku)).toHaveLength(1);
  });

  it('records the delay from source event to publication and marks events published', async () => {
    const res = await fetch(`${hub.baseUrl}/metrics`);
    const text = await res.text();

    expect(text).toMatch(
      new RegExp(
        `^${OUTBOX_DELAY_METRIC}_count\\{type="inventory.availability-changed"\\} [1-9]`,
        'm',
      ),
    );
    const [pending] = (await hub.db.query(
      `SELECT count(*)::int AS n FROM outbox_event
        WHERE type = 'inventory.availability-changed' AND published_at IS NULL
          AND available_at < now() - interval '2 seconds'`,
    )) as { n: number }[];
    expect(pending.n).toBe(0);
  });

  it('publishes an outbox event only if its transaction commits, and events of one key in order', async () => {
    const outbox = hub.app.get(OutboxService);
    const key = uniqueSku('KEY');

    await hub.db
      .transaction(async (manager) => {
        await outbox.add(manager, { type: 'test.rolled-back', key, payload: { n: 0 } });
        throw new Error('roll back');
      })
      .catch(() => undefined);
    for (let n = 1; n <= 3; n++) {
      await hub.db.transaction((manager) =>
        outbox.add(manager, { type: 'test.ordered', key, payload: { n } }),
      );
    }
    const messages = (): OutboxMessage<{ n: number }>[] =>
      seen
        .map((s) => s.event)
        .filter((e): e is OutboxMessage<{ n: number }> => e instanceof OutboxMessage)
        .filter((m) => m.key === key);
    await until(() => messages().length === 3);

    expect(messages().map((m) => [m.type, m.payload.n])).toEqual([
      ['test.ordered', 1],
      ['test.ordered', 2],
      ['test.ordered', 3],
    ]);
  });
});
