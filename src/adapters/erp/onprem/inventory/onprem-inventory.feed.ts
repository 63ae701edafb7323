import { Injectable } from '@nestjs/common';
import { type InventoryBalance, InventoryFeed } from '../../../../modules/inventory/index.js';
import type {
  DeltaEntry,
  DeltaFeedHealth,
  DeltaPage,
  DeltaReadRequest,
} from '../../../../platform/delta-sync/index.js';
import { mapOrReport, textOrNull, UnmappableRecordError } from '../../shared/canonical-fields.js';
import {
  decodeCursor,
  encodeCursor,
  type FeedPosition,
  isFeedPosition,
  startOf,
} from '../../shared/feed-position.js';
import { OnPremErpConnection } from '../onprem-erp.connection.js';

/** An `in_balance` row as the page query returns it (quantities and dates as text). */
interface InBalanceRow {
  item_no: string;
  warehouse_code: string;
  lot_no: string;
  expiry_date: string | null;
  on_hand_qty: string;
  allocated_qty: string;
  /** updated_at, microsecond ISO 8601 UTC. */
  at: string;
  /** `ITEM|WAREHOUSE|LOT`: the row's key as one text, the sourceId. */
  sid: string;
}

/**
 * The keyset page of balance changes: rows changed at or after the start (the table's
 * `(updated_at, key)` delta index serves that), after ($1, $2) in (updated_at, sourceId
 * COLLATE "C") order, one more than asked to know whether a next page exists. Never OFFSET.
 */
const PAGE_SQL = `
  SELECT item_no, warehouse_code, lot_no, to_char(expiry_date, 'YYYY-MM-DD') AS expiry_date,
         on_hand_qty::text AS on_hand_qty, allocated_qty::text AS allocated_qty,
         to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, sid
  FROM (
    SELECT b.*, b.item_no || '|' || b.warehouse_code || '|' || b.lot_no AS sid
    FROM in_balance b
    WHERE b.updated_at >= $1::timestamptz
  ) changed
  WHERE (updated_at, sid COLLATE "C") > ($1::timestamptz, $2::text COLLATE "C")
  ORDER BY updated_at, sid COLLATE "C"
  LIMIT $3`;

/**
 * InventoryFeed over the on-prem ERP's `in_balance` table (direct SQL, read-only, one snapshot
 * per page). sourceId is `ITEM|WAREHOUSE|LOT` (lot empty without lot control); the cursor is the
 * last position returned, with PostgreSQL's microseconds.
 */
@Injectable()
export class OnPremInventoryFeed extends InventoryFeed {
  readonly name = 'onprem';

  constructor(private readonly erp: OnPremErpConnection) {
    super();
  }

  readBalances(request: DeltaReadRequest): Promise<DeltaPage<InventoryBalance>> {
    request.signal?.throwIfAborted();
    const cursor = request.cursor === null ? null : decodeCursor(request.cursor, isFeedPosition);
    const from = startOf(request.since, cursor);
    return this.erp.read(async (sql) => {
      const rows = await sql.query<InBalanceRow>(PAGE_SQL, [
        from?.at ?? '-infinity',
        from?.sourceId ?? '',
        request.pageSize + 1,
      ]);
      const page = rows.slice(0, request.pageSize);
      const last = page[page.length - 1];
      return {
        records: page.map(toEntry),
        nextCursor:
          rows.length > page.length && last
            ? encodeCursor<FeedPosition>({ at: last.at, sourceId: last.sid })
            : null,
      };
    });
  }

  healthCheck(): Promise<DeltaFeedHealth> {
    return this.erp.healthCheck();
  }
}

function toEntry(row: InBalanceRow): DeltaEntry<InventoryBalance> {
  return mapOrReport(row.sid, row.at, row, () => ({
    sku: row.item_no,
    warehouse: row.warehouse_code,
    lot: textOrNull(row.lot_no),
    expiryDate: row.expiry_date,
    onHand: exactDecimal(row.on_hand_qty, 'on_hand_qty'),
    allocated: exactDecimal(row.allocated_qty, 'allocated_qty'),
  }));
}

/** numeric(18,6) text without the padding zeros (`"12.500000"` → `"12.5"`), never a float. */
function exactDecimal(value: string, column: string): string {
  if (!/^-?\d+(\.\d+)?$/.test(value)) {
    throw new UnmappableRecordError(`${column} is not a decimal (got ${JSON.stringify(value)}).`);
  }
  return value.includes('.') ? value.replace(/\.?0+$/, '') : value;
}
