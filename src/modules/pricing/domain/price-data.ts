/*
 * The price data the hub keeps, synced from the ERP (the pricing authority). Canonical records,
 * as the PriceDataFeed port delivers them: decimal strings for money, quantities and percentages
 * (plain notation, never JS numbers), calendar dates `YYYY-MM-DD` (inclusive on both ends, in the
 * ERP company's calendar), UoM and currency codes upper-case.
 */

export const PRICE_LIST_TYPES = ['BASE', 'CUSTOMER'] as const;
/** BASE: the list for everyone, one (or more, by validity) per currency. CUSTOMER: one account's. */
export type PriceListType = (typeof PRICE_LIST_TYPES)[number];

/** A price book: its header. Its prices are PriceListEntry records. */
export interface PriceList {
  code: string;
  description: string;
  type: PriceListType;
  currency: string;
  /** CUSTOMER lists: the owning account; its child accounts use the list too. */
  customerId: string | null;
  validFrom: string;
  /** `null` = open-ended. */
  validTo: string | null;
  active: boolean;
}

/**
 * One price of a price book: for an item in a UoM, from a minimum quantity up. `minQuantity "0"`
 * is the line's own price; entries with a higher minQuantity are its quantity breaks. The
 * minimum is in the entry's UoM (`uom`): the engine compares it in the item's base UoM.
 */
export interface PriceListEntry {
  priceListCode: string;
  sku: string;
  uom: string;
  minQuantity: string;
  unitPrice: string;
}

export const CONTRACT_PRICE_TYPES = ['FIXED', 'PERCENT_OFF'] as const;
export type ContractPriceType = (typeof CONTRACT_PRICE_TYPES)[number];

/**
 * A customer contract: for one account (and, when that account is a parent, its child accounts),
 * for one item or a whole item group; a fixed price per UoM (item contracts only) or a percentage
 * off the price the customer would otherwise pay (its price-book price).
 */
export interface Contract {
  contractNo: string;
  description: string;
  customerId: string;
  /** Exactly one of sku / itemGroup is set. */
  sku: string | null;
  itemGroup: string | null;
  priceType: ContractPriceType;
  /** FIXED: price per `uom`. */
  fixedPrice: string | null;
  uom: string | null;
  currency: string;
  /** PERCENT_OFF: 0 < percent <= 100. */
  discountPercent: string | null;
  /** In the item's base UoM; `null` = any quantity. */
  minQuantity: string | null;
  validFrom: string;
  validTo: string | null;
}

export const PROMOTION_DISCOUNT_TYPES = ['PERCENT_OFF', 'AMOUNT_OFF', 'FIXED_PRICE'] as const;
export type PromotionDiscountType = (typeof PROMOTION_DISCOUNT_TYPES)[number];

/**
 * A promotion, applied after the contract / price-book price. Scope lists are ANDed with each
 * other and ORed within: `items` / `itemGroups` say which items (both empty = every item);
 * `customers` restricts it to those accounts and their child accounts; `channels` to channels
 * (by channel name or kind). Empty lists do not restrict.
 */
export interface Promotion {
  code: string;
  description: string;
  discountType: PromotionDiscountType;
  /** PERCENT_OFF: 0 < percent <= 100. */
  discountPercent: string | null;
  /** AMOUNT_OFF: per base unit, in `currency`. */
  discountAmount: string | null;
  /** FIXED_PRICE: price per base unit, in `currency`. */
  fixedPrice: string | null;
  /** Required for AMOUNT_OFF and FIXED_PRICE. */
  currency: string | null;
  /** In the item's base UoM; `null` = any quantity. */
  minQuantity: string | null;
  validFrom: string;
  validTo: string;
  active: boolean;
  /** Applies only when the quote carries its code; otherwise automatic. */
  requiresCode: boolean;
  /** Stackable promotions combine; an exclusive one applies alone. */
  stackable: boolean;
  /** Higher goes first. */
  priority: number;
  items: string[];
  itemGroups: string[];
  customers: string[];
  channels: string[];
}

/** The kinds of price data, in the order a sync reads them. */
export const PRICE_DATA_KINDS = [
  'priceLists',
  'priceListEntries',
  'contracts',
  'promotions',
] as const;
export type PriceDataKind = (typeof PRICE_DATA_KINDS)[number];

export interface PriceDataRecords {
  priceLists: PriceList;
  priceListEntries: PriceListEntry;
  contracts: Contract;
  promotions: Promotion;
}

/** The business key of a price-list entry: list, item, UoM and minimum quantity. */
export const priceListEntryKey = (e: PriceListEntry): string =>
  `${e.priceListCode}|${e.sku}|${e.uom}|${e.minQuantity}`;
