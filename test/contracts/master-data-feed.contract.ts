import type {
  DemoCustomer,
  DemoDataset,
  DemoItem,
  DemoWarehouse,
} from '../../src/erp-simulators/demo-data/index.js';
import {
  type Customer,
  type Item,
  MasterDataFeed,
  type MasterDataKind,
  type Warehouse,
} from '../../src/modules/master-data/index.js';
import {
  type DeltaEntry,
  type DeltaPage,
  type DeltaReadRequest,
  isDeltaDeletion,
  isDeltaInvalid,
  type DeltaWatermark,
} from '../../src/platform/delta-sync/index.js';
import {
  expectedCustomer,
  expectedItem,
  expectedWarehouse,
  normaliseCustomer,
  normaliseItem,
  normaliseWarehouse,
} from './demo-dataset.expectations.js';

/**
 * What the MasterDataFeed contract suite needs from an adapter: a feed over an ERP that holds
 * `dataset` (and nothing else), and the ERP-side edits a user of that ERP would make.
 * A new adapter passes this suite, and it is done.
 */
export interface MasterDataFeedHarness {
  feed: MasterDataFeed;
  dataset: DemoDataset;
  /** The feed's sourceId of a dataset record (rule 5). */
  sourceIdOf: {
    customer(c: DemoCustomer): string;
    item(i: DemoItem): string;
    warehouse(w: DemoWarehouse): string;
  };
  changeCustomerCreditLimit(customerNo: string, creditLimit: string): Promise<void>;
  /** Changes only the ship-to row: the customer's own row keeps its time. */
  changeShipToCity(customerNo: string, shipToCode: string, city: string): Promise<void>;
  /** Changes only the unit-of-measure row: the item's own row keeps its time. */
  changeItemUomFactor(sku: string, uomCode: string, factor: string): Promise<void>;
  /** Adds a customer whose status the adapter cannot map; resolves to its sourceId. */
  addUnmappableCustomer(): Promise<string>;
  /** A feed of the same adapter whose ERP cannot be reached. */
  unreachableFeed(): Promise<MasterDataFeed>;
  close(): Promise<void>;
}

type Kind = MasterDataKind;
type RecordOf<K extends Kind> = K extends 'customers'
  ? Customer
  : K extends 'items'
    ? Item
    : Warehouse;

const READ: {
  [K in Kind]: (feed: MasterDataFeed, r: DeltaReadRequest) => Promise<DeltaPage<RecordOf<K>>>;
} = {
  customers: (feed, r) => feed.readCustomers(r),
  items: (feed, r) => feed.readItems(r),
  warehouses: (feed, r) => feed.readWarehouses(r),
};

interface Pass<T> {
  entries: DeltaEntry<T>[];
  pages: number;
  /** Where the hub's watermark would stand after the pass: its last entry. */
  watermark: DeltaWatermark | null;
}

/**
 * Reads one pass the way the hub does (rule 3), holding the feed to the page contract on the
 * way: at most pageSize records, a cursor that moves, and records in modifiedAt order (rule 2).
 */
async function readPass<K extends Kind>(
  feed: MasterDataFeed,
  kind: K,
  options: {
    since?: DeltaWatermark | null;
    pageSize?: number;
    afterPage?: (page: number) => Promise<void>;
  } = {},
): Promise<Pass<RecordOf<K>>> {
  const pageSize = options.pageSize ?? 500;
  const entries: DeltaEntry<RecordOf<K>>[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: DeltaPage<RecordOf<K>> = await READ[kind](feed, {
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

/** Rule 2: ascending modifiedAt; the same modifiedAt ordered by sourceId (code-unit order). */
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

function mapped<T>(entries: DeltaEntry<T>[]): Map<string, { modifiedAt: string; record: T }> {
  const out = new Map<string, { modifiedAt: string; record: T }>();
  for (const e of entries) {
    if (isDeltaInvalid(e))
      throw new Error(`unexpected invalid entry ${e.sourceId}: ${e.invalid.reason}`);
    if (isDeltaDeletion(e)) throw new Error(`unexpected deletion ${e.sourceId}: rule 7`);
    out.set(e.sourceId, { modifiedAt: e.modifiedAt, record: e.record });
  }
  return out;
}

/** The MasterDataFeed contract (src/modules/master-data/application/ports/master-data.feed.ts). */
export function describeMasterDataFeedContract(
  adapter: string,
  createHarness: () => Promise<MasterDataFeedHarness>,
): void {
  describe(`MasterDataFeed contract: ${adapter}`, () => {
    let h: MasterDataFeedHarness;
    beforeAll(async () => {
      h = await createHarness();
    });
    afterAll(async () => {
      await h?.close();
    });

    describe('a full read (since: null)', () => {
      it('returns every customer once, mapped faithfully (ship-tos, exact money, statuses)', async () => {
        const pass = await readPass(h.feed, 'customers');
        const got = mapped(pass.entries);
        expect(pass.entries).toHaveLength(h.dataset.customers.length);
        for (const c of h.dataset.customers) {
          const entry = got.get(h.sourceIdOf.customer(c));
          expect(entry?.modifiedAt).toMatch(ISO_WITH_OFFSET);
          expect(entry && normaliseCustomer(entry.record)).toEqual(expectedCustomer(h.dataset, c));
        }
      });

      it('returns every item once, with exact unit-of-measure factors and substitutes', async () => {
        const pass = await readPass(h.feed, 'items');
        const got = mapped(pass.entries);
        expect(pass.entries).toHaveLength(h.dataset.items.length);
        for (const item of h.dataset.items) {
          const entry = got.get(h.sourceIdOf.item(item));
          expect(entry && normaliseItem(entry.record)).toEqual(expectedItem(item));
        }
        // The exact decimals travel as text, never through a float.
        const odd = h.dataset.items.find((i) => i.uoms.some((u) => /\.\d{3,}/.test(u.factor)));
        if (odd) {
          const uom = odd.uoms.find((u) => /\.\d{3,}/.test(u.factor));
          const factor = got
            .get(h.sourceIdOf.item(odd))
            ?.record.uomConversions.find((u) => u.uom === uom?.uomCode)?.factor;
          expect(typeof factor).toBe('string');
          expect(Number(factor)).toBe(Number(uom?.factor));
        }
      });

      it('returns every warehouse once, with its address', async () => {
        const pass = await readPass(h.feed, 'warehouses');
        const got = mapped(pass.entries);
        expect(pass.entries).toHaveLength(h.dataset.warehouses.length);
        for (const w of h.dataset.warehouses) {
          const entry = got.get(h.sourceIdOf.warehouse(w));
          expect(entry && normaliseWarehouse(entry.record)).toEqual(expectedWarehouse(w));
        }
      });

      it('pages at small page sizes without losing or repeating a record', async () => {
        const small = await readPass(h.feed, 'customers', { pageSize: 7 });
        const large = await readPass(h.feed, 'customers', { pageSize: 5000 });
        expect(small.pages).toBeGreaterThanOrEqual(Math.ceil(h.dataset.customers.length / 7));
        expect(small.entries.map((e) => e.sourceId)).toEqual(large.entries.map((e) => e.sourceId));
        const items = await readPass(h.feed, 'items', { pageSize: 333 });
        expect(new Set(items.entries.map((e) => e.sourceId)).size).toBe(h.dataset.items.length);
      });
    });

    describe('deltas (since: a watermark)', () => {
      it('returns nothing new after the last record of a full read', async () => {
        const full = await readPass(h.feed, 'warehouses');
        const delta = await readPass(h.feed, 'warehouses', { since: full.watermark });
        expect(delta.entries).toEqual([]);
      });

      it('includes the records at the watermark instant when sourceId is empty', async () => {
        const full = await readPass(h.feed, 'customers');
        const last = full.entries[full.entries.length - 1];
        const delta = await readPass(h.feed, 'customers', {
          since: { modifiedAt: last.modifiedAt as string, sourceId: '' },
        });
        expect(delta.entries.map((e) => e.sourceId)).toContain(last.sourceId);
      });

      it('returns a customer whose own row changed, with the new values', async () => {
        const before = await readPass(h.feed, 'customers');
        const customer = h.dataset.customers.find((c) => c.creditLimit !== '0.00') as DemoCustomer;
        await h.changeCustomerCreditLimit(customer.customerNo, '123456.78');

        const delta = await readPass(h.feed, 'customers', { since: before.watermark });
        const got = mapped(delta.entries).get(h.sourceIdOf.customer(customer));
        expect(got?.record.creditLimit).toMatch(/^123456\.780*$/);
        expect(Date.parse(got?.modifiedAt as string)).toBeGreaterThan(
          Date.parse(before.watermark?.modifiedAt as string),
        );
      });

      it('returns the customer when only one of its ship-to addresses changed (rule 4)', async () => {
        const before = await readPass(h.feed, 'customers');
        const shipTo = h.dataset.shipTos.find((s) => !s.isDefault) ?? h.dataset.shipTos[0];
        const customer = h.dataset.customers.find(
          (c) => c.customerNo === shipTo.customerNo,
        ) as DemoCustomer;
        await h.changeShipToCity(shipTo.customerNo, shipTo.code, 'Springfield');

        const delta = await readPass(h.feed, 'customers', { since: before.watermark });
        const got = mapped(delta.entries).get(h.sourceIdOf.customer(customer));
        expect(got?.record.shipTos.find((s) => s.code === shipTo.code)?.city).toBe('Springfield');
        // The whole record, not just the changed address.
        expect(got?.record.shipTos).toHaveLength(
          h.dataset.shipTos.filter((s) => s.customerNo === customer.customerNo).length,
        );
      });

      it('returns the item when only one of its units of measure changed (rule 4)', async () => {
        const before = await readPass(h.feed, 'items');
        const item = h.dataset.items.find((i) => i.uoms.length > 1) as DemoItem;
        const uom = item.uoms.find((u) => !u.isBase) as DemoItem['uoms'][number];
        await h.changeItemUomFactor(item.sku, uom.uomCode, '7.125');

        const delta = await readPass(h.feed, 'items', { since: before.watermark });
        const got = mapped(delta.entries).get(h.sourceIdOf.item(item));
        const factor = got?.record.uomConversions.find((u) => u.uom === uom.uomCode)?.factor;
        expect(factor).toMatch(/^7\.1250*$/);
        expect(got?.record.uomConversions).toHaveLength(item.uoms.length);
      });

      it('loses no change made while a pass is paging (keyset, never offset)', async () => {
        const start = await readPass(h.feed, 'customers');
        const order = start.entries.map((e) => e.sourceId);
        // One customer the pass has already read, and one it has not reached yet.
        const early = h.dataset.customers.find(
          (c) => h.sourceIdOf.customer(c) === order[5],
        ) as DemoCustomer;
        const late = h.dataset.customers.find(
          (c) => h.sourceIdOf.customer(c) === order[order.length - 5],
        ) as DemoCustomer;
        const during = await readPass(h.feed, 'customers', {
          pageSize: 20,
          afterPage: async (page) => {
            if (page !== 2) return;
            await h.changeCustomerCreditLimit(early.customerNo, '1111.11');
            await h.changeCustomerCreditLimit(late.customerNo, '2222.22');
          },
        });
        // Every record of the pass, changed or not, and each change either in this pass or in
        // the next one (from the watermark this pass leaves), as the hub would read them.
        expect(new Set(during.entries.map((e) => e.sourceId))).toEqual(new Set(order));
        const next = await readPass(h.feed, 'customers', { since: during.watermark });
        const seen = new Map([...mapped(during.entries), ...mapped(next.entries)]);
        expect(seen.get(h.sourceIdOf.customer(early))?.record.creditLimit).toMatch(/^1111\.110*$/);
        expect(seen.get(h.sourceIdOf.customer(late))?.record.creditLimit).toMatch(/^2222\.220*$/);
      });
    });

    describe('records it cannot map (rule 6)', () => {
      it('reports them as invalid entries with sourceId, reason and payload, and maps the rest', async () => {
        const before = await readPass(h.feed, 'customers');
        const sourceId = await h.addUnmappableCustomer();

        const delta = await readPass(h.feed, 'customers', { since: before.watermark });
        const invalid = delta.entries.filter(isDeltaInvalid);
        expect(invalid).toHaveLength(1);
        expect(invalid[0]).toMatchObject({
          sourceId,
          modifiedAt: expect.stringMatching(ISO_WITH_OFFSET),
          invalid: { reason: expect.stringMatching(/status/i), payload: expect.anything() },
        });
        expect(JSON.parse(JSON.stringify(invalid[0].invalid.payload))).toEqual(
          invalid[0].invalid.payload,
        );
        const full = await readPass(h.feed, 'customers');
        expect(full.entries.filter((e) => !isDeltaInvalid(e))).toHaveLength(
          h.dataset.customers.length,
        );
      });
    });

    describe('healthCheck (rule 9)', () => {
      it('is up while the ERP answers', async () => {
        await expect(h.feed.healthCheck()).resolves.toMatchObject({ up: true });
      });

      it('is down, without throwing and within seconds, when the ERP cannot be reached', async () => {
        const feed = await h.unreachableFeed();
        const started = Date.now();
        const health = await feed.healthCheck();
        expect(health.up).toBe(false);
        expect(health.details).toEqual(expect.any(Object));
        expect(Date.now() - started).toBeLessThan(3000);
      });
    });

    it('names itself (rule 10)', () => {
      expect(h.feed).toBeInstanceOf(MasterDataFeed);
      expect(h.feed.name).toBe(adapter);
    });
  });
}
