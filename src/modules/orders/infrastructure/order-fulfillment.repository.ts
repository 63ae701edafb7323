import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../../../platform/database/index.js';
import type { ChangeSource, OrderStatus, SegmentKind, SegmentStatus } from '../domain/order.js';
import { Order } from '../domain/order.aggregate.js';
import type { LineQuantities } from '../domain/order-line-quantities.js';

/** One order line as the back-flow sees it: where it ships from and what cleared. */
export interface FulfillmentLine extends LineQuantities {
  lineRef: string;
  sku: string;
  uom: string;
  baseQuantity: string;
  baseUom: string;
  segmentNo: number;
  /** The line's number in its segment's ERP document (SalesOrderGateway `lineNo`). */
  documentLineNo: number;
  warehouse: string | null;
  supplierId: string | null;
}

export interface FulfillmentSegment {
  id: string;
  segmentNo: number;
  kind: SegmentKind;
  warehouse: string | null;
  supplierId: string | null;
  externalReference: string;
  erpOrderNumber: string | null;
  status: SegmentStatus;
}

/** An order as shipments, invoices and ERP-side changes work on it (lines in line order). */
export interface FulfillmentOrder {
  id: string;
  orderNumber: string;
  channelId: string;
  status: OrderStatus;
  currency: string;
  requestedShipDate: string | null;
  segments: FulfillmentSegment[];
  lines: FulfillmentLine[];
}

export type FulfillmentOrderKey =
  | { orderId: string }
  | { orderNumber: string }
  | { externalReference: string }
  | { erpOrderNumber: string };

interface SegmentRow {
  id: string;
  segment_no: number;
  kind: SegmentKind;
  warehouse_code: string | null;
  supplier_id: string | null;
  external_reference: string;
  erp_order_number: string | null;
  status: SegmentStatus;
}

interface LineRow {
  line_no: number;
  line_ref: string;
  sku: string;
  quantity: string;
  uom: string;
  base_quantity: string;
  base_uom: string;
  segment_no: number;
  document_line_no: string;
  warehouse_code: string | null;
  supplier_id: string | null;
  shipped_quantity: string;
  cancelled_quantity: string;
  invoiced_quantity: string;
}

/**
 * The orders module's storage for the back-flow: finds an order by any of its ERP keys, locks it,
 * and writes line quantities, status and history — always inside the caller's unit of work.
 */
@Injectable()
export class OrderFulfillmentRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /**
   * The order with its lines and segments; `lock` takes the order row FOR NO KEY UPDATE first (every
   * writer of an order's quantities locks the same row, so they apply one after the other).
   */
  async find(key: FulfillmentOrderKey, lock: boolean): Promise<FulfillmentOrder | null> {
    const m = this.uow.manager;
    const where =
      'orderId' in key
        ? ['o.id = $1::uuid', key.orderId]
        : 'orderNumber' in key
          ? ['o.order_number = $1', key.orderNumber]
          : 'externalReference' in key
            ? [
                'o.id = (SELECT order_id FROM ord_segment WHERE external_reference = $1)',
                key.externalReference,
              ]
            : [
                'o.id = (SELECT order_id FROM ord_segment WHERE erp_order_number = $1 LIMIT 1)',
                key.erpOrderNumber,
              ];
    // One round trip: the order row (locked), its lines and its segments as JSON (this runs on
    // every shipment confirmation, the hot path of the back-flow).
    const orders = (await m.query(
      `SELECT o.id, o.order_number, o.channel_id, o.status, o.currency,
              to_char(o.requested_ship_date, 'YYYY-MM-DD') AS requested_ship_date,
              (SELECT json_agg(l ORDER BY l.line_no) FROM (
                 SELECT line_no, line_ref, sku, quantity::text AS quantity, uom,
                        base_quantity::text AS base_quantity, base_uom, segment_no,
                        row_number() OVER (PARTITION BY segment_no ORDER BY line_no)::text
                          AS document_line_no,
                        warehouse_code, supplier_id, shipped_quantity::text AS shipped_quantity,
                        cancelled_quantity::text AS cancelled_quantity,
                        invoiced_quantity::text AS invoiced_quantity
                   FROM ord_order_line WHERE order_id = o.id) l) AS lines,
              (SELECT json_agg(g ORDER BY g.segment_no) FROM (
                 SELECT id, segment_no, kind, warehouse_code, supplier_id, external_reference,
                        erp_order_number, status
                   FROM ord_segment WHERE order_id = o.id) g) AS segments
         FROM ord_order o WHERE ${where[0]} ${lock ? 'FOR NO KEY UPDATE OF o' : ''}`,
      [where[1]],
    )) as {
      id: string;
      order_number: string;
      channel_id: string;
      status: OrderStatus;
      currency: string;
      requested_ship_date: string | null;
      lines: LineRow[] | null;
      segments: SegmentRow[] | null;
    }[];
    const order = orders[0];
    if (!order) return null;
    const lines = order.lines ?? [];
    const segments = order.segments ?? [];
    return {
      id: order.id,
      orderNumber: order.order_number,
      channelId: order.channel_id,
      status: order.status,
      currency: order.currency,
      requestedShipDate: order.requested_ship_date,
      segments: segments.map((s) => ({
        id: s.id,
        segmentNo: s.segment_no,
        kind: s.kind,
        warehouse: s.warehouse_code,
        supplierId: s.supplier_id,
        externalReference: s.external_reference,
        erpOrderNumber: s.erp_order_number,
        status: s.status,
      })),
      lines: lines.map((l) => ({
        lineNo: l.line_no,
        lineRef: l.line_ref,
        sku: l.sku,
        uom: l.uom,
        ordered: l.quantity,
        baseQuantity: l.base_quantity,
        baseUom: l.base_uom,
        segmentNo: l.segment_no,
        documentLineNo: Number(l.document_line_no),
        warehouse: l.warehouse_code,
        supplierId: l.supplier_id,
        shipped: l.shipped_quantity,
        cancelled: l.cancelled_quantity,
        invoiced: l.invoiced_quantity,
      })),
    };
  }

  /**
   * Writes one quantity change in ONE statement (the hot path of every shipment confirmation):
   * the lines' shipped/cancelled/invoiced quantities (the database re-checks they clear), the
   * status the aggregate moved the order to (guarded by the status it had), and one history entry
   * per status passed — or one under the unchanged status — naming who made the change. Answers
   * the statuses written.
   */
  async saveChange(
    order: Order,
    statusBefore: OrderStatus,
    lines: readonly LineQuantities[],
    by: { source: ChangeSource; actor: string | null },
    detail: Record<string, unknown>,
    correlationId: string | null,
  ): Promise<OrderStatus[]> {
    const moved = order.pendingChanges().map((c) => c.to);
    const rows = (await this.uow.manager.query(
      `WITH lines AS (
         UPDATE ord_order_line l
            SET shipped_quantity = q.shipped::numeric, cancelled_quantity = q.cancelled::numeric,
                invoiced_quantity = q.invoiced::numeric
           FROM unnest($2::int[], $3::text[], $4::text[], $5::text[])
                AS q(line_no, shipped, cancelled, invoiced)
          WHERE l.order_id = $1 AND l.line_no = q.line_no
          RETURNING 1),
       moved AS (
         UPDATE ord_order SET status = $7, updated_at = now(),
                cancelled_at = CASE WHEN $7 = 'CANCELLED' AND $7 <> $6 THEN now() ELSE cancelled_at END,
                cancel_reason = CASE WHEN $7 = 'CANCELLED' AND $7 <> $6 THEN $8 ELSE cancel_reason END
          WHERE id = $1 AND status = $6
          RETURNING id),
       history AS (
         INSERT INTO ord_order_history (order_id, status, detail, correlation_id, source, actor)
         SELECT $1::uuid, h.status, $10::jsonb, $11, $12, $13
           FROM unnest($9::text[]) WITH ORDINALITY AS h(status, n)
          WHERE EXISTS (SELECT 1 FROM moved)
          ORDER BY h.n)
       SELECT count(*)::int AS n FROM moved`,
      [
        order.id,
        lines.map((l) => l.lineNo),
        lines.map((l) => l.shipped),
        lines.map((l) => l.cancelled),
        lines.map((l) => l.invoiced),
        statusBefore,
        order.status,
        `cancelled in the ${by.source}`,
        moved.length > 0 ? moved : [order.status],
        JSON.stringify(detail),
        correlationId,
        by.source,
        by.actor,
      ],
    )) as { n: number }[];
    if (rows[0]?.n !== 1) {
      throw new Error(
        `Order ${order.id} was not ${statusBefore} any more when its quantities changed`,
      );
    }
    return moved;
  }

  /** Rehydrates the aggregate from a found order. */
  aggregateOf(order: FulfillmentOrder): Order {
    return Order.rehydrate(order.id, order.status);
  }
}
