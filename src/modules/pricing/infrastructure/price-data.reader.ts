import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Contract, PriceList, PriceListEntry, Promotion } from '../domain/price-data.js';

/** One changed row: the record (null when deleted), its content hash and its key. */
export interface RowChange<T> {
  key: string;
  record: T | null;
  hash: string;
  /** Entries: the key's parts, to remove a deleted one. */
  entryKey?: Pick<PriceListEntry, 'priceListCode' | 'sku' | 'uom' | 'minQuantity'>;
}

export interface PriceDataChanges {
  priceLists: RowChange<PriceList>[];
  entries: RowChange<PriceListEntry>[];
  contracts: RowChange<Contract>[];
  promotions: RowChange<Promotion>[];
  /** The highest change_seq read (the input when nothing changed). */
  changeSeq: string;
}

interface Bookkeeping {
  deleted: boolean;
  content_hash: string;
  change_seq: string;
}

/**
 * Reads the price tables for the in-memory cache: every row written after a change sequence
 * (all rows from "0"), deletes included, in ONE repeatable-read snapshot. The sync's change clock
 * orders writes by commit (see the delta-sync writer), so following `change_seq` upward never
 * skips a row; the single snapshot keeps the four tables consistent with each other.
 */
@Injectable()
export class PriceDataReader {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async changesSince(changeSeq: string): Promise<PriceDataChanges> {
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      let highest = BigInt(changeSeq);
      const track = (rows: Bookkeeping[]): void => {
        for (const r of rows) if (BigInt(r.change_seq) > highest) highest = BigInt(r.change_seq);
      };
      const priceLists = await rows<PriceListRow>(m, PRICE_LISTS, changeSeq);
      const entries = await rows<EntryRow>(m, ENTRIES, changeSeq);
      const contracts = await rows<ContractRow>(m, CONTRACTS, changeSeq);
      const promotions = await rows<PromotionRow>(m, PROMOTIONS, changeSeq);
      [priceLists, entries, contracts, promotions].forEach(track);
      return {
        priceLists: priceLists.map((r) => change(r, r.code, toPriceList)),
        entries: entries.map((r) => ({
          ...change(r, `${r.price_list_code}|${r.sku}|${r.uom}|${r.min_qty}`, toEntry),
          entryKey: {
            priceListCode: r.price_list_code,
            sku: r.sku,
            uom: r.uom,
            minQuantity: r.min_qty,
          },
        })),
        contracts: contracts.map((r) => change(r, r.contract_no, toContract)),
        promotions: promotions.map((r) => change(r, r.code, toPromotion)),
        changeSeq: highest.toString(),
      };
    });
  }
}

const BOOKKEEPING = `deleted, content_hash, change_seq::text AS change_seq`;
const PRICE_LISTS = `SELECT code, description, list_type, trim(currency) AS currency, customer_id,
  valid_from::text AS valid_from, valid_to::text AS valid_to, active, ${BOOKKEEPING}
  FROM pr_price_list`;
const ENTRIES = `SELECT price_list_code, sku, uom, min_qty::text AS min_qty,
  unit_price::text AS unit_price, ${BOOKKEEPING}
  FROM pr_price_list_entry`;
const CONTRACTS = `SELECT contract_no, description, customer_id, sku, item_group, price_type,
  fixed_price::text AS fixed_price, uom, trim(currency) AS currency,
  discount_percent::text AS discount_percent, min_qty::text AS min_qty,
  valid_from::text AS valid_from, valid_to::text AS valid_to, ${BOOKKEEPING}
  FROM pr_contract`;
const PROMOTIONS = `SELECT code, description, discount_type, discount_percent::text AS discount_percent,
  discount_amount::text AS discount_amount, fixed_price::text AS fixed_price,
  trim(currency) AS currency, min_qty::text AS min_qty, valid_from::text AS valid_from,
  valid_to::text AS valid_to, active, requires_code, stackable, priority, items, item_groups,
  customers, channels, ${BOOKKEEPING}
  FROM pr_promotion`;

async function rows<T>(m: EntityManager, select: string, changeSeq: string): Promise<T[]> {
  // From "0" (a full load) tombstones are not needed: the cache starts empty.
  const where = changeSeq === '0' ? 'WHERE NOT deleted' : 'WHERE change_seq > $1::bigint';
  return (await m.query(`${select} ${where}`, changeSeq === '0' ? [] : [changeSeq])) as T[];
}

function change<R extends Bookkeeping, T>(row: R, key: string, map: (row: R) => T): RowChange<T> {
  return { key, record: row.deleted ? null : map(row), hash: row.content_hash };
}

interface PriceListRow extends Bookkeeping {
  code: string;
  description: string;
  list_type: PriceList['type'];
  currency: string;
  customer_id: string | null;
  valid_from: string;
  valid_to: string | null;
  active: boolean;
}

const toPriceList = (r: PriceListRow): PriceList => ({
  code: r.code,
  description: r.description,
  type: r.list_type,
  currency: r.currency,
  customerId: r.customer_id,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  active: r.active,
});

interface EntryRow extends Bookkeeping {
  price_list_code: string;
  sku: string;
  uom: string;
  min_qty: string;
  unit_price: string;
}

const toEntry = (r: EntryRow): PriceListEntry => ({
  priceListCode: r.price_list_code,
  sku: r.sku,
  uom: r.uom,
  minQuantity: r.min_qty,
  unitPrice: r.unit_price,
});

interface ContractRow extends Bookkeeping {
  contract_no: string;
  description: string;
  customer_id: string;
  sku: string | null;
  item_group: string | null;
  price_type: Contract['priceType'];
  fixed_price: string | null;
  uom: string | null;
  currency: string;
  discount_percent: string | null;
  min_qty: string | null;
  valid_from: string;
  valid_to: string | null;
}

const toContract = (r: ContractRow): Contract => ({
  contractNo: r.contract_no,
  description: r.description,
  customerId: r.customer_id,
  sku: r.sku,
  itemGroup: r.item_group,
  priceType: r.price_type,
  fixedPrice: r.fixed_price,
  uom: r.uom,
  currency: r.currency,
  discountPercent: r.discount_percent,
  minQuantity: r.min_qty,
  validFrom: r.valid_from,
  validTo: r.valid_to,
});

interface PromotionRow extends Bookkeeping {
  code: string;
  description: string;
  discount_type: Promotion['discountType'];
  discount_percent: string | null;
  discount_amount: string | null;
  fixed_price: string | null;
  currency: string | null;
  min_qty: string | null;
  valid_from: string;
  valid_to: string;
  active: boolean;
  requires_code: boolean;
  stackable: boolean;
  priority: number;
  items: string[];
  item_groups: string[];
  customers: string[];
  channels: string[];
}

const toPromotion = (r: PromotionRow): Promotion => ({
  code: r.code,
  description: r.description,
  discountType: r.discount_type,
  discountPercent: r.discount_percent,
  discountAmount: r.discount_amount,
  fixedPrice: r.fixed_price,
  currency: r.currency,
  minQuantity: r.min_qty,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  active: r.active,
  requiresCode: r.requires_code,
  stackable: r.stackable,
  priority: r.priority,
  items: r.items,
  itemGroups: r.item_groups,
  customers: r.customers,
  channels: r.channels,
});
