import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { ErpSalesOrderDocument } from '../application/ports/sales-order.gateway.js';
import type {
  OrderSnapshot,
  OrderAdjustment,
  OrderLine,
  OrderSegment,
  OrderShipTo,
  OrderStatus,
  SegmentKind,
  SegmentStatus,
  OrderHistoryEntry,
} from '../domain/order.js';
import { type ChangeSource, OPEN_ORDER_STATUSES } from '../domain/order.js';
import { Order, statusesThatMayBecome } from '../domain/order.aggregate.js';
import type { OrderViolation } from '../domain/order-violation.js';

interface OrderRow {
  id: string;
  order_number: string;
  channel_id: string;
  channel_name: string;
  channel_kind: string;
  channel_order_ref: string;
  status: OrderStatus;
  customer_id: string;
  credit_account: string;
  ship_to: OrderShipTo;
  po_number: string | null;
  requested_ship_date: string | null;
  currency: string;
  notes: string | null;
  price_version: string;
  pricing_date: string;
  total: string;
  holds: OrderViolation[];
  adjustments: OrderAdjustment[];
  request: unknown;
  correlation_id: string | null;
  created_at: Date;
  updated_at: Date;
  posted_at: Date | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
}

interface LineRow {
  order_id: string;
  line_no: number;
  line_ref: string;
  sku: string;
  quantity: string;
  uom: string;
  base_quantity: string;
  base_uom: string;
  expected_unit_price: string | null;
  unit_price: string;
  extended_price: string;
  price_source: string | null;
  price_trace: unknown[];
  fulfillment_type: SegmentKind;
  warehouse_code: string | null;
  supplier_id: string | null;
  segment_no: number;
  reserved_quantity: string;
  backordered_quantity: string;
  shipped_quantity: string;
  cancelled_quantity: string;
  invoiced_quantity: string;
}

interface SegmentRow {
  id: string;
  order_id: string;
  segment_no: number;
  kind: SegmentKind;
  warehouse_code: string | null;
  supplier_id: string | null;
  external_reference: string;
  status: SegmentStatus;
  document: ErpSalesOrderDocument;
  erp_order_number: string | null;
  erp_errors: string[];
  attempts: number;
  submitted_at: Date | null;
  posted_at: Date | null;
}

/** A segment as the posting job sees it, locked. */
export interface LockedSegment {
  id: string;
  orderId: string;
  segmentNo: number;
  externalReference: string;
  status: SegmentStatus;
  document: ErpSalesOrderDocument;
  erpOrderNumber: string | null;
  attempts: number;
  submittedAt: Date | null;
  orderStatus: OrderStatus;
  orderCreatedAt: Date;
  channelId: string;
}

export interface NewOrder {
  /** The header; its status is the aggregate's (insert takes the aggregate). */
  order: Omit<
    OrderSnapshot,
    'lines' | 'segments' | 'createdAt' | 'updatedAt' | 'postedAt' | 'cancelledAt' | 'cancelReason'
  >;
  request: unknown;
  lines: OrderLine[];
  segments: (Omit<OrderSegment, 'erpOrderNumber' | 'erpErrors' | 'postedAt'> & {
    document: ErpSalesOrderDocument;
  })[];
}

export interface OrderListFilter {
  channelId: string | null;
  status?: OrderStatus;
  channelOrderRef?: string;
  after?: { createdAt: string; id: string };
  limit: number;
}

const ORDER_COLUMNS = `id, order_number, channel_id, channel_name, channel_kind, channel_order_ref, status, customer_id,
  credit_account, ship_to, po_number, to_char(requested_ship_date, 'YYYY-MM-DD') AS requested_ship_date,
  currency, notes, price_version, to_char(pricing_date, 'YYYY-MM-DD') AS pricing_date,
  total::text AS total, holds, adjustments, request, correlation_id, created_at, updated_at,
  posted_at, cancelled_at, cancel_reason`;

/** SELECT of segment rows from a jsonb array parameter; `from` adds the order's CTE, if any. */
const segmentSelect = (
  order: string,
  rows: string,
  from = '',
) => `SELECT s.id, ${order}, s.segment_no,
       s.kind, s.warehouse_code, s.supplier_id, s.external_reference, s.status, s.document
  FROM ${from}jsonb_to_recordset(${rows}::jsonb) AS s(id uuid, segment_no int, kind text,
       warehouse_code text, supplier_id text, external_reference text, status text, document jsonb)`;

const LINE_COLUMNS = `order_id, line_no, line_ref, sku, quantity, uom, base_quantity, base_uom,
  expected_unit_price, unit_price, extended_price, price_source, price_trace, fulfillment_type,
  warehouse_code, supplier_id, segment_no, reserved_quantity, backordered_quantity`;

/** SELECT of line rows from a jsonb array parameter; `from` adds the order's CTE, if any. */
const lineSelect = (
  order: string,
  rows: string,
  from = '',
) => `SELECT ${order}, l.line_no, l.line_ref, l.sku, l.quantity, l.uom, l.base_quantity,
       l.base_uom, l.expected_unit_price, l.unit_price, l.extended_price, l.price_source,
       l.price_trace, l.fulfillment_type, l.warehouse_code, l.supplier_id, l.segment_no,
       l.reserved_quantity, l.backordered_quantity
  FROM ${from}jsonb_to_recordset(${rows}::jsonb) AS l(line_no int, line_ref text, sku text,
       quantity numeric, uom text, base_quantity numeric, base_uom text,
       expected_unit_price numeric, unit_price numeric, extended_price numeric, price_source text,
       price_trace jsonb, fulfillment_type text, warehouse_code text, supplier_id text,
       segment_no int, reserved_quantity numeric, backordered_quantity numeric)`;

const segmentRows = (segments: NewOrder['segments']) =>
  segments.map((s) => ({
    id: s.id,
    segment_no: s.segmentNo,
    kind: s.kind,
    warehouse_code: s.warehouse,
    supplier_id: s.supplierId,
    external_reference: s.externalReference,
    status: s.status,
    document: s.document,
  }));

const lineRows = (lines: readonly OrderLine[]) =>
  lines.map((l) => ({
    line_no: l.lineNo,
    line_ref: l.lineRef,
    sku: l.sku,
    quantity: l.quantity,
    uom: l.uom,
    base_quantity: l.baseQuantity,
    base_uom: l.baseUom,
    expected_unit_price: l.expectedUnitPrice,
    unit_price: l.unitPrice,
    extended_price: l.extendedPrice,
    price_source: l.priceSource,
    price_trace: l.priceTrace,
    fulfillment_type: l.fulfillmentType,
    warehouse_code: l.warehouse,
    supplier_id: l.supplierId,
    segment_no: l.segmentNo,
    reserved_quantity: l.reservedQuantity,
    backordered_quantity: l.backorderedQuantity,
  }));

/** Orders in PostgreSQL: plain SQL on the caller's EntityManager (one unit of work per command). */
@Injectable()
export class OrderStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async nextOrderNumber(manager: EntityManager): Promise<string> {
    const [row] = (await manager.query(`SELECT nextval('ord_order_number_seq') AS n`)) as {
      n: string;
    }[];
    return `XD${row.n}`;
  }

  /** The order a channel already holds under this reference, if any. */
  async findByBusinessKey(
    channelId: string,
    channelOrderRef: string,
    manager: EntityManager = this.db.manager,
  ): Promise<{ id: string; orderNumber: string; status: OrderStatus } | null> {
    const rows = (await manager.query(
      `SELECT id, order_number, status FROM ord_order WHERE channel_id = $1 AND channel_order_ref = $2`,
      [channelId, channelOrderRef],
    )) as { id: string; order_number: string; status: OrderStatus }[];
    const row = rows[0];
    return row ? { id: row.id, orderNumber: row.order_number, status: row.status } : null;
  }

  /**
   * Serialises orders of one credit account (transaction-scoped advisory lock), then sums what
   * they have open in the hub: the figure a credit check adds to the ERP's balance due.
   */
  async lockCreditAndSumOpen(
    manager: EntityManager,
    creditAccount: string,
    excludeOrderId?: string,
  ): Promise<string> {
    // Two statements on purpose: the sum must be read after the lock is held (a subquery in the
    // same SELECT could be evaluated before it).
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('credit:' || $1, 0))`, [
      creditAccount,
    ]);
    const [row] = (await manager.query(
      `SELECT COALESCE(sum(total), 0)::text AS open FROM ord_order
        WHERE credit_account = $1 AND status = ANY($2) AND ($3::uuid IS NULL OR id <> $3::uuid)`,
      [creditAccount, OPEN_ORDER_STATUSES, excludeOrderId ?? null],
    )) as { open: string }[];
    return row.open;
  }

  /**
   * Inserts the order with its segments, lines and first history entries in ONE statement (a
   * round trip costs more than the rows); resolves to the order's created_at.
   */
  async insert(
    manager: EntityManager,
    input: NewOrder,
    /** The aggregate as capture left it: its status, and every change since RECEIVED. */
    lifecycle: Order,
    /** What goes with the last status change in the history (the holds…). */
    detail: Record<string, unknown> | null,
  ): Promise<Date> {
    const o = input.order;
    const statuses = lifecycle.pendingChanges().map((c) => c.to);
    const details = statuses.map((_s, i) =>
      i === statuses.length - 1 && detail !== null ? JSON.stringify(detail) : null,
    );
    const [row] = (await manager.query(
      `WITH o AS (
         INSERT INTO ord_order (id, order_number, channel_id, channel_order_ref, status,
           customer_id, credit_account, ship_to, po_number, requested_ship_date, currency, notes,
           price_version, pricing_date, total, holds, adjustments, request, correlation_id,
           channel_name, channel_kind)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8::jsonb,$9,$10,$11,$12,$13,$14,$15,$16::jsonb,$17::jsonb,
           $18::jsonb,$19::text,$20,$21)
         RETURNING id, created_at
       ), s AS (
         INSERT INTO ord_segment (id, order_id, segment_no, kind, warehouse_code, supplier_id,
           external_reference, status, document)
         ${segmentSelect('o.id', '$22', 'o, ')}
       ), l AS (
         INSERT INTO ord_order_line (${LINE_COLUMNS})
         ${lineSelect('o.id', '$23', 'o, ')}
       ), h AS (
         INSERT INTO ord_order_history (order_id, status, detail, correlation_id)
         SELECT o.id, h.status, h.detail::jsonb, $19::text
           FROM o, unnest($24::text[], $25::text[]) WITH ORDINALITY AS h(status, detail, n)
          ORDER BY h.n
       )
       SELECT created_at FROM o`,
      [
        o.id,
        o.orderNumber,
        o.channelId,
        o.channelOrderRef,
        lifecycle.status,
        o.customerId,
        o.creditAccount,
        JSON.stringify(o.shipTo),
        o.poNumber,
        o.requestedShipDate,
        o.currency,
        o.notes,
        o.priceVersion,
        o.pricingDate,
        o.total,
        JSON.stringify(o.holds),
        JSON.stringify(o.adjustments),
        JSON.stringify(input.request),
        o.correlationId,
        o.channelName,
        o.channelKind,
        JSON.stringify(segmentRows(input.segments)),
        JSON.stringify(lineRows(input.lines)),
        statuses,
        details,
      ],
    )) as { created_at: Date }[];
    return row.created_at;
  }

  /** Replaces an order's lines and segments (a held order re-planned on release). */
  async replacePlan(
    manager: EntityManager,
    order: Order,
    fields: Pick<OrderSnapshot, 'priceVersion' | 'pricingDate' | 'total' | 'holds' | 'adjustments'>,
    lines: OrderLine[],
    segments: NewOrder['segments'],
  ): Promise<void> {
    const orderId = order.id;
    await manager.query(`DELETE FROM ord_order_line WHERE order_id = $1`, [orderId]);
    await manager.query(`DELETE FROM ord_segment WHERE order_id = $1`, [orderId]);
    await this.saveStatus(manager, order);
    await manager.query(
      `UPDATE ord_order SET price_version = $2, pricing_date = $3, total = $4,
         holds = $5::jsonb, adjustments = $6::jsonb, updated_at = now() WHERE id = $1`,
      [
        orderId,
        fields.priceVersion,
        fields.pricingDate,
        fields.total,
        JSON.stringify(fields.holds),
        JSON.stringify(fields.adjustments),
      ],
    );
    await this.insertLinesAndSegments(manager, orderId, lines, segments);
  }

  private async insertLinesAndSegments(
    manager: EntityManager,
    orderId: string,
    lines: OrderLine[],
    segments: NewOrder['segments'],
  ): Promise<void> {
    await manager.query(
      `INSERT INTO ord_segment (id, order_id, segment_no, kind, warehouse_code, supplier_id,
         external_reference, status, document)
       ${segmentSelect('$1::uuid', '$2')}`,
      [orderId, JSON.stringify(segmentRows(segments))],
    );
    await manager.query(
      `INSERT INTO ord_order_line (${LINE_COLUMNS})
       ${lineSelect('$1::uuid', '$2')}`,
      [orderId, JSON.stringify(lineRows(lines))],
    );
  }

  /** Appends one or more status changes to the order's history (one statement). */
  async history(
    manager: EntityManager,
    orderId: string,
    status: OrderStatus | OrderStatus[],
    detail: Record<string, unknown> | null,
    correlationId: string | null,
    by: { source: ChangeSource; actor?: string | null } = { source: 'hub' },
  ): Promise<void> {
    const statuses = Array.isArray(status) ? status : [status];
    // The detail belongs to the last status (e.g. RECEIVED, then ON_HOLD with its holds).
    const details = statuses.map((_s, i) =>
      i === statuses.length - 1 && detail !== null ? JSON.stringify(detail) : null,
    );
    await manager.query(
      `INSERT INTO ord_order_history (order_id, status, detail, correlation_id, source, actor)
       SELECT $1::uuid, h.status, h.detail::jsonb, $4::text, $5::text, $6::text
         FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS h(status, detail, n)
        ORDER BY h.n`,
      [orderId, statuses, details, correlationId, by.source, by.actor ?? null],
    );
  }

  /**
   * Writes the status changes the aggregate decided, each as an UPDATE guarded by the status it
   * leaves: a change the aggregate did not see (the row should be locked) fails loudly instead of
   * overwriting it.
   */
  async saveStatus(
    manager: EntityManager,
    order: Order,
    extra: { cancelReason?: string; holds?: OrderViolation[] } = {},
  ): Promise<void> {
    for (const change of order.pendingChanges()) {
      if (change.from === null) continue; // the insert wrote the first status
      const [row] = (await manager.query(
        `WITH u AS (
           UPDATE ord_order SET status = $2, updated_at = now(),
             posted_at = CASE WHEN $2 = 'POSTED' THEN now() ELSE posted_at END,
             cancelled_at = CASE WHEN $2 = 'CANCELLED' THEN now() ELSE cancelled_at END,
             cancel_reason = COALESCE($4, cancel_reason),
             holds = COALESCE($5::jsonb, holds)
           WHERE id = $1 AND status = $3
           RETURNING id
         )
         SELECT count(*)::int AS n FROM u`,
        [
          order.id,
          change.to,
          change.from,
          extra.cancelReason ?? null,
          extra.holds === undefined ? null : JSON.stringify(extra.holds),
        ],
      )) as { n: number }[];
      if (row.n !== 1) {
        throw new Error(
          `Order ${order.id} was not ${change.from} any more when it was to become ${change.to}`,
        );
      }
    }
  }

  /** The order's recorded state changes, oldest first. */
  async historyOf(orderId: string): Promise<OrderHistoryEntry[]> {
    const rows = (await this.db.query(
      `SELECT status, detail, correlation_id, at, source, actor FROM ord_order_history
        WHERE order_id = $1 ORDER BY id`,
      [orderId],
    )) as {
      source: ChangeSource;
      actor: string | null;
      status: string;
      detail: Record<string, unknown> | null;
      correlation_id: string | null;
      at: Date;
    }[];
    return rows.map((r) => ({
      source: r.source,
      actor: r.actor,
      status: r.status,
      at: r.at,
      detail: r.detail,
      correlationId: r.correlation_id,
    }));
  }

  /** The order's lines hold no stock any more (cancelled: the reservation was given back). */
  async clearReservedQuantities(manager: EntityManager, orderId: string): Promise<void> {
    await manager.query(
      `UPDATE ord_order_line SET reserved_quantity = 0
        WHERE order_id = $1 AND reserved_quantity <> 0`,
      [orderId],
    );
  }

  /** The order row, locked for the rest of the transaction. */
  async lockOrder(manager: EntityManager, orderId: string): Promise<OrderSnapshot | null> {
    const rows = (await manager.query(
      `SELECT ${ORDER_COLUMNS} FROM ord_order WHERE id = $1 FOR NO KEY UPDATE`,
      [orderId],
    )) as OrderRow[];
    const row = rows[0];
    if (!row) return null;
    return this.assemble(manager, [row]).then((orders) => orders[0]);
  }

  async lockSegments(manager: EntityManager, orderId: string): Promise<LockedSegment[]> {
    const rows = (await manager.query(
      `SELECT s.*, o.status AS order_status, o.created_at AS order_created_at, o.channel_id
         FROM ord_segment s JOIN ord_order o ON o.id = s.order_id
        WHERE s.order_id = $1 ORDER BY s.segment_no FOR UPDATE OF s`,
      [orderId],
    )) as (SegmentRow & {
      order_status: OrderStatus;
      order_created_at: Date;
      channel_id: string;
    })[];
    return rows.map(toLockedSegment);
  }

  async lockSegment(manager: EntityManager, segmentId: string): Promise<LockedSegment | null> {
    const rows = (await manager.query(
      `SELECT s.*, o.status AS order_status, o.created_at AS order_created_at, o.channel_id
         FROM ord_segment s JOIN ord_order o ON o.id = s.order_id
        WHERE s.id = $1 FOR UPDATE OF s`,
      [segmentId],
    )) as (SegmentRow & {
      order_status: OrderStatus;
      order_created_at: Date;
      channel_id: string;
    })[];
    const row = rows[0];
    return row ? toLockedSegment(row) : null;
  }

  async updateSegment(
    manager: EntityManager,
    segmentId: string,
    change: {
      status: SegmentStatus;
      erpOrderNumber?: string | null;
      erpErrors?: string[];
      document?: ErpSalesOrderDocument;
      attempt?: boolean;
      submitted?: boolean;
      posted?: boolean;
    },
  ): Promise<void> {
    await manager.query(
      `UPDATE ord_segment SET status = $2,
         erp_order_number = COALESCE($3, erp_order_number),
         erp_errors = COALESCE($4::jsonb, erp_errors),
         document = COALESCE($5::jsonb, document),
         attempts = attempts + CASE WHEN $6 THEN 1 ELSE 0 END,
         submitted_at = CASE WHEN $7 THEN COALESCE(submitted_at, now()) ELSE submitted_at END,
         posted_at = CASE WHEN $8 THEN now() ELSE posted_at END,
         updated_at = now()
       WHERE id = $1`,
      [
        segmentId,
        change.status,
        change.erpOrderNumber ?? null,
        change.erpErrors === undefined ? null : JSON.stringify(change.erpErrors),
        change.document === undefined ? null : JSON.stringify(change.document),
        change.attempt === true,
        change.submitted === true,
        change.posted === true,
      ],
    );
  }

  /**
   * Claims the segment's posting lease for `seconds` unless another attempt holds one that has
   * not expired: answers the claim's id, or null. The claim commits with the caller's (short)
   * transaction; the ERP is then called outside any transaction and the outcome recorded under
   * `releaseLease` with this id, so no row lock is held while the ERP answers.
   */
  async claimLease(
    manager: EntityManager,
    segmentId: string,
    seconds: number,
  ): Promise<string | null> {
    const rows = (await manager.query(
      `WITH u AS (
         UPDATE ord_segment SET lease_id = $2,
                lease_expires_at = now() + make_interval(secs => $3::double precision)
          WHERE id = $1 AND (lease_expires_at IS NULL OR lease_expires_at < now())
          RETURNING lease_id)
       SELECT lease_id FROM u`,
      [segmentId, randomUUID(), seconds],
    )) as { lease_id: string }[];
    return rows[0]?.lease_id ?? null;
  }

  /** Ends the lease `leaseId`; false when it is no longer held (it expired and was claimed again). */
  async releaseLease(manager: EntityManager, segmentId: string, leaseId: string): Promise<boolean> {
    const rows = (await manager.query(
      `WITH u AS (
         UPDATE ord_segment SET lease_id = NULL, lease_expires_at = NULL
          WHERE id = $1 AND lease_id = $2 RETURNING id)
       SELECT id FROM u`,
      [segmentId, leaseId],
    )) as unknown[];
    return rows.length === 1;
  }

  /** When the segment's posting lease ends, if an attempt holds one now; null otherwise. */
  async activeLease(manager: EntityManager, segmentId: string): Promise<Date | null> {
    const rows = (await manager.query(
      `SELECT lease_expires_at FROM ord_segment
        WHERE id = $1 AND lease_expires_at IS NOT NULL AND lease_expires_at >= now()`,
      [segmentId],
    )) as { lease_expires_at: Date }[];
    return rows[0]?.lease_expires_at ?? null;
  }

  /**
   * → POSTING (with a history entry) from the statuses the Order aggregate allows it from
   * (ACCEPTED, FAILED); nothing for any other status. One statement, no row lock held after it.
   */
  async markPosting(
    orderId: string,
    correlationId: string | null,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await this.db.query(
      `WITH u AS (
         UPDATE ord_order SET status = 'POSTING', updated_at = now()
          WHERE id = $1 AND status = ANY($4)
          RETURNING id
       )
       INSERT INTO ord_order_history (order_id, status, detail, correlation_id)
       SELECT u.id, 'POSTING', $2::jsonb, $3 FROM u`,
      [orderId, JSON.stringify(detail), correlationId, statusesThatMayBecome('POSTING')],
    );
  }

  /**
   * Locks the order row for the rest of the transaction and answers the Order aggregate in the
   * status it has (no read of its children); null when there is no such order.
   */
  async lockForTransition(manager: EntityManager, orderId: string): Promise<Order | null> {
    // NO KEY UPDATE, not UPDATE: rows that reference the order (history, segments) take KEY SHARE
    // on it when inserted or checked; a FOR UPDATE waiting behind another transaction's KEY SHARE
    // while that one waits for ours deadlocked two segments recording their ERP answers at once.
    const rows = (await manager.query(
      `SELECT status FROM ord_order WHERE id = $1 FOR NO KEY UPDATE`,
      [orderId],
    )) as { status: OrderStatus }[];
    const row = rows[0];
    return row ? Order.rehydrate(orderId, row.status) : null;
  }

  /** Segment statuses of an order (inside the caller's transaction). */
  async segmentStatuses(manager: EntityManager, orderId: string): Promise<SegmentStatus[]> {
    const rows = (await manager.query(`SELECT status FROM ord_segment WHERE order_id = $1`, [
      orderId,
    ])) as { status: SegmentStatus }[];
    return rows.map((r) => r.status);
  }

  async find(id: string, manager: EntityManager = this.db.manager): Promise<OrderSnapshot | null> {
    const rows = (await manager.query(`SELECT ${ORDER_COLUMNS} FROM ord_order WHERE id = $1`, [
      id,
    ])) as OrderRow[];
    if (rows.length === 0) return null;
    return (await this.assemble(manager, rows))[0];
  }

  /** The stored request of an order (what the channel sent). */
  async request(id: string, manager: EntityManager = this.db.manager): Promise<unknown> {
    const rows = (await manager.query(`SELECT request FROM ord_order WHERE id = $1`, [id])) as {
      request: unknown;
    }[];
    return rows[0]?.request ?? null;
  }

  /** Newest first; keyset paged on (created_at, id). */
  async list(filter: OrderListFilter): Promise<{
    orders: OrderSnapshot[];
    cursorOfLast: { createdAt: string; id: string } | null;
    more: boolean;
  }> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (filter.channelId !== null) {
      params.push(filter.channelId);
      where.push(`channel_id = $${params.length}`);
    }
    if (filter.status) {
      params.push(filter.status);
      where.push(`status = $${params.length}`);
    }
    if (filter.channelOrderRef) {
      params.push(filter.channelOrderRef);
      where.push(`channel_order_ref = $${params.length}`);
    }
    if (filter.after) {
      params.push(filter.after.createdAt, filter.after.id);
      where.push(
        `(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
      );
    }
    params.push(filter.limit + 1);
    const rows = (await this.db.query(
      `SELECT ${ORDER_COLUMNS},
         to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_ts
         FROM ord_order ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    )) as (OrderRow & { cursor_ts: string })[];
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      orders: await this.assemble(this.db.manager, page),
      cursorOfLast: last ? { createdAt: last.cursor_ts, id: last.id } : null,
      more: rows.length > filter.limit,
    };
  }

  private async assemble(manager: EntityManager, rows: OrderRow[]): Promise<OrderSnapshot[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const lines = (await manager.query(
      `SELECT order_id, line_no, line_ref, sku, quantity::text AS quantity, uom,
              base_quantity::text AS base_quantity, base_uom,
              expected_unit_price::text AS expected_unit_price, unit_price::text AS unit_price,
              extended_price::text AS extended_price, price_source, price_trace, fulfillment_type,
              warehouse_code, supplier_id, segment_no, reserved_quantity::text AS reserved_quantity,
              backordered_quantity::text AS backordered_quantity,
              shipped_quantity::text AS shipped_quantity,
              cancelled_quantity::text AS cancelled_quantity,
              invoiced_quantity::text AS invoiced_quantity
         FROM ord_order_line WHERE order_id = ANY($1) ORDER BY order_id, line_no`,
      [ids],
    )) as LineRow[];
    const segments = (await manager.query(
      `SELECT id, order_id, segment_no, kind, warehouse_code, supplier_id, external_reference,
              status, erp_order_number, erp_errors, attempts, submitted_at, posted_at
         FROM ord_segment WHERE order_id = ANY($1) ORDER BY order_id, segment_no`,
      [ids],
    )) as SegmentRow[];
    return rows.map((r) => ({
      id: r.id,
      orderNumber: r.order_number,
      channelId: r.channel_id,
      channelName: r.channel_name,
      channelKind: r.channel_kind,
      channelOrderRef: r.channel_order_ref,
      status: r.status,
      customerId: r.customer_id,
      creditAccount: r.credit_account,
      shipTo: r.ship_to,
      poNumber: r.po_number,
      requestedShipDate: r.requested_ship_date,
      currency: r.currency,
      notes: r.notes,
      priceVersion: r.price_version,
      pricingDate: r.pricing_date,
      total: r.total,
      holds: r.holds,
      adjustments: r.adjustments,
      correlationId: r.correlation_id,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      postedAt: r.posted_at,
      cancelledAt: r.cancelled_at,
      cancelReason: r.cancel_reason,
      lines: lines.filter((l) => l.order_id === r.id).map(toLine),
      segments: segments.filter((s) => s.order_id === r.id).map(toSegment),
    }));
  }
}

function toLine(l: LineRow): OrderLine {
  return {
    lineNo: l.line_no,
    lineRef: l.line_ref,
    sku: l.sku,
    quantity: l.quantity,
    uom: l.uom,
    baseQuantity: l.base_quantity,
    baseUom: l.base_uom,
    expectedUnitPrice: l.expected_unit_price,
    unitPrice: l.unit_price,
    extendedPrice: l.extended_price,
    priceSource: l.price_source,
    priceTrace: l.price_trace,
    fulfillmentType: l.fulfillment_type,
    warehouse: l.warehouse_code,
    supplierId: l.supplier_id,
    segmentNo: l.segment_no,
    reservedQuantity: l.reserved_quantity,
    backorderedQuantity: l.backordered_quantity,
    shippedQuantity: l.shipped_quantity,
    cancelledQuantity: l.cancelled_quantity,
    invoicedQuantity: l.invoiced_quantity,
  };
}

function toSegment(s: SegmentRow): OrderSegment {
  return {
    id: s.id,
    segmentNo: s.segment_no,
    kind: s.kind,
    warehouse: s.warehouse_code,
    supplierId: s.supplier_id,
    externalReference: s.external_reference,
    status: s.status,
    erpOrderNumber: s.erp_order_number,
    erpErrors: s.erp_errors,
    postedAt: s.posted_at,
  };
}

function toLockedSegment(
  s: SegmentRow & { order_status: OrderStatus; order_created_at: Date; channel_id: string },
): LockedSegment {
  return {
    id: s.id,
    orderId: s.order_id,
    segmentNo: s.segment_no,
    externalReference: s.external_reference,
    status: s.status,
    document: s.document,
    erpOrderNumber: s.erp_order_number,
    attempts: s.attempts,
    submittedAt: s.submitted_at,
    orderStatus: s.order_status,
    orderCreatedAt: s.order_created_at,
    channelId: s.channel_id,
  };
}
