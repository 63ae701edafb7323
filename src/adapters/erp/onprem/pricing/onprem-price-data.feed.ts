import { Injectable } from '@nestjs/common';
import {
  type Contract,
  PriceDataFeed,
  type PriceList,
  type PriceListEntry,
  type Promotion,
} from '../../../../modules/pricing/index.js';
import {
  type DeltaEntry,
  type DeltaFeedHealth,
  type DeltaPage,
  type DeltaReadRequest,
} from '../../../../platform/delta-sync/index.js';
import { mapOrReport } from '../../shared/canonical-fields.js';
import {
  decodeCursor,
  encodeCursor,
  type FeedPosition,
  isFeedPosition,
  startOf,
} from '../../shared/feed-position.js';
import { OnPremErpConnection, type OnPremSql } from '../onprem-erp.connection.js';
import {
  OnPremPriceDataMapper,
  type PrContractRow,
  type PrPriceEntryRow,
  type PrPriceListRow,
  type PrPromotionRow,
  type PrPromotionScopeRow,
} from './onprem-price-data.mapper.js';

/** Microsecond ISO 8601 in UTC: the cursor keeps PostgreSQL's full precision. */
const ISO_US = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;
const DATE = (column: string): string => `to_char(${column}, 'YYYY-MM-DD')`;

/** One row of a page: its position, whether it is a journalled delete, its columns as text. */
interface PageRow {
  at: string;
  sid: string;
  deleted: boolean;
  data: Record<string, unknown> | null;
}

/**
 * The keyset page over rows and deletes: each part selects `ts, sid, deleted, data` for rows
 * changed (or deleted, from the ERP's journal sy_deleted_row) at or after $1, and the page is the
 * next $3 after ($1, $2) in (time, sourceId COLLATE "C") order. Never OFFSET.
 */
function pageSql(parts: string[]): string {
  return `
    SELECT to_char(ts AT TIME ZONE 'UTC', ${ISO_US}) AS at, sid, deleted, data
    FROM (
      ${parts.join('\n      UNION ALL\n      ')}
    ) rows
    WHERE (ts, sid COLLATE "C") > ($1::timestamptz, $2::text COLLATE "C")
    ORDER BY ts, sid COLLATE "C"
    LIMIT $3`;
}

/** Deletes of `table` from the journal, the sourceId built from the deleted row's key. */
const deletes = (table: string, sid: string): string => `
  SELECT d.updated_at AS ts, ${sid} AS sid, true AS deleted, NULL::jsonb AS data
  FROM sy_deleted_row d WHERE d.table_name = '${table}' AND d.updated_at >= $1::timestamptz`;
const old = (column: string): string => `(d.old_row->>'${column}')`;

const PRICE_LISTS_SQL = pageSql([
  `SELECT l.updated_at AS ts, l.price_list_code::text AS sid, false AS deleted,
     jsonb_build_object('price_list_code', l.price_list_code, 'description', l.description,
       'list_type', l.list_type, 'currency_code', l.currency_code, 'customer_no', l.customer_no,
       'valid_from', ${DATE('l.valid_from')}, 'valid_to', ${DATE('l.valid_to')}) AS data
   FROM pr_price_list l WHERE l.updated_at >= $1::timestamptz`,
  deletes('pr_price_list', old('price_list_code')),
]);

/**
 * A price-list entry is a pr_price_list_line (its own price, minQuantity "0") or a
 * pr_price_break (one per break); the sourceId is the entry's key: list|item|uom|minQuantity.
 */
const ENTRIES_SQL = pageSql([
  `SELECT l.updated_at AS ts,
     l.price_list_code || '|' || l.item_no || '|' || l.uom_code || '|0' AS sid, false AS deleted,
     jsonb_build_object('price_list_code', l.price_list_code, 'item_no', l.item_no,
       'uom_code', l.uom_code, 'min_qty', '0', 'unit_price', l.unit_price::text) AS data
   FROM pr_price_list_line l WHERE l.updated_at >= $1::timestamptz`,
  `SELECT b.updated_at AS ts,
     b.price_list_code || '|' || b.item_no || '|' || b.uom_code || '|' || trim_scale(b.min_qty)::text
       AS sid, false AS deleted,
     jsonb_build_object('price_list_code', b.price_list_code, 'item_no', b.item_no,
       'uom_code', b.uom_code, 'min_qty', b.min_qty::text, 'unit_price', b.unit_price::text) AS data
   FROM pr_price_break b WHERE b.updated_at >= $1::timestamptz`,
  deletes(
    'pr_price_list_line',
    `${old('price_list_code')} || '|' || ${old('item_no')} || '|' || ${old('uom_code')} || '|0'`,
  ),
  deletes(
    'pr_price_break',
    `${old('price_list_code')} || '|' || ${old('item_no')} || '|' || ${old('uom_code')} || '|' ||
       trim_scale(${old('min_qty')}::numeric)::text`,
  ),
]);

const CONTRACTS_SQL = pageSql([
  `SELECT c.updated_at AS ts, c.contract_no::text AS sid, false AS deleted,
     jsonb_build_object('contract_no', c.contract_no, 'description', c.description,
       'customer_no', c.customer_no, 'item_no', c.item_no, 'item_group_code', c.item_group_code,
       'price_type', c.price_type, 'fixed_price', c.fixed_price::text, 'uom_code', c.uom_code,
       'currency_code', c.currency_code, 'discount_percent', c.discount_percent::text,
       'min_qty', c.min_qty::text, 'valid_from', ${DATE('c.valid_from')},
       'valid_to', ${DATE('c.valid_to')}) AS data
   FROM pr_contract c WHERE c.updated_at >= $1::timestamptz`,
  deletes('pr_contract', old('contract_no')),
]);

/**
 * A promotion spans pr_promotion and its pr_promotion_scope rows: its modifiedAt is the greatest
 * updated_at over them, a deleted scope row (journalled) included, so a changed scope moves the
 * promotion (PriceDataFeed rule 4). A deleted promotion is its journal entry.
 */
const PROMOTION_POSITIONS_SQL = pageSql([
  `SELECT greatest(p.updated_at,
       (SELECT max(s.updated_at) FROM pr_promotion_scope s WHERE s.promotion_code = p.promotion_code),
       (SELECT max(d.updated_at) FROM sy_deleted_row d
         WHERE d.table_name = 'pr_promotion_scope'
           AND d.old_row->>'promotion_code' = p.promotion_code)) AS ts,
     p.promotion_code::text AS sid, false AS deleted, NULL::jsonb AS data
   FROM pr_promotion p
   WHERE p.promotion_code IN (
     SELECT promotion_code FROM pr_promotion WHERE updated_at >= $1::timestamptz
     UNION SELECT promotion_code FROM pr_promotion_scope WHERE updated_at >= $1::timestamptz
     UNION SELECT d.old_row->>'promotion_code' FROM sy_deleted_row d
       WHERE d.table_name = 'pr_promotion_scope' AND d.updated_at >= $1::timestamptz)`,
  deletes('pr_promotion', old('promotion_code')),
]);

const PROMOTIONS_SQL = `
  SELECT promotion_code, description, discount_type, discount_percent::text AS discount_percent,
         discount_amount::text AS discount_amount, currency_code, min_qty::text AS min_qty,
         ${DATE('valid_from')} AS valid_from, ${DATE('valid_to')} AS valid_to, status
  FROM pr_promotion WHERE promotion_code = ANY($1::text[])`;

const SCOPES_SQL = `
  SELECT promotion_code, scope_no, scope_type, item_no, item_group_code, customer_no
  FROM pr_promotion_scope WHERE promotion_code = ANY($1::text[])
  ORDER BY promotion_code, scope_no`;

/**
 * PriceDataFeed over the on-prem ERP's pricing tables (direct SQL, read-only, one snapshot per
 * page). sourceId is the primary key as text (price_list_code, contract_no, promotion_code; an
 * entry's list|item|uom|minQuantity). Deletes come from the ERP's delete journal.
 */
@Injectable()
export class OnPremPriceDataFeed extends PriceDataFeed {
  readonly name = 'onprem';

  constructor(private readonly erp: OnPremErpConnection) {
    super();
  }

  readPriceLists(request: DeltaReadRequest): Promise<DeltaPage<PriceList>> {
    return this.readRows(request, PRICE_LISTS_SQL, (row) =>
      OnPremPriceDataMapper.priceList(row as unknown as PrPriceListRow),
    );
  }

  readPriceListEntries(request: DeltaReadRequest): Promise<DeltaPage<PriceListEntry>> {
    return this.readRows(request, ENTRIES_SQL, (row) =>
      OnPremPriceDataMapper.entry(row as unknown as PrPriceEntryRow),
    );
  }

  readContracts(request: DeltaReadRequest): Promise<DeltaPage<Contract>> {
    return this.readRows(request, CONTRACTS_SQL, (row) =>
      OnPremPriceDataMapper.contract(row as unknown as PrContractRow),
    );
  }

  readPromotions(request: DeltaReadRequest): Promise<DeltaPage<Promotion>> {
    return this.readPage(request, PROMOTION_POSITIONS_SQL, async (sql, rows) => {
      const keys = rows.filter((r) => !r.deleted).map((r) => r.sid);
      const promotions = new Map(
        (await sql.query<PrPromotionRow>(PROMOTIONS_SQL, [keys])).map((p) => [p.promotion_code, p]),
      );
      const scopes = new Map<string, PrPromotionScopeRow[]>();
      for (const s of await sql.query<PrPromotionScopeRow>(SCOPES_SQL, [keys])) {
        scopes.set(s.promotion_code, [...(scopes.get(s.promotion_code) ?? []), s]);
      }
      return rows.map((row): DeltaEntry<Promotion> => {
        if (row.deleted) return { sourceId: row.sid, modifiedAt: row.at, deleted: true };
        const promotion = promotions.get(row.sid);
        const promotionScopes = scopes.get(row.sid) ?? [];
        return mapOrReport(row.sid, row.at, { ...promotion, scopes: promotionScopes }, () =>
          OnPremPriceDataMapper.promotion(promotion as PrPromotionRow, promotionScopes),
        );
      });
    });
  }

  healthCheck(): Promise<DeltaFeedHealth> {
    return this.erp.healthCheck();
  }

  /** A kind whose page rows carry their columns: each maps alone. */
  private readRows<T>(
    request: DeltaReadRequest,
    pageSql: string,
    map: (data: Record<string, unknown>) => T,
  ): Promise<DeltaPage<T>> {
    return this.readPage(request, pageSql, (_sql, rows) =>
      Promise.resolve(
        rows.map((row): DeltaEntry<T> => {
          if (row.deleted || row.data === null) {
            return { sourceId: row.sid, modifiedAt: row.at, deleted: true };
          }
          const data = row.data;
          return mapOrReport(row.sid, row.at, data, () => map(data));
        }),
      ),
    );
  }

  private readPage<T>(
    request: DeltaReadRequest,
    pageSql: string,
    toEntries: (sql: OnPremSql, rows: PageRow[]) => Promise<DeltaEntry<T>[]>,
  ): Promise<DeltaPage<T>> {
    request.signal?.throwIfAborted();
    const cursor = request.cursor === null ? null : decodeCursor(request.cursor, isFeedPosition);
    const from = startOf(request.since, cursor);
    return this.erp.read(async (sql) => {
      const rows = await sql.query<PageRow>(pageSql, [
        from?.at ?? '-infinity',
        from?.sourceId ?? '',
        request.pageSize + 1,
      ]);
      const page = rows.slice(0, request.pageSize);
      const last = page[page.length - 1];
      return {
        records: await toEntries(sql, page),
        nextCursor:
          rows.length > page.length && last
            ? encodeCursor<FeedPosition>({ at: last.at, sourceId: last.sid })
            : null,
      };
    });
  }
}
