import { Injectable } from '@nestjs/common';
import {
  type Customer,
  type Item,
  MasterDataFeed,
  type Warehouse,
} from '../../../../modules/master-data/index.js';
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
  type ArCustomerRow,
  type ArShipToRow,
  type InItemRow,
  type InItemSubstituteRow,
  type InItemUomRow,
  type InWarehouseRow,
  OnPremMasterDataMapper,
} from './onprem-master-data.mapper.js';

/** One record's place in the pass: its key and the greatest updated_at of its rows. */
interface PositionRow {
  key: string;
  at: string;
  total: string;
}

/**
 * Where a kind's records change: the key of the record, and every table whose rows go into it
 * (MasterDataFeed rule 4). The record's modifiedAt is the greatest updated_at over all of them.
 */
interface KindSource {
  table: string;
  key: string;
  children: { table: string; key: string }[];
}

const CUSTOMERS: KindSource = {
  table: 'ar_customer',
  key: 'customer_no',
  children: [{ table: 'ar_ship_to', key: 'customer_no' }],
};
const ITEMS: KindSource = {
  table: 'in_item',
  key: 'item_no',
  children: [
    { table: 'in_item_uom', key: 'item_no' },
    { table: 'in_item_substitute', key: 'item_no' },
  ],
};
const WAREHOUSES: KindSource = { table: 'in_warehouse', key: 'warehouse_code', children: [] };

/** Microsecond ISO 8601 in UTC: the cursor keeps PostgreSQL's full precision. */
const ISO_US = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/**
 * The keyset page query of a kind. Candidates are the keys with ANY row changed at or after the
 * start (each table's `(updated_at, key)` delta index serves that), their position is the
 * greatest updated_at over the record's rows, and the page is the next `limit` positions after
 * ($1, $2) in (modifiedAt, key COLLATE "C") order: never OFFSET (rule 3).
 */
function positionsSql(source: KindSource): string {
  const changed = [source, ...source.children]
    .map((t) => `SELECT ${t.key} AS key FROM ${t.table} WHERE updated_at >= $1::timestamptz`)
    .join('\n      UNION\n      ');
  // Each child table's latest change per candidate, aggregated by join (a correlated max()
  // lets the planner walk the whole (updated_at, key) index backwards for every record).
  const childMax = source.children.map(
    (c, i) => `child_${i} AS (
      SELECT c.${c.key} AS key, max(c.updated_at) AS m
      FROM ${c.table} c JOIN changed ON c.${c.key} = changed.key
      GROUP BY c.${c.key}
    )`,
  );
  const greatest = ['r.updated_at', ...source.children.map((_, i) => `child_${i}.m`)].join(', ');
  const joins = source.children
    .map((_, i) => `LEFT JOIN child_${i} ON child_${i}.key = r.${source.key}`)
    .join('\n      ');
  return `
    WITH changed AS (
      ${changed}
    ), ${[...childMax, ''].join(', ')}positioned AS (
      SELECT r.${source.key} AS key, greatest(${greatest}) AS modified_at
      FROM changed JOIN ${source.table} r ON r.${source.key} = changed.key
      ${joins}
    )
    SELECT key, to_char(modified_at AT TIME ZONE 'UTC', ${ISO_US}) AS at,
           count(*) OVER () AS total
    FROM positioned
    WHERE (modified_at, key COLLATE "C") > ($1::timestamptz, $2::text COLLATE "C")
    ORDER BY modified_at, key COLLATE "C"
    LIMIT $3`;
}

const SQL = {
  customerPositions: positionsSql(CUSTOMERS),
  itemPositions: positionsSql(ITEMS),
  warehousePositions: positionsSql(WAREHOUSES),
  customers: `
    SELECT customer_no, name, parent_customer_no, status, credit_limit, balance_due, terms_code,
           currency_code, tax_area_code, tax_exempt_no, tax_liable, email, phone, website,
           address_line1, address_line2, city, state, postal_code, country_code
    FROM ar_customer WHERE customer_no = ANY($1::text[])`,
  shipTos: `
    SELECT customer_no, ship_to_code, name, address_line1, address_line2, city, state,
           postal_code, country_code, warehouse_code, tax_area_code, is_default, status
    FROM ar_ship_to WHERE customer_no = ANY($1::text[])
    ORDER BY customer_no, is_default DESC, ship_to_code COLLATE "C"`,
  items: `
    SELECT item_no, description, item_group_code, base_uom_code, status, fulfillment_type,
           supplier_no, lot_controlled, gtin, tax_group_code
    FROM in_item WHERE item_no = ANY($1::text[])`,
  itemUoms: `
    SELECT item_no, uom_code, conversion_factor, is_base
    FROM in_item_uom WHERE item_no = ANY($1::text[])
    ORDER BY item_no, is_base DESC, uom_code COLLATE "C"`,
  itemSubstitutes: `
    SELECT item_no, substitute_item_no, priority
    FROM in_item_substitute WHERE item_no = ANY($1::text[])
    ORDER BY item_no, priority, substitute_item_no COLLATE "C"`,
  warehouses: `
    SELECT warehouse_code, name, address_line1, address_line2, city, state, postal_code,
           country_code, status
    FROM in_warehouse WHERE warehouse_code = ANY($1::text[])`,
};

/**
 * MasterDataFeed over the on-prem ERP's database (direct SQL, read-only). sourceId is the
 * primary key as text (customer_no, item_no, warehouse_code); the cursor is the last position
 * returned, with PostgreSQL's microseconds.
 */
@Injectable()
export class OnPremMasterDataFeed extends MasterDataFeed {
  readonly name = 'onprem';

  constructor(private readonly erp: OnPremErpConnection) {
    super();
  }

  readCustomers(request: DeltaReadRequest): Promise<DeltaPage<Customer>> {
    return this.readPage(request, SQL.customerPositions, async (sql, keys) => {
      const customers = await sql.query<ArCustomerRow>(SQL.customers, [keys]);
      const shipTos = groupBy(
        await sql.query<ArShipToRow>(SQL.shipTos, [keys]),
        (r) => r.customer_no,
      );
      return mapByKey(
        customers,
        (c) => c.customer_no,
        (row, position) =>
          mapOrReport(
            row.customer_no,
            position.at,
            { ...row, ship_tos: shipTos.get(row.customer_no) ?? [] },
            () => OnPremMasterDataMapper.customer(row, shipTos.get(row.customer_no) ?? []),
          ),
      );
    });
  }

  readItems(request: DeltaReadRequest): Promise<DeltaPage<Item>> {
    return this.readPage(request, SQL.itemPositions, async (sql, keys) => {
      const items = await sql.query<InItemRow>(SQL.items, [keys]);
      const uoms = groupBy(await sql.query<InItemUomRow>(SQL.itemUoms, [keys]), (r) => r.item_no);
      const subs = groupBy(
        await sql.query<InItemSubstituteRow>(SQL.itemSubstitutes, [keys]),
        (r) => r.item_no,
      );
      return mapByKey(
        items,
        (i) => i.item_no,
        (row, position) => {
          const itemUoms = uoms.get(row.item_no) ?? [];
          const itemSubs = subs.get(row.item_no) ?? [];
          return mapOrReport(
            row.item_no,
            position.at,
            { ...row, uoms: itemUoms, substitutes: itemSubs },
            () => OnPremMasterDataMapper.item(row, itemUoms, itemSubs),
          );
        },
      );
    });
  }

  readWarehouses(request: DeltaReadRequest): Promise<DeltaPage<Warehouse>> {
    return this.readPage(request, SQL.warehousePositions, async (sql, keys) => {
      const rows = await sql.query<InWarehouseRow>(SQL.warehouses, [keys]);
      return mapByKey(
        rows,
        (w) => w.warehouse_code,
        (row, position) =>
          mapOrReport(row.warehouse_code, position.at, row, () =>
            OnPremMasterDataMapper.warehouse(row),
          ),
      );
    });
  }

  healthCheck(): Promise<DeltaFeedHealth> {
    return this.erp.healthCheck();
  }

  /**
   * One page: the next positions after the cursor (or `since`), then the rows of those records,
   * in one snapshot. A key whose rows vanished between the two queries cannot happen inside the
   * snapshot; the mapper gets exactly the page's keys.
   */
  private async readPage<T>(
    request: DeltaReadRequest,
    positionsSql: string,
    load: (sql: OnPremSql, keys: string[]) => Promise<(position: FeedPosition) => DeltaEntry<T>[]>,
  ): Promise<DeltaPage<T>> {
    request.signal?.throwIfAborted();
    const cursor = request.cursor === null ? null : decodeCursor(request.cursor, isFeedPosition);
    const from = startOf(request.since, cursor);
    return this.erp.read(async (sql) => {
      const positions = await sql.query<PositionRow>(positionsSql, [
        from?.at ?? '-infinity',
        from?.sourceId ?? '',
        request.pageSize,
      ]);
      if (positions.length === 0) return { records: [], nextCursor: null, totalEstimate: 0 };
      const entriesAt = await load(
        sql,
        positions.map((p) => p.key),
      );
      const records = positions.flatMap((p) => entriesAt({ at: p.at, sourceId: p.key }));
      const last = positions[positions.length - 1];
      const more = Number(last.total) > positions.length;
      return {
        records,
        nextCursor: more ? encodeCursor<FeedPosition>({ at: last.at, sourceId: last.key }) : null,
        ...(request.cursor === null ? { totalEstimate: Number(last.total) } : {}),
      };
    });
  }
}

function groupBy<R>(rows: R[], key: (row: R) => string): Map<string, R[]> {
  const groups = new Map<string, R[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/** Looks the page's positions up in the loaded rows, keeping the positions' order. */
function mapByKey<R, T>(
  rows: R[],
  key: (row: R) => string,
  map: (row: R, position: FeedPosition) => DeltaEntry<T>,
): (position: FeedPosition) => DeltaEntry<T>[] {
  const byKey = new Map(rows.map((r) => [key(r), r]));
  return (position) => {
    const row = byKey.get(position.sourceId);
    return row ? [map(row, position)] : [];
  };
}
