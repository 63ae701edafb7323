import { createHash } from 'node:crypto';
import {
  type Contract,
  type PriceList,
  type PriceListEntry,
  type Promotion,
} from './price-data.js';
import {
  compareMoney,
  HUNDRED,
  Money,
  roundToString,
  UNIT_PRICE_SCALE,
} from './pricing-decimal.js';

/*
 * The in-memory, indexed form of the price data and the master data the engine needs. Built once
 * from the hub tables, then kept current record by record: every lookup a quote line makes is a
 * Map get or a scan of a handful of records for one item or one account. No I/O here.
 *
 * Each record carries a `fingerprint` (kind, key and a hash of its content): a quote's
 * priceVersion is a hash of the fingerprints of every record it considered.
 */

export const ITEM_STATUSES = ['ACTIVE', 'DISCONTINUED', 'BLOCKED'] as const;
export type PricingItemStatus = (typeof ITEM_STATUSES)[number];

/** What pricing needs of an item (master data). */
export interface PricingItem {
  sku: string;
  baseUom: string;
  itemGroup: string | null;
  status: PricingItemStatus;
  /** Base units in one of each UoM, exact; the base UoM included with "1". */
  uomConversions: { uom: string; factor: string }[];
}

/** What pricing needs of a customer (master data). */
export interface PricingCustomer {
  id: string;
  parentId: string | null;
  currency: string;
  status: string;
  shipToCodes: string[];
}

export interface ItemView {
  sku: string;
  baseUom: string;
  /** Upper-case base UoM: the key of its factor (1). */
  baseUomKey: string;
  itemGroup: string | null;
  status: PricingItemStatus;
  /** By upper-case UoM code. */
  factors: Map<string, Money>;
  fingerprint: string;
}

export interface CustomerView {
  id: string;
  parentId: string | null;
  currency: string;
  status: string;
  /** Upper-case ship-to codes. */
  shipTos: Set<string>;
  fingerprint: string;
}

export interface PriceListView {
  record: PriceList;
  fingerprint: string;
}

/**
 * One price of a price book, flat and small (there are hundreds of thousands): strings shared
 * between entries, the price kept as its 4-decimal text (which orders exactly like the amount:
 * by length, then character by character) and parsed to a decimal only when a quote uses it.
 */
export interface EntryView {
  priceListCode: string;
  sku: string;
  /** Upper-case UoM of the price. */
  uom: string;
  /** Canonical text of the minimum quantity ("0" = the line's own price). */
  minQuantityText: string;
  minQuantity: Money;
  /** unitPrice with exactly 4 decimals. */
  unitPriceText: string;
  /** Content hash of the synced record (its part of the priceVersion). */
  hash: string;
  /** Parsed on first use (see unitPriceOf). */
  unitPriceValue: Money | null;
  /** The engine's cache of minQuantity in base units, for one (the item's current) UoM factor. */
  minBase: { factor: Money; value: Money } | null;
}

/** The entry's price as a decimal, parsed once. */
export function unitPriceOf(entry: EntryView): Money {
  return (entry.unitPriceValue ??= new Money(entry.unitPriceText));
}

/** Orders two non-negative decimal texts of the same scale exactly (no parsing). */
export function compareFixedText(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The entries of one price list for one item: what the engine reads per candidate book. */
export interface EntryGroup {
  priceListCode: string;
  /** By UoM, then minQuantity ascending. */
  entries: readonly EntryView[];
  /** One fingerprint for all the entries (any change to one changes it). */
  fingerprint: string;
}

export interface ContractView {
  record: Contract;
  fixedPrice: Money | null;
  /** fixedPrice with 4 decimals. */
  fixedPriceText: string | null;
  /** PERCENT_OFF as a fraction (12.5 % → 0.125). */
  discountFraction: Money | null;
  minQuantity: Money | null;
  fingerprint: string;
}

export interface PromotionView {
  record: Promotion;
  codeKey: string;
  discountFraction: Money | null;
  discountAmount: Money | null;
  fixedPrice: Money | null;
  minQuantity: Money | null;
  customers: Set<string>;
  /** Lower-case channel names / kinds. */
  channels: Set<string>;
  fingerprint: string;
}

export interface PriceIndexStats {
  items: number;
  customers: number;
  priceLists: number;
  priceListEntries: number;
  contracts: number;
  promotions: number;
}

const byKey =
  <T>(key: (t: T) => string) =>
  (a: T, b: T): number => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
const contractOrder = byKey<ContractView>((c) => c.record.contractNo);
const promotionOrder = byKey<PromotionView>((p) => p.record.code);

/** Puts `value` into the sorted bucket `key` of `map`, replacing an element that `same` matches. */
function putSorted<T>(
  map: Map<string, T[]>,
  key: string,
  value: T,
  same: (t: T) => boolean,
  order: (a: T, b: T) => number,
): void {
  const bucket = (map.get(key) ?? []).filter((t) => !same(t));
  bucket.push(value);
  bucket.sort(order);
  map.set(key, bucket);
}

function removeFrom<T>(map: Map<string, T[]>, key: string, same: (t: T) => boolean): void {
  const bucket = map.get(key);
  if (!bucket) return;
  const rest = bucket.filter((t) => !same(t));
  if (rest.length === 0) map.delete(key);
  else map.set(key, rest);
}

const fraction = (percent: string | null): Money | null =>
  percent === null ? null : new Money(percent).div(HUNDRED);
const optional = (value: string | null): Money | null => (value === null ? null : new Money(value));

export class PriceIndex {
  private readonly items = new Map<string, ItemView>();
  private readonly customers = new Map<string, CustomerView>();
  private readonly priceLists = new Map<string, PriceListView>();
  /** Every SKU's entries, by price list, UoM, then minQuantity. */
  private readonly entriesBySku = new Map<string, EntryView[]>();
  private entryCount = 0;
  /** Strings many records repeat (codes, SKUs, UoMs, quantities), one copy each. */
  private readonly strings = new Map<string, string>();
  private readonly quantities = new Map<string, Money>();
  /** Derived from entriesBySku on first use after a change of that SKU's entries. */
  private readonly groupsBySku = new Map<string, EntryGroup[]>();
  private readonly contracts = new Map<string, ContractView>();
  private readonly contractsByAccount = new Map<string, ContractView[]>();
  private readonly promotions = new Map<string, PromotionView>();
  private readonly promotionsBySku = new Map<string, PromotionView[]>();
  private readonly promotionsByGroup = new Map<string, PromotionView[]>();
  /** Promotions without an item or item-group scope: they apply to every item. */
  private unscopedPromotions: PromotionView[] = [];
  /** promotionsFor() answers by `sku|group`, dropped whenever a promotion changes. */
  private readonly promotionsForCache = new Map<string, PromotionView[]>();

  // ---- lookups (the engine's only way in) ----------------------------------------------------

  item(sku: string): ItemView | undefined {
    return this.items.get(sku);
  }

  customer(id: string): CustomerView | undefined {
    return this.customers.get(id);
  }

  priceList(code: string): PriceListView | undefined {
    return this.priceLists.get(code);
  }

  /** Every price-list entry of an item (all lists, UoMs and breaks), ordered by key. */
  entriesOf(sku: string): readonly EntryView[] {
    return this.entriesBySku.get(sku) ?? [];
  }

  /** The item's entries grouped by price list (ordered by code), then by UoM. */
  entryGroupsOf(sku: string): readonly EntryGroup[] {
    let groups = this.groupsBySku.get(sku);
    if (!groups) {
      groups = groupEntries(this.entriesBySku.get(sku) ?? []);
      this.groupsBySku.set(sku, groups);
    }
    return groups;
  }

  /** The contracts of one account, ordered by contract number. */
  contractsOf(accountId: string): readonly ContractView[] {
    return this.contractsByAccount.get(accountId) ?? [];
  }

  /** Promotions whose item scope covers the item (by SKU, by group, or unscoped), by code. */
  promotionsFor(sku: string, itemGroup: string | null): readonly PromotionView[] {
    const bySku = this.promotionsBySku.get(sku) ?? [];
    const byGroup = itemGroup === null ? [] : (this.promotionsByGroup.get(itemGroup) ?? []);
    if (byGroup.length === 0 && this.unscopedPromotions.length === 0) return bySku;
    // Most items have no promotion of their own: they share their group's merged list.
    const cacheKey = bySku.length === 0 ? `|${itemGroup ?? ''}` : `${sku}|${itemGroup ?? ''}`;
    const cached = this.promotionsForCache.get(cacheKey);
    if (cached) return cached;
    const seen = new Map<string, PromotionView>();
    for (const p of [...bySku, ...byGroup, ...this.unscopedPromotions]) seen.set(p.record.code, p);
    const merged = [...seen.values()].sort(promotionOrder);
    this.promotionsForCache.set(cacheKey, merged);
    return merged;
  }

  promotionByCode(codeKey: string): PromotionView | undefined {
    return this.promotions.get(codeKey);
  }

  /** Builds every derived structure now rather than on a quote's first use (after a full load). */
  warm(): void {
    for (const sku of this.entriesBySku.keys()) this.entryGroupsOf(sku);
  }

  stats(): PriceIndexStats {
    return {
      items: this.items.size,
      customers: this.customers.size,
      priceLists: this.priceLists.size,
      priceListEntries: this.entryCount,
      contracts: this.contracts.size,
      promotions: this.promotions.size,
    };
  }

  // ---- master data ----------------------------------------------------------------------------

  putItem(item: PricingItem): void {
    const factors = new Map<string, Money>();
    for (const c of item.uomConversions) factors.set(c.uom.toUpperCase(), new Money(c.factor));
    factors.set(item.baseUom.toUpperCase(), new Money(1));
    const conversions = [...factors.entries()]
      .map(([uom, f]) => `${uom}=${f.toFixed()}`)
      .sort()
      .join(',');
    this.items.set(item.sku, {
      sku: item.sku,
      baseUom: item.baseUom,
      baseUomKey: item.baseUom.toUpperCase(),
      itemGroup: item.itemGroup,
      status: item.status,
      factors,
      fingerprint: `item:${item.sku}:${item.baseUom}:${item.itemGroup ?? ''}:${item.status}:${conversions}`,
    });
  }

  removeItem(sku: string): void {
    this.items.delete(sku);
  }

  putCustomer(customer: PricingCustomer): void {
    this.customers.set(customer.id, {
      id: customer.id,
      parentId: customer.parentId,
      currency: customer.currency,
      status: customer.status,
      shipTos: new Set(customer.shipToCodes.map((c) => c.toUpperCase())),
      fingerprint: `customer:${customer.id}:${customer.parentId ?? ''}:${customer.currency}`,
    });
  }

  // ---- price data -----------------------------------------------------------------------------

  putPriceList(list: PriceList, hash: string = JSON.stringify(list)): void {
    this.priceLists.set(list.code, { record: list, fingerprint: `pl:${list.code}:${hash}` });
  }

  removePriceList(code: string): void {
    this.priceLists.delete(code);
  }

  putEntry(entry: PriceListEntry, hash: string = JSON.stringify(entry)): void {
    const view: EntryView = {
      priceListCode: this.intern(entry.priceListCode),
      sku: this.intern(entry.sku),
      uom: this.intern(entry.uom.toUpperCase()),
      minQuantityText: this.intern(entry.minQuantity),
      minQuantity: this.quantity(entry.minQuantity),
      unitPriceText: fixed4(entry.unitPrice),
      hash,
      unitPriceValue: null,
      minBase: null,
    };
    const bucket = this.entriesBySku.get(view.sku);
    if (!bucket) {
      this.entriesBySku.set(view.sku, [view]);
      this.entryCount += 1;
    } else {
      const at = findEntry(bucket, view);
      if (at.found) bucket[at.index] = view;
      else {
        bucket.splice(at.index, 0, view);
        this.entryCount += 1;
      }
    }
    this.groupsBySku.delete(view.sku);
  }

  removeEntry(key: Pick<PriceListEntry, 'priceListCode' | 'sku' | 'uom' | 'minQuantity'>): void {
    const bucket = this.entriesBySku.get(key.sku);
    if (!bucket) return;
    const probe = {
      priceListCode: key.priceListCode,
      uom: key.uom.toUpperCase(),
      minQuantity: this.quantity(key.minQuantity),
    };
    const at = findEntry(bucket, probe);
    if (!at.found) return;
    bucket.splice(at.index, 1);
    this.entryCount -= 1;
    if (bucket.length === 0) this.entriesBySku.delete(key.sku);
    this.groupsBySku.delete(key.sku);
  }

  private intern(value: string): string {
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    this.strings.set(value, value);
    return value;
  }

  private quantity(text: string): Money {
    let value = this.quantities.get(text);
    if (!value) {
      value = new Money(text);
      this.quantities.set(this.intern(text), value);
    }
    return value;
  }

  putContract(contract: Contract, hash: string = JSON.stringify(contract)): void {
    this.removeContract(contract.contractNo);
    const fixedPrice = optional(contract.fixedPrice);
    const view: ContractView = {
      record: contract,
      fixedPrice,
      fixedPriceText: fixedPrice === null ? null : roundToString(fixedPrice, UNIT_PRICE_SCALE),
      discountFraction: fraction(contract.discountPercent),
      minQuantity: optional(contract.minQuantity),
      fingerprint: `ct:${contract.contractNo}:${hash}`,
    };
    this.contracts.set(contract.contractNo, view);
    putSorted(
      this.contractsByAccount,
      contract.customerId,
      view,
      (c) => c.record.contractNo === contract.contractNo,
      contractOrder,
    );
  }

  removeContract(contractNo: string): void {
    const previous = this.contracts.get(contractNo);
    if (!previous) return;
    this.contracts.delete(contractNo);
    removeFrom(
      this.contractsByAccount,
      previous.record.customerId,
      (c) => c.record.contractNo === contractNo,
    );
  }

  putPromotion(promotion: Promotion, hash: string = JSON.stringify(promotion)): void {
    this.removePromotion(promotion.code);
    this.promotionsForCache.clear();
    const codeKey = promotion.code.toUpperCase();
    const view: PromotionView = {
      record: promotion,
      codeKey,
      discountFraction: fraction(promotion.discountPercent),
      discountAmount: optional(promotion.discountAmount),
      fixedPrice: optional(promotion.fixedPrice),
      minQuantity: optional(promotion.minQuantity),
      customers: new Set(promotion.customers),
      channels: new Set(promotion.channels.map((c) => c.toLowerCase())),
      fingerprint: `promo:${promotion.code}:${hash}`,
    };
    this.promotions.set(codeKey, view);
    const same = (p: PromotionView): boolean => p.codeKey === codeKey;
    for (const sku of promotion.items) {
      putSorted(this.promotionsBySku, sku, view, same, promotionOrder);
    }
    for (const group of promotion.itemGroups) {
      putSorted(this.promotionsByGroup, group, view, same, promotionOrder);
    }
    if (promotion.items.length === 0 && promotion.itemGroups.length === 0) {
      this.unscopedPromotions = [...this.unscopedPromotions, view].sort(promotionOrder);
    }
  }

  removePromotion(code: string): void {
    const codeKey = code.toUpperCase();
    const previous = this.promotions.get(codeKey);
    if (!previous) return;
    this.promotionsForCache.clear();
    this.promotions.delete(codeKey);
    const same = (p: PromotionView): boolean => p.codeKey === codeKey;
    for (const sku of previous.record.items) removeFrom(this.promotionsBySku, sku, same);
    for (const group of previous.record.itemGroups) {
      removeFrom(this.promotionsByGroup, group, same);
    }
    this.unscopedPromotions = this.unscopedPromotions.filter((p) => !same(p));
  }
}

/** Where `probe` is (or would go) in a bucket ordered by price list, UoM, minQuantity. */
function findEntry(
  bucket: readonly EntryView[],
  probe: Pick<EntryView, 'priceListCode' | 'uom' | 'minQuantity'>,
): { index: number; found: boolean } {
  let lo = 0;
  let hi = bucket.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const order = compareEntries(bucket[mid], probe);
    if (order === 0) return { index: mid, found: true };
    if (order < 0) lo = mid + 1;
    else hi = mid;
  }
  return { index: lo, found: false };
}

function compareEntries(
  a: Pick<EntryView, 'priceListCode' | 'uom' | 'minQuantity'>,
  b: Pick<EntryView, 'priceListCode' | 'uom' | 'minQuantity'>,
): number {
  if (a.priceListCode !== b.priceListCode) return a.priceListCode < b.priceListCode ? -1 : 1;
  if (a.uom !== b.uom) return a.uom < b.uom ? -1 : 1;
  return compareMoney(a.minQuantity, b.minQuantity);
}

/** A price as text with exactly 4 decimals (prices carry at most 4). */
function fixed4(price: string): string {
  return /^\d+\.\d{4}$/.test(price) ? price : roundToString(new Money(price), UNIT_PRICE_SCALE);
}

/** Splits one item's entries (ordered by list, UoM, minQuantity) into one group per list. */
function groupEntries(entries: readonly EntryView[]): EntryGroup[] {
  const groups: EntryGroup[] = [];
  let start = 0;
  for (let i = 1; i <= entries.length; i++) {
    if (i < entries.length && entries[i].priceListCode === entries[start].priceListCode) continue;
    const slice = entries.slice(start, i);
    const first = slice[0];
    const content = slice.map((e) => `${e.uom}|${e.minQuantityText}:${e.hash}`).join(';');
    groups.push({
      priceListCode: first.priceListCode,
      entries: slice,
      fingerprint: `ple:${createHash('sha1')
        .update(`${first.priceListCode}|${first.sku}|${content}`)
        .digest('base64url')}`,
    });
    start = i;
  }
  return groups;
}
