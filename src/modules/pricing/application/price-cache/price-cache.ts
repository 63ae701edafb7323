import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { PinoLogger } from '../../../../platform/logging/index.js';
import { AppConfig } from '../../../../config/index.js';
import {
  type Customer,
  type Item,
  ListCustomerChangesQuery,
  ListItemChangesQuery,
} from '../../../master-data/index.js';
import { ReadinessRegistry } from '../../../../platform/health/index.js';
import { PriceIndex, type PriceIndexStats } from '../../domain/price-index.js';
import { PriceDataReader, type PriceDataChanges } from '../../infrastructure/price-data.reader.js';

const ITEM_PAGE = 500;
const CUSTOMER_PAGE = 1000;
/** A quote naming an unknown customer or SKU re-reads master data at most this often. */
const MISS_REFRESH_MIN_INTERVAL_MS = 1000;
const RETRY_MAX_MS = 30_000;
const READY_WAIT_MS = 2000;

function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
  ]).finally(() => clearTimeout(timer));
}

export interface PriceCacheStats extends PriceIndexStats {
  loaded: boolean;
  /** The highest price-data change sequence the cache holds. */
  changeSeq: string;
  loadedAt: string | null;
  refreshedAt: string | null;
}

interface MasterDataCursors {
  items?: string;
  customers?: string;
}

/**
 * The in-memory price index the engine evaluates from: no quote ever queries price rules.
 *
 * Loaded from the hub tables when the app starts (quotes wait for that first load), then kept
 * current incrementally: rows written since the last change sequence (deletes included) are read
 * in one snapshot and applied to the index synchronously, so a quote never sees half a change.
 * Refreshes run right after every price-data sync on this instance, every
 * PRICING_CACHE_REFRESH_SECONDS (syncs run by other instances, master-data changes), and when a
 * quote names a customer or SKU the cache does not know (rate-limited).
 */
@Injectable()
export class PriceCache implements OnApplicationBootstrap, OnApplicationShutdown {
  private index = new PriceIndex();
  private changeSeq = '0';
  private cursors: MasterDataCursors = {};
  private loaded = false;
  private firstLoad: Promise<void> | null = null;
  private running: Promise<void> | null = null;
  private rerun: Promise<void> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private lastMissRefresh = 0;
  private loadedAt: Date | null = null;
  private refreshedAt: Date | null = null;
  private stopped = false;

  constructor(
    private readonly reader: PriceDataReader,
    private readonly queryBus: QueryBus,
    private readonly config: AppConfig,
    private readonly readiness: ReadinessRegistry,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(PriceCache.name);
  }

  onApplicationBootstrap(): void {
    if (!this.config.database.connect) return;
    this.readiness.register('pricing', async () => {
      // Right after start-up the first load is usually a few queries from done: wait for it.
      if (!this.loaded && this.firstLoad) await settleWithin(this.firstLoad, READY_WAIT_MS);
      return { up: this.loaded, details: { ...this.stats() } };
    });
    // Global modules (CQRS among them) finished their bootstrap before this hook: the
    // master-data queries are answerable now.
    this.firstLoad = this.loadWithRetry();
    // Only a shutdown ends the retries; callers of current() see that rejection, nobody else.
    this.firstLoad.catch(() => undefined);
    this.timer = setInterval(() => {
      if (this.loaded) void this.refresh().catch(() => undefined);
    }, this.config.pricing.cacheRefreshSeconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** The index, once the first load is done. */
  async current(): Promise<PriceIndex> {
    if (!this.loaded) {
      if (!this.firstLoad) this.firstLoad = this.loadWithRetry();
      await this.firstLoad;
    }
    return this.index;
  }

  /**
   * Applies every change written so far. Resolves after a refresh that STARTED after this call,
   * so a caller that just committed a change sees it in the index afterwards.
   */
  refresh(): Promise<void> {
    if (!this.running) {
      this.running = this.refreshOnce().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    this.rerun ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.rerun = null;
        return this.refresh();
      });
    return this.rerun;
  }

  /** For a quote that named a customer or SKU the index lacks: maybe it was synced just now. */
  async refreshAfterMiss(): Promise<PriceIndex> {
    const now = Date.now();
    if (now - this.lastMissRefresh >= MISS_REFRESH_MIN_INTERVAL_MS) {
      this.lastMissRefresh = now;
      await this.refresh();
    }
    return this.index;
  }

  stats(): PriceCacheStats {
    return {
      ...this.index.stats(),
      loaded: this.loaded,
      changeSeq: this.changeSeq,
      loadedAt: this.loadedAt?.toISOString() ?? null,
      refreshedAt: this.refreshedAt?.toISOString() ?? null,
    };
  }

  /**
   * Heap taken by a complete index of the current data, measured by building a second one between
   * two full garbage collections. Needs `node --expose-gc`; null without it.
   */
  async measureHeapBytes(): Promise<number | null> {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) return null;
    gc();
    const before = process.memoryUsage().heapUsed;
    const built = await this.build();
    gc();
    const after = process.memoryUsage().heapUsed;
    // Keep the copy reachable until the second measurement.
    return built.index.stats().priceListEntries >= 0 ? after - before : null;
  }

  private async loadWithRetry(): Promise<void> {
    let delay = 1000;
    for (;;) {
      try {
        const started = Date.now();
        const built = await this.build();
        this.index = built.index;
        this.changeSeq = built.changeSeq;
        this.cursors = built.cursors;
        this.loaded = true;
        this.loadedAt = new Date();
        this.refreshedAt = this.loadedAt;
        this.logger.info(
          { ms: Date.now() - started, ...this.index.stats(), changeSeq: this.changeSeq },
          'price cache loaded',
        );
        return;
      } catch (error) {
        if (this.stopped) throw error;
        this.logger.warn({ err: error, retryInMs: delay }, 'loading the price cache failed');
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
        delay = Math.min(delay * 2, RETRY_MAX_MS);
      }
    }
  }

  private async build(): Promise<{
    index: PriceIndex;
    changeSeq: string;
    cursors: MasterDataCursors;
  }> {
    const index = new PriceIndex();
    const cursors: MasterDataCursors = {};
    await this.readMasterData(index, cursors);
    const changes = await this.reader.changesSince('0');
    applyPriceChanges(index, changes);
    index.warm();
    return { index, changeSeq: changes.changeSeq, cursors };
  }

  private async refreshOnce(): Promise<void> {
    if (!this.loaded) {
      await this.current();
      return;
    }
    const cursors = { ...this.cursors };
    const items: Item[] = [];
    const customers: Customer[] = [];
    await this.readMasterDataChanges(cursors, items, customers);
    const changes = await this.reader.changesSince(this.changeSeq);
    // Applied in one synchronous step: no quote runs in between.
    for (const item of items) this.index.putItem(toPricingItem(item));
    for (const customer of customers) this.index.putCustomer(toPricingCustomer(customer));
    applyPriceChanges(this.index, changes);
    this.changeSeq = changes.changeSeq;
    this.cursors = cursors;
    this.refreshedAt = new Date();
    const count =
      items.length +
      customers.length +
      changes.priceLists.length +
      changes.entries.length +
      changes.contracts.length +
      changes.promotions.length;
    if (count > 0) {
      this.logger.info(
        {
          items: items.length,
          customers: customers.length,
          priceLists: changes.priceLists.length,
          priceListEntries: changes.entries.length,
          contracts: changes.contracts.length,
          promotions: changes.promotions.length,
          changeSeq: this.changeSeq,
        },
        'price cache refreshed',
      );
    }
  }

  private async readMasterData(index: PriceIndex, cursors: MasterDataCursors): Promise<void> {
    const items: Item[] = [];
    const customers: Customer[] = [];
    await this.readMasterDataChanges(cursors, items, customers);
    for (const item of items) index.putItem(toPricingItem(item));
    for (const customer of customers) index.putCustomer(toPricingCustomer(customer));
  }

  /** Follows the master-data change feeds from `cursors` (advanced in place). */
  private async readMasterDataChanges(
    cursors: MasterDataCursors,
    items: Item[],
    customers: Customer[],
  ): Promise<void> {
    for (;;) {
      const page = await this.queryBus.execute(
        new ListItemChangesQuery({ cursor: cursors.items, limit: ITEM_PAGE }),
      );
      for (const item of page.items) items.push(item.value);
      cursors.items = page.nextCursor;
      if (!page.hasMore) break;
    }
    for (;;) {
      const page = await this.queryBus.execute(
        new ListCustomerChangesQuery({ cursor: cursors.customers, limit: CUSTOMER_PAGE }),
      );
      for (const customer of page.customers) customers.push(customer.value);
      cursors.customers = page.nextCursor;
      if (!page.hasMore) break;
    }
  }
}

function applyPriceChanges(index: PriceIndex, changes: PriceDataChanges): void {
  for (const c of changes.priceLists) {
    if (c.record) index.putPriceList(c.record, c.hash);
    else index.removePriceList(c.key);
  }
  for (const c of changes.entries) {
    if (c.record) index.putEntry(c.record, c.hash);
    else if (c.entryKey) index.removeEntry(c.entryKey);
  }
  for (const c of changes.contracts) {
    if (c.record) index.putContract(c.record, c.hash);
    else index.removeContract(c.key);
  }
  for (const c of changes.promotions) {
    if (c.record) index.putPromotion(c.record, c.hash);
    else index.removePromotion(c.key);
  }
}

const toPricingItem = (item: Item) => ({
  sku: item.sku,
  baseUom: item.baseUom,
  itemGroup: item.itemGroup,
  status: item.status,
  uomConversions: item.uomConversions,
});

const toPricingCustomer = (customer: Customer) => ({
  id: customer.erpId,
  parentId: customer.parentErpId,
  currency: customer.currency,
  status: customer.status,
  shipToCodes: customer.shipTos.map((s) => s.code),
});
