import type {
  DemoContract,
  DemoDataset,
  DemoPriceBreak,
  DemoPriceList,
  DemoPriceListLine,
  DemoPromotion,
} from '../../src/erp-simulators/demo-data/index.js';
import {
  checkContract,
  checkPriceList,
  checkPriceListEntry,
  checkPromotion,
  type Contract,
  PriceDataFeed,
  type PriceDataKind,
  type PriceList,
  type PriceListEntry,
  type Promotion,
} from '../../src/modules/pricing/index.js';
import {
  type DeltaEntry,
  type DeltaPage,
  type DeltaWatermark,
} from '../../src/platform/delta-sync/index.js';
import {
  isDeltaDeletion,
  isDeltaInvalid,
  type RecordCheck,
} from '../../src/platform/delta-sync/index.js';

/**
 * What the PriceDataFeed contract suite needs from an adapter: a feed over an ERP that holds
 * `dataset` (and nothing else), and the edits the ERP's own programs would make. A new adapter
 * passes this suite, and it is done.
 */
export interface PriceDataFeedHarness {
  feed: PriceDataFeed;
  dataset: DemoDataset;
  /** The feed's sourceIds of dataset records (rule 5); `brk` = a break of the line, else its own price. */
  sourceIdOf: {
    priceList(list: DemoPriceList): string;
    entry(line: DemoPriceListLine, brk?: DemoPriceBreak): string;
    contract(contract: DemoContract): string;
    promotion(promotion: DemoPromotion): string;
  };
  /** A new price for the line's own entry (minimum quantity 0). */
  changeLinePrice(line: DemoPriceListLine, unitPrice: string): Promise<void>;
  /** A customer scope row added to a promotion (a change to a part of the record, rule 4). */
  addCustomerScope(promotion: DemoPromotion, customerNo: string): Promise<void>;
  /** The contract deleted in the ERP. */
  deleteContract(contract: DemoContract): Promise<void>;
  /** True when the feed reports deletes (rule 7'); else deleted records just stop being returned. */
  reportsDeletes: boolean;
  /** A feed of the same adapter whose ERP cannot be reached. */
  unreachableFeed(): Promise<PriceDataFeed>;
  close(): Promise<void>;
}

interface Pass<T> {
  entries: DeltaEntry<T>[];
  pages: number;
  /** Where the hub's watermark would stand after the pass: its last entry. */
  watermark: DeltaWatermark | null;
}

const READERS: {
  [K in PriceDataKind]: (feed: PriceDataFeed) => PriceDataFeed[`read${Capitalize<K>}`];
} = {
  priceLists: (feed) => feed.readPriceLists.bind(feed),
  priceListEntries: (feed) => feed.readPriceListEntries.bind(feed),
  contracts: (feed) => feed.readContracts.bind(feed),
  promotions: (feed) => feed.readPromotions.bind(feed),
};

/**
 * Reads one pass the way the hub does (rule 3), holding the feed to the page contract on the
 * way: at most pageSize records, a cursor that moves, records in modifiedAt order (rule 2).
 */
async function readPass<T>(
  feed: PriceDataFeed,
  kind: PriceDataKind,
  options: { since?: DeltaWatermark | null; pageSize?: number } = {},
): Promise<Pass<T>> {
  const pageSize = options.pageSize ?? 2000;
  const read = READERS[kind](feed) as unknown as (r: {
    since: DeltaWatermark | null;
    cursor: string | null;
    pageSize: number;
  }) => Promise<DeltaPage<T>>;
  const entries: DeltaEntry<T>[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: DeltaPage<T> = await read({ since: options.since ?? null, cursor, pageSize });
    pages += 1;
    expect(page.records.length).toBeLessThanOrEqual(pageSize);
    if (cursor !== null) expect(page.nextCursor).not.toBe(cursor);
    entries.push(...page.records);
    cursor = page.nextCursor;
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

/** The records of a pass by sourceId (no invalid entries expected from demo data). */
function records<T>(entries: DeltaEntry<T>[]): Map<string, { modifiedAt: string; record: T }> {
  const out = new Map<string, { modifiedAt: string; record: T }>();
  for (const e of entries) {
    if (isDeltaInvalid(e))
      throw new Error(`unexpected invalid entry ${e.sourceId}: ${e.invalid.reason}`);
    if (isDeltaDeletion(e)) continue;
    out.set(e.sourceId, { modifiedAt: e.modifiedAt, record: e.record });
  }
  return out;
}

/** As the hub holds a record: after its own checks (canonical decimals, codes upper-case). */
function accepted<T>(check: (input: unknown) => RecordCheck<T>, record: unknown): T {
  const result = check(record);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.problems)}`);
  return result.value;
}

// ---- the canonical records the demo dataset stands for (the same for every adapter) ----------

const expectedList = (l: DemoPriceList): PriceList => ({
  code: l.code,
  description: l.description,
  type: l.type,
  currency: l.currencyCode,
  customerId: l.customerNo,
  validFrom: l.validFrom,
  validTo: l.validTo,
  active: true,
});

const expectedEntry = (line: DemoPriceListLine, brk?: DemoPriceBreak): PriceListEntry => ({
  priceListCode: line.priceListCode,
  sku: line.sku,
  uom: line.uomCode,
  minQuantity: brk?.minQty ?? '0',
  unitPrice: brk?.unitPrice ?? line.unitPrice,
});

const expectedContract = (c: DemoContract): Contract => ({
  contractNo: c.contractNo,
  description: c.description,
  customerId: c.customerNo,
  sku: c.sku,
  itemGroup: c.itemGroupCode,
  priceType: c.priceType,
  fixedPrice: c.fixedPrice,
  uom: c.uomCode,
  currency: c.currencyCode,
  discountPercent: c.discountPercent,
  minQuantity: c.minQty,
  validFrom: c.validFrom,
  validTo: c.validTo,
});

/** ERP promotions have no codes, stacking, priorities or channels (see the port). */
const expectedPromotion = (p: DemoPromotion): Promotion => ({
  code: p.code,
  description: p.description,
  discountType: p.discountType,
  discountPercent: p.discountPercent,
  discountAmount: p.discountAmount,
  fixedPrice: null,
  currency: p.currencyCode,
  minQuantity: p.minQty,
  validFrom: p.validFrom,
  validTo: p.validTo,
  active: p.status === 'ACTIVE',
  requiresCode: false,
  stackable: false,
  priority: 0,
  items: p.scopes.filter((s) => s.type === 'ITEM').map((s) => s.code),
  itemGroups: p.scopes.filter((s) => s.type === 'ITEM_GROUP').map((s) => s.code),
  customers: p.scopes.filter((s) => s.type === 'CUSTOMER').map((s) => s.code),
  channels: [],
});

/** The PriceDataFeed contract (src/modules/pricing/application/ports/price-data.feed.ts). */
export function describePriceDataFeedContract(
  adapter: string,
  createHarness: () => Promise<PriceDataFeedHarness>,
): void {
  describe(`PriceDataFeed contract: ${adapter}`, () => {
    let h: PriceDataFeedHarness;
    beforeAll(async () => {
      h = await createHarness();
    });
    afterAll(async () => {
      await h?.close();
    });

    describe('a full read (since: null) maps every record faithfully, once', () => {
      it('price lists', async () => {
        const got = records((await readPass<PriceList>(h.feed, 'priceLists')).entries);
        expect(got.size).toBe(h.dataset.priceLists.length);
        for (const list of h.dataset.priceLists) {
          const entry = got.get(h.sourceIdOf.priceList(list));
          expect(entry?.modifiedAt).toMatch(ISO_WITH_OFFSET);
          expect(accepted(checkPriceList, entry?.record)).toEqual(
            accepted(checkPriceList, expectedList(list)),
          );
        }
      });

      it('price-list entries: each line as its own price (minimum 0) plus one per break', async () => {
        const got = records((await readPass<PriceListEntry>(h.feed, 'priceListEntries')).entries);
        const lines = h.dataset.priceListLines;
        expect(got.size).toBe(lines.reduce((n, l) => n + 1 + l.breaks.length, 0));
        for (const line of lines) {
          for (const brk of [undefined, ...line.breaks]) {
            const entry = got.get(h.sourceIdOf.entry(line, brk));
            expect(typeof entry?.record.unitPrice).toBe('string');
            expect(accepted(checkPriceListEntry, entry?.record)).toEqual(
              accepted(checkPriceListEntry, expectedEntry(line, brk)),
            );
          }
        }
      });

      it('contracts', async () => {
        const got = records((await readPass<Contract>(h.feed, 'contracts')).entries);
        expect(got.size).toBe(h.dataset.contracts.length);
        for (const contract of h.dataset.contracts) {
          const entry = got.get(h.sourceIdOf.contract(contract));
          expect(accepted(checkContract, entry?.record)).toEqual(
            accepted(checkContract, expectedContract(contract)),
          );
        }
      });

      it('promotions, with their scopes', async () => {
        const got = records((await readPass<Promotion>(h.feed, 'promotions')).entries);
        expect(got.size).toBe(h.dataset.promotions.length);
        for (const promotion of h.dataset.promotions) {
          const entry = got.get(h.sourceIdOf.promotion(promotion));
          expect(accepted(checkPromotion, entry?.record)).toEqual(
            accepted(checkPromotion, expectedPromotion(promotion)),
          );
        }
      });

      it('pages at small page sizes without losing or repeating a record', async () => {
        const small = await readPass<Contract>(h.feed, 'contracts', { pageSize: 37 });
        const large = await readPass<Contract>(h.feed, 'contracts', { pageSize: 5000 });
        expect(small.pages).toBeGreaterThanOrEqual(Math.ceil(h.dataset.contracts.length / 37));
        expect(small.entries.map((e) => e.sourceId)).toEqual(large.entries.map((e) => e.sourceId));
      });
    });

    describe('deltas (since: a watermark)', () => {
      it('returns nothing new after the last record of a full read', async () => {
        const full = await readPass<Promotion>(h.feed, 'promotions');
        const delta = await readPass<Promotion>(h.feed, 'promotions', { since: full.watermark });
        expect(delta.entries).toEqual([]);
      });

      it('includes the records at the watermark instant when sourceId is empty', async () => {
        const full = await readPass<PriceList>(h.feed, 'priceLists');
        const last = full.entries[full.entries.length - 1];
        const delta = await readPass<PriceList>(h.feed, 'priceLists', {
          since: { modifiedAt: last.modifiedAt as string, sourceId: '' },
        });
        expect(delta.entries.map((e) => e.sourceId)).toContain(last.sourceId);
      });

      it('returns a changed price with its new amount and a later time', async () => {
        const before = await readPass<PriceListEntry>(h.feed, 'priceListEntries');
        const line = h.dataset.priceListLines.find((l) => l.breaks.length > 0) as DemoPriceListLine;
        await h.changeLinePrice(line, '123.4500');
        const delta = await readPass<PriceListEntry>(h.feed, 'priceListEntries', {
          since: before.watermark,
        });
        const got = records(delta.entries).get(h.sourceIdOf.entry(line));
        expect(accepted(checkPriceListEntry, got?.record)).toEqual(
          accepted(checkPriceListEntry, { ...expectedEntry(line), unitPrice: '123.45' }),
        );
        expect(Date.parse(got?.modifiedAt as string)).toBeGreaterThan(
          Date.parse(before.watermark?.modifiedAt as string),
        );
      });

      it('returns a promotion again when one of its scope rows changes (rule 4)', async () => {
        const before = await readPass<Promotion>(h.feed, 'promotions');
        const promotion = h.dataset.promotions.find(
          (p) => !p.scopes.some((s) => s.type === 'CUSTOMER'),
        ) as DemoPromotion;
        const customer = h.dataset.customers[0].customerNo;
        await h.addCustomerScope(promotion, customer);
        const delta = await readPass<Promotion>(h.feed, 'promotions', { since: before.watermark });
        const got = records(delta.entries).get(h.sourceIdOf.promotion(promotion));
        expect(got?.record.customers).toEqual([customer]);
      });

      it('does not return a deleted contract as a record again, and reports the delete if it can', async () => {
        const before = await readPass<Contract>(h.feed, 'contracts');
        const contract = h.dataset.contracts[3];
        await h.deleteContract(contract);
        const delta = await readPass<Contract>(h.feed, 'contracts', { since: before.watermark });
        const sourceId = h.sourceIdOf.contract(contract);
        if (h.reportsDeletes) {
          expect(delta.entries).toEqual([
            expect.objectContaining({
              sourceId,
              deleted: true,
              modifiedAt: expect.stringMatching(ISO_WITH_OFFSET),
            }),
          ]);
        }
        // Either way a full pass no longer returns it: the hub's full sync removes it then.
        const full = await readPass<Contract>(h.feed, 'contracts');
        expect(records(full.entries).has(sourceId)).toBe(false);
        expect(records(full.entries).size).toBe(h.dataset.contracts.length - 1);
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
      expect(h.feed).toBeInstanceOf(PriceDataFeed);
      expect(h.feed.name).toBe(adapter);
    });
  });
}
