import { Injectable } from '@nestjs/common';
import {
  type ErpOrderSnapshot,
  type ErpOrderSnapshotLine,
  type ErpOrderSnapshotState,
  SalesOrderChangeFeed,
} from '../../../../modules/orders/index.js';
import type {
  DeltaFeedHealth,
  DeltaPage,
  DeltaReadRequest,
} from '../../../../platform/delta-sync/index.js';
import { mapEnum, textOrNull, UnmappableRecordError } from '../../shared/canonical-fields.js';
import { readDocumentPage } from '../onprem-document.page.js';
import { AT_SQL, decimalText, HUB_LINE_NO_SQL } from '../fulfillment/onprem-fulfillment.mapper.js';
import { OnPremErpConnection } from '../onprem-erp.connection.js';

interface OrderHeaderRow {
  sid: string;
  at: string;
  external_reference: string;
  status: string;
  changed_by: string | null;
}

interface OrderLineRow {
  order_no: string;
  line_no: number;
  /** The order import staged a line with this number and item: it is the hub's line. */
  from_hub: boolean;
  item_no: string;
  uom_code: string;
  quantity: string;
  shipped_qty: string;
  status: string;
}

/**
 * The orders the hub created (they carry an external reference) changed at or after the start:
 * the order's instant is the latest of its header's, its lines' and its journalled line
 * deletes' updated_at (an ERP user may change a line alone). Deletes older than the start
 * cannot be an order's latest change when something at or after it touched the order, so only
 * the recent journal is read.
 */
const HEADERS_SQL = `
  WITH touched AS (
    SELECT order_no FROM so_order_header WHERE updated_at >= $1::timestamptz
    UNION SELECT order_no FROM so_order_line WHERE updated_at >= $1::timestamptz
    UNION SELECT d.old_row->>'order_no' FROM sy_deleted_row d
           WHERE d.table_name = 'so_order_line' AND d.updated_at >= $1::timestamptz
  ),
  orders AS (
    SELECT h.order_no, h.external_reference, h.status, h.changed_by,
           greatest(h.updated_at,
                    (SELECT max(l.updated_at) FROM so_order_line l WHERE l.order_no = h.order_no),
                    (SELECT max(d.updated_at) FROM sy_deleted_row d
                      WHERE d.table_name = 'so_order_line' AND d.updated_at >= $1::timestamptz
                        AND d.old_row->>'order_no' = h.order_no)) AS modified
      FROM so_order_header h JOIN touched t ON t.order_no = h.order_no
     WHERE h.external_reference IS NOT NULL
  )
  SELECT order_no AS sid, ${AT_SQL('modified')} AS at, external_reference, status, changed_by
    FROM orders
   WHERE (modified, order_no COLLATE "C") > ($1::timestamptz, $2::text COLLATE "C")
   ORDER BY modified, order_no COLLATE "C"
   LIMIT $3`;

const LINES_SQL = `
  SELECT l.order_no, l.line_no, l.item_no, l.uom_code, l.quantity::text AS quantity,
         l.shipped_qty::text AS shipped_qty, l.status,
         ${HUB_LINE_NO_SQL('l.order_no', 'l.line_no', 'l.item_no')} IS NOT NULL AS from_hub
    FROM so_order_line l
   WHERE l.order_no = ANY($1::text[])
   ORDER BY l.order_no, l.line_no`;

const LOOK_UP_SQL = `
  SELECT h.order_no AS sid, ${AT_SQL(`greatest(h.updated_at,
           (SELECT max(l.updated_at) FROM so_order_line l WHERE l.order_no = h.order_no))`)} AS at,
         h.external_reference, h.status, h.changed_by
    FROM so_order_header h
   WHERE h.external_reference = ANY($1::text[])`;

const STATES: Record<string, ErpOrderSnapshotState> = {
  OPEN: 'OPEN',
  RELEASED: 'OPEN',
  SHIPPED: 'CLOSED',
  INVOICED: 'CLOSED',
  CANCELLED: 'CANCELLED',
};

/** lookUp answers at most this many references per call (port rule 2). */
const LOOK_UP_LIMIT = 50;

/**
 * SalesOrderChangeFeed over the on-prem ERP's orders (`so_order_header/line`). sourceId = ERP
 * order number. State: OPEN/RELEASED → OPEN, SHIPPED/INVOICED → CLOSED, CANCELLED → CANCELLED.
 * Lines: the order import keeps the hub's line numbers (so_order_line.line_no = the submitted
 * lineNo), so a line keeps `lineNo` when the import staged that number with that item, and an
 * ERP user's own line has `lineNo: null`. A cancelled line of an order still going reports its
 * shipped quantity as its quantity (the rest was cancelled). The ERP never deletes orders: a
 * cancelled one is looked up as CANCELLED.
 */
@Injectable()
export class OnPremSalesOrderChangeFeed extends SalesOrderChangeFeed {
  readonly name = 'onprem';

  constructor(private readonly erp: OnPremErpConnection) {
    super();
  }

  readChanges(request: DeltaReadRequest): Promise<DeltaPage<ErpOrderSnapshot>> {
    return readDocumentPage<OrderHeaderRow, OrderLineRow, ErpOrderSnapshot>(this.erp, request, {
      headersSql: HEADERS_SQL,
      linesSql: LINES_SQL,
      lineOwner: (line) => line.order_no,
      map: toSnapshot,
    });
  }

  async lookUp(
    externalReferences: readonly string[],
    signal?: AbortSignal,
  ): Promise<ErpOrderSnapshot[]> {
    signal?.throwIfAborted();
    if (externalReferences.length > LOOK_UP_LIMIT) {
      throw new Error(`lookUp takes at most ${LOOK_UP_LIMIT} references per call.`);
    }
    if (externalReferences.length === 0) return [];
    const refs = [...externalReferences];
    const { headers, lines } = await this.erp.read(async (sql) => {
      const found = await sql.query<OrderHeaderRow>(LOOK_UP_SQL, [refs]);
      const orderLines =
        found.length === 0
          ? []
          : await sql.query<OrderLineRow>(LINES_SQL, [found.map((h) => h.sid)]);
      return { headers: found, lines: orderLines };
    });
    const byRef = new Map(headers.map((h) => [h.external_reference, h]));
    const now = new Date().toISOString();
    return refs.map((ref): ErpOrderSnapshot => {
      const header = byRef.get(ref);
      if (!header) {
        return {
          externalReference: ref,
          erpOrderNumber: null,
          state: 'NOT_FOUND',
          lines: [],
          modifiedAt: now,
          changedBy: null,
        };
      }
      return toSnapshot(
        header,
        lines.filter((l) => l.order_no === header.sid),
      );
    });
  }

  healthCheck(): Promise<DeltaFeedHealth> {
    return this.erp.healthCheck();
  }
}

function toSnapshot(header: OrderHeaderRow, lines: OrderLineRow[]): ErpOrderSnapshot {
  const state = mapEnum(header.status, STATES);
  if (!state) throw new UnmappableRecordError(`Unknown order status ${header.status}.`);
  return {
    externalReference: header.external_reference,
    erpOrderNumber: header.sid,
    state,
    lines: lines.map((l): ErpOrderSnapshotLine => ({
      lineNo: l.from_hub ? l.line_no : null,
      sku: l.item_no,
      uom: l.uom_code,
      quantity:
        l.status === 'CANCELLED' && state !== 'CANCELLED'
          ? decimalText(l.shipped_qty, `line ${l.line_no} shipped_qty`)
          : decimalText(l.quantity, `line ${l.line_no} quantity`),
      shippedQuantity: decimalText(l.shipped_qty, `line ${l.line_no} shipped_qty`),
    })),
    modifiedAt: header.at,
    changedBy: textOrNull(header.changed_by),
  };
}
