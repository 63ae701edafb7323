import { Decimal } from 'decimal.js';
import type {
  DemoDataset,
  DemoInventoryBalance,
} from '../../src/erp-simulators/demo-data/index.js';
import {
  checkInventoryBalance,
  type InventoryBalance,
  InventoryFeed,
} from '../../src/modules/inventory/index.js';
import {
  type DeltaEntry,
  type DeltaPage,
  type DeltaWatermark,
  isDeltaDeletion,
  isDeltaInvalid,
} from '../../src/platform/delta-sync/index.js';

/**
 * What the InventoryFeed contract suite needs from an adapter: a feed over an ERP that holds
 * `dataset` (and nothing else), and the stock movements the ERP's own programs would make.
 * A new adapter passes this suite, and it is done.
 */
export interface InventoryFeedHarness {
  feed: InventoryFeed;
  dataset: DemoDataset;
  /** The feed's sourceId of a dataset balance (rule 5). */
  sourceIdOf(balance: DemoInventoryBalance): string;
  /** A stock movement in the ERP: new on-hand and allocated figures of one balance row. */
  changeBalance(balance: DemoInventoryBalance, onHand: string, allocated: string): Promise<void>;
  /** A feed of the same adapter whose ERP cannot be reached. */
  unreachableFeed(): Promise<InventoryFeed>;
  close(): Promise<void>;
}

interface Pass {
  entries: DeltaEntry<InventoryBalance>[];
  pages: number;
  /** Where the hub's watermark would stand after the pass: its last entry. */
  watermark: DeltaWatermark | null;
}

/**
 * Reads one pass the way the hub does (rule 3), holding the feed to the page contract on the
 * way: at most pageSize records, a cursor that moves, records in modifiedAt order (rule 2).
 */
async function readPass(
  feed: InventoryFeed,
  options: {
    since?: DeltaWatermark | null;
    pageSize?: number;
    afterPage?: (page: number) => Promise<void>;
  } = {},
): Promise<Pass> {
  const pageSize = options.pageSize ?? 1000;
  const entries: DeltaEntry<InventoryBalance>[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: DeltaPage<InventoryBalance> = await feed.readBalances({
      since: options.since ?? null,
      cursor,
      pageSize,
    });
    pages += 1;
    expect(page.records.length).toBeLessThanOrEqual(pageSize);
    if (cursor !== null) expect(page.nextCursor).not.toBe(cursor);
    entries.push(...page.records);
    cursor = page.nextCursor;
    await options.afterPage?.(pages);
    if (pages > 10_000) throw new Error('the pass does not end');
  } while (cursor !== null);
  expectOrdered(entries);
  const last = entries[entries.length - 1];
  return {
    entries,
    pages,
    watermark: last ? { modifiedAt: last.modifiedAt as string, sourceId: last.sourceId } : null,
  };
}

function expectOrdered(entries: DeltaEntry<unknown>[]): void {
  for (let i = 1; i < entries.length; i++) {
    const a = entries[i - 1];
    const b = entries[i];
    const ta = Date.parse(a.modifiedAt as string);
    const tb = Date.parse(b.modifiedAt as string);
    const inOrder =
      ta < tb || (ta === tb && (a.modifiedAt !== b.modifiedAt || a.sourceId < b.sourceId));
    if (!inOrder) {
      throw new Error(
        `records out of order at ${i}: ${a.sourceId}@${a.modifiedAt} before ${b.sourceId}@${b.modifiedAt}`,
      );
    }
  }
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function balances(
  entries: DeltaEntry<InventoryBalance>[],
): Map<string, DeltaEntry<InventoryBalance> & { record: InventoryBalance }> {
  const out = new Map<string, DeltaEntry<InventoryBalance> & { record: InventoryBalance }>();
  for (const e of entries) {
    if (isDeltaInvalid(e))
      throw new Error(`unexpected invalid entry ${e.sourceId}: ${e.invalid.reason}`);
    if (isDeltaDeletion(e)) continue;
    out.set(e.sourceId, e);
  }
  return out;
}

/** A balance as the hub reads it: canonical decimals, lot null when the item has none. */
function normalise(b: InventoryBalance): InventoryBalance {
  return {
    sku: b.sku,
    warehouse: b.warehouse,
    lot: b.lot === '' ? null : b.lot,
    expiryDate: b.expiryDate,
    onHand: new Decimal(b.onHand).toFixed(),
    allocated: new Decimal(b.allocated).toFixed(),
  };
}

function expected(b: DemoInventoryBalance): InventoryBalance {
  return {
    sku: b.sku,
    warehouse: b.warehouseCode,
    lot: b.lotNo,
    expiryDate: b.expiryDate,
    onHand: new Decimal(b.onHand).toFixed(),
    allocated: new Decimal(b.allocated).toFixed(),
  };
}

/** The InventoryFeed contract (src/modules/inventory/application/ports/inventory.feed.ts). */
export function describeInventoryFeedContract(
  adapter: string,
  createHarness: () => Promise<InventoryFeedHarness>,
): void {
  describe(`InventoryFeed contract: ${adapter}`, () => {
    let h: InventoryFeedHarness;
    beforeAll(async () => {
      h = await createHarness();
    });
    afterAll(async () => {
      await h?.close();
    });

    describe('a full read (since: null)', () => {
      it('returns every balance once, mapped faithfully, with exact decimal strings', async () => {
        const pass = await readPass(h.feed);
        const got = balances(pass.entries);
        expect(pass.entries).toHaveLength(h.dataset.inventoryBalances.length);
        for (const b of h.dataset.inventoryBalances) {
          const entry = got.get(h.sourceIdOf(b));
          expect(entry?.modifiedAt).toMatch(ISO_WITH_OFFSET);
          expect(typeof entry?.record.onHand).toBe('string');
          expect(entry && normalise(entry.record)).toEqual(expected(b));
        }
      });

      it('delivers balances the hub accepts as they are', async () => {
        const pass = await readPass(h.feed, { pageSize: 500 });
        const refused = [...balances(pass.entries).values()]
          .map((e) => ({ id: e.sourceId, check: checkInventoryBalance(e.record) }))
          .filter((r) => !r.check.ok);
        expect(refused).toEqual([]);
      });

      it('pages at small page sizes without losing or repeating a balance', async () => {
        const small = await readPass(h.feed, { pageSize: 97 });
        const large = await readPass(h.feed, { pageSize: 5000 });
        expect(small.pages).toBeGreaterThanOrEqual(
          Math.ceil(h.dataset.inventoryBalances.length / 97),
        );
        expect(small.entries.map((e) => e.sourceId)).toEqual(large.entries.map((e) => e.sourceId));
      });
    });

    describe('deltas (since: a watermark)', () => {
      it('returns nothing new after the last balance of a full read', async () => {
        const full = await readPass(h.feed);
        const delta = await readPass(h.feed, { since: full.watermark });
        expect(delta.entries).toEqual([]);
      });

      it('includes the balances at the watermark instant when sourceId is empty', async () => {
        const full = await readPass(h.feed);
        const last = full.entries[full.entries.length - 1];
        const delta = await readPass(h.feed, {
          since: { modifiedAt: last.modifiedAt as string, sourceId: '' },
        });
        expect(delta.entries.map((e) => e.sourceId)).toContain(last.sourceId);
      });

      it('returns a balance after a stock movement, with its new figures and a later time', async () => {
        const before = await readPass(h.feed);
        const balance = h.dataset.inventoryBalances.find(
          (b) => b.lotNo !== null,
        ) as DemoInventoryBalance;
        await h.changeBalance(balance, '77.25', '3.5');

        const delta = await readPass(h.feed, { since: before.watermark });
        const got = balances(delta.entries).get(h.sourceIdOf(balance));
        expect(got && normalise(got.record)).toEqual({
          ...expected(balance),
          onHand: '77.25',
          allocated: '3.5',
        });
        expect(Date.parse(got?.modifiedAt as string)).toBeGreaterThan(
          Date.parse(before.watermark?.modifiedAt as string),
        );
      });

      it('loses no movement made while a pass is paging (keyset, never offset)', async () => {
        const start = await readPass(h.feed);
        const order = start.entries.map((e) => e.sourceId);
        const bySource = new Map(h.dataset.inventoryBalances.map((b) => [h.sourceIdOf(b), b]));
        const early = bySource.get(order[5]) as DemoInventoryBalance;
        const late = bySource.get(order[order.length - 5]) as DemoInventoryBalance;
        const during = await readPass(h.feed, {
          pageSize: 200,
          afterPage: async (page) => {
            if (page !== 2) return;
            await h.changeBalance(early, '11', '1');
            await h.changeBalance(late, '22', '2');
          },
        });
        expect(new Set(during.entries.map((e) => e.sourceId))).toEqual(new Set(order));
        const next = await readPass(h.feed, { since: during.watermark });
        const seen = new Map([...balances(during.entries), ...balances(next.entries)]);
        expect(seen.get(h.sourceIdOf(early))?.record.onHand).toMatch(/^11(\.0*)?$/);
        expect(seen.get(h.sourceIdOf(late))?.record.onHand).toMatch(/^22(\.0*)?$/);
      });
    });

    describe('healthCheck', () => {
      it('is up while the ERP answers', async () => {
        await expect(h.feed.healthCheck()).resolves.toMatchObject({ up: true });
      });

      it('is down, without throwing and within seconds, when the ERP cannot be reached', async () => {
        const feed = await h.unreachableFeed();
        const started = Date.now();
        const health = await feed.healthCheck();
        expect(health.up).toBe(false);
        expect(Date.now() - started).toBeLessThan(3000);
      });
    });

    it('names itself', () => {
      expect(h.feed).toBeInstanceOf(InventoryFeed);
      expect(h.feed.name).toBe(adapter);
    });
  });
}
