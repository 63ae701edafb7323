import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../../../platform/database/index.js';
import type { ShipmentSource } from '../domain/erp-fulfillment.js';
import type { ErpPostingState, Shipment, ShipmentLine } from '../domain/shipment.js';

export interface NewShipment {
  orderId: string;
  orderNumber: string;
  segmentId: string;
  orderChannelId: string;
  source: ShipmentSource;
  /** The confirming channel (wms/supplier); null for the ERP. */
  sourceChannelId: string | null;
  sourceDocumentId: string;
  contentHash: string;
  shipDate: string;
  carrier: string | null;
  service: string | null;
  trackingNumbers: string[];
  trackingUrl: string | null;
  warehouse: string | null;
  supplierId: string | null;
  erpPosting: ErpPostingState;
  erpShipmentNo: string | null;
  correlationId: string | null;
  lines: Omit<ShipmentLine, 'lineNo'>[];
}

export interface ShipmentListFilter {
  /** The ordering channel whose shipments to list; undefined = every channel (operations). */
  orderChannelId?: string;
  /** The confirming channel (a WMS or supplier sees the shipments it confirmed). */
  sourceChannelId?: string;
  orderId?: string;
  changedSince?: string;
  afterSeq?: string;
  limit: number;
}

export interface ShipmentClaim {
  shipment: Shipment;
  leaseId: string;
  attempts: number;
}

interface ShipmentRow {
  id: string;
  shipment_number: string;
  order_id: string;
  order_number: string;
  external_reference: string;
  erp_order_number: string | null;
  source: ShipmentSource;
  source_document_id: string;
  ship_date: string;
  carrier: string | null;
  service: string | null;
  tracking_numbers: string[];
  tracking_url: string | null;
  warehouse_code: string | null;
  supplier_id: string | null;
  erp_posting: ErpPostingState;
  erp_shipment_no: string | null;
  erp_errors: string[];
  received_at: Date;
  erp_posted_at: Date | null;
  updated_at: Date;
  change_seq: string;
  content_hash: string;
  source_key: string;
}

interface LineRow {
  shipment_id: string;
  line_no: number;
  order_line_no: number;
  line_ref: string;
  sku: string;
  quantity: string;
  uom: string;
  base_quantity: string;
  base_uom: string;
  lot_no: string | null;
  serial_numbers: string[];
}

const COLUMNS = `s.id, s.shipment_number, s.order_id, o.order_number, g.external_reference,
  g.erp_order_number, s.source, s.source_document_id, to_char(s.ship_date, 'YYYY-MM-DD') AS ship_date,
  s.carrier, s.service, s.tracking_numbers, s.tracking_url, s.warehouse_code, s.supplier_id,
  s.erp_posting, s.erp_shipment_no, s.erp_errors, s.received_at, s.erp_posted_at, s.updated_at,
  s.change_seq::text AS change_seq, s.content_hash, s.source_key`;
const FROM = `ful_shipment s JOIN ord_order o ON o.id = s.order_id JOIN ord_segment g ON g.id = s.segment_id`;

/** Shipments and their lines; every method runs in the caller's unit of work. */
@Injectable()
export class ShipmentRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /** Stores the shipment and its lines; answers it as stored (no read back). */
  async insert(
    shipment: NewShipment & { externalReference: string; erpOrderNumber: string | null },
  ): Promise<Shipment> {
    const stored = await this.insertUnlessSent(shipment);
    if (!stored) {
      throw new Error(
        `A ${shipment.source} shipment ${shipment.sourceDocumentId} is already stored for this source`,
      );
    }
    return stored;
  }

  /**
   * Stores the shipment and its lines unless its source already sent this document id (then
   * null, nothing written): the insert is the idempotency look-up.
   */
  async insertUnlessSent(
    shipment: NewShipment & { externalReference: string; erpOrderNumber: string | null },
  ): Promise<Shipment | null> {
    const m = this.uow.manager;
    const id = randomUUID();
    const lines = shipment.lines;
    // Header and lines in one statement (one round trip on the confirmation's hot path).
    const [stored] = (await m.query(
      `WITH header AS (
         INSERT INTO ful_shipment (id, shipment_number, order_id, segment_id, order_channel_id,
           source, source_key, source_channel_id, source_document_id, content_hash, ship_date,
           carrier, service, tracking_numbers, tracking_url, warehouse_code, supplier_id,
           erp_posting, erp_shipment_no, correlation_id, erp_posted_at)
         VALUES ($1, 'SH' || nextval('ful_shipment_number_seq'), $2,$3,$4,$5,$6,$7,$8,$9,$10,
           $11,$12,$13::jsonb,$14,$15,$16,$17,$18,$19, CASE WHEN $17 = 'NOT_NEEDED' THEN now() END)
         ON CONFLICT ON CONSTRAINT ful_shipment_source_document DO NOTHING
         RETURNING id, shipment_number, received_at, updated_at, erp_posted_at),
       body AS (
         INSERT INTO ful_shipment_line (shipment_id, line_no, order_line_no, line_ref, sku,
           quantity, uom, base_quantity, base_uom, lot_no, serial_numbers)
         SELECT (SELECT id FROM header), t.n, t.order_line_no, t.line_ref, t.sku,
                t.quantity::numeric, t.uom, t.base_quantity::numeric, t.base_uom, t.lot_no,
                t.serials::jsonb
           FROM unnest($20::int[], $21::text[], $22::text[], $23::text[], $24::text[],
                       $25::text[], $26::text[], $27::text[], $28::text[])
                WITH ORDINALITY AS t(order_line_no, line_ref, sku, quantity, uom, base_quantity,
                                     base_uom, lot_no, serials, n)
          WHERE EXISTS (SELECT 1 FROM header))
       SELECT shipment_number, received_at, updated_at, erp_posted_at FROM header`,
      [
        id,
        shipment.orderId,
        shipment.segmentId,
        shipment.orderChannelId,
        shipment.source,
        shipment.sourceChannelId ?? 'erp',
        shipment.sourceChannelId,
        shipment.sourceDocumentId,
        shipment.contentHash,
        shipment.shipDate,
        shipment.carrier,
        shipment.service,
        JSON.stringify(shipment.trackingNumbers),
        shipment.trackingUrl,
        shipment.warehouse,
        shipment.supplierId,
        shipment.erpPosting,
        shipment.erpShipmentNo,
        shipment.correlationId,
        lines.map((l) => l.orderLineNo),
        lines.map((l) => l.lineRef),
        lines.map((l) => l.sku),
        lines.map((l) => l.quantity),
        lines.map((l) => l.uom),
        lines.map((l) => l.baseQuantity),
        lines.map((l) => l.baseUom),
        lines.map((l) => l.lotNo),
        lines.map((l) => JSON.stringify(l.serialNumbers)),
      ],
    )) as {
      shipment_number: string;
      received_at: Date;
      updated_at: Date;
      erp_posted_at: Date | null;
    }[];
    if (!stored) return null;
    return {
      id,
      shipmentNumber: stored.shipment_number,
      orderId: shipment.orderId,
      orderNumber: shipment.orderNumber,
      externalReference: shipment.externalReference,
      erpOrderNumber: shipment.erpOrderNumber,
      source: shipment.source,
      sourceDocumentId: shipment.sourceDocumentId,
      shipDate: shipment.shipDate,
      carrier: shipment.carrier,
      service: shipment.service,
      trackingNumbers: shipment.trackingNumbers,
      trackingUrl: shipment.trackingUrl,
      warehouse: shipment.warehouse,
      supplierId: shipment.supplierId,
      erpPosting: shipment.erpPosting,
      erpShipmentNo: shipment.erpShipmentNo,
      erpErrors: [],
      receivedAt: stored.received_at,
      erpPostedAt: stored.erp_posted_at,
      updatedAt: stored.updated_at,
      lines: lines.map((l, i) => ({ ...l, lineNo: i + 1 })),
    };
  }

  /** The shipment a source already sent under this document id, with its content hash. */
  async findBySource(
    source: ShipmentSource,
    sourceChannelId: string | null,
    sourceDocumentId: string,
  ): Promise<(Shipment & { contentHash: string }) | null> {
    const rows = (await this.uow.manager.query(
      `SELECT ${COLUMNS} FROM ${FROM}
        WHERE s.source = $1 AND s.source_key = $2 AND s.source_document_id = $3`,
      [source, sourceChannelId ?? 'erp', sourceDocumentId],
    )) as ShipmentRow[];
    const [found] = await this.assemble(rows);
    return found ? { ...found, contentHash: rows[0].content_hash } : null;
  }

  /** Who may see a shipment: the ordering channel and the confirming one. */
  async ownersOf(
    id: string,
  ): Promise<{ orderChannelId: string; sourceChannelId: string | null } | null> {
    const rows = (await this.uow.manager.query(
      `SELECT order_channel_id, source_channel_id FROM ful_shipment WHERE id = $1`,
      [id],
    )) as { order_channel_id: string; source_channel_id: string | null }[];
    return rows[0]
      ? { orderChannelId: rows[0].order_channel_id, sourceChannelId: rows[0].source_channel_id }
      : null;
  }

  async find(id: string): Promise<Shipment | null> {
    const rows = (await this.uow.manager.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE s.id = $1`, [
      id,
    ])) as ShipmentRow[];
    return (await this.assemble(rows))[0] ?? null;
  }

  /** The hub shipment the ERP took under this reference (the hub's shipment number). */
  async findByNumber(shipmentNumber: string): Promise<Shipment | null> {
    const rows = (await this.uow.manager.query(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE s.shipment_number = $1`,
      [shipmentNumber],
    )) as ShipmentRow[];
    return (await this.assemble(rows))[0] ?? null;
  }

  async forOrder(orderId: string): Promise<Shipment[]> {
    const rows = (await this.uow.manager.query(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE s.order_id = $1 ORDER BY s.received_at, s.id`,
      [orderId],
    )) as ShipmentRow[];
    return this.assemble(rows);
  }

  /** Shipments in change order (change_seq), after a cursor, optionally since a time. */
  async list(
    filter: ShipmentListFilter,
  ): Promise<{ items: Shipment[]; lastSeq: string | null; more: boolean }> {
    const rows = (await this.uow.manager.query(
      `SELECT ${COLUMNS} FROM ${FROM}
        WHERE ($1::uuid IS NULL OR s.order_channel_id = $1)
          AND ($2::uuid IS NULL OR s.order_id = $2)
          AND ($3::timestamptz IS NULL OR s.updated_at > $3)
          AND ($4::bigint IS NULL OR s.change_seq > $4)
          AND ($6::uuid IS NULL OR s.source_channel_id = $6)
        ORDER BY s.change_seq LIMIT $5`,
      [
        filter.orderChannelId ?? null,
        filter.orderId ?? null,
        filter.changedSince ?? null,
        filter.afterSeq ?? null,
        filter.limit + 1,
        filter.sourceChannelId ?? null,
      ],
    )) as ShipmentRow[];
    const more = rows.length > filter.limit;
    const page = rows.slice(0, filter.limit);
    return {
      items: await this.assemble(page),
      lastSeq: page.length ? page[page.length - 1].change_seq : null,
      more,
    };
  }

  /**
   * Claims a shipment for one ERP posting attempt: a lease (id + expiry) instead of a row lock
   * held over the ERP call. Null when it is done, or another attempt holds an unexpired lease.
   */
  async claim(id: string, leaseSeconds: number): Promise<ShipmentClaim | null> {
    const leaseId = randomUUID();
    const rows = (await this.uow.manager.query(
      `UPDATE ful_shipment SET lease_id = $2, lease_expires_at = now() + make_interval(secs => $3),
              erp_attempts = erp_attempts + 1
        WHERE id = $1 AND erp_posting IN ('QUEUED','PENDING','FAILED')
          AND (lease_expires_at IS NULL OR lease_expires_at < now())
        RETURNING erp_attempts`,
      [id, leaseId, leaseSeconds],
    )) as [{ erp_attempts: number }[], number];
    const claimed = rows[0]?.[0];
    if (!claimed) return null;
    const shipment = await this.find(id);
    return shipment ? { shipment, leaseId, attempts: claimed.erp_attempts } : null;
  }

  /** Records an ERP posting outcome under the lease; false when the lease was lost meanwhile. */
  async recordPosting(
    id: string,
    leaseId: string,
    outcome: { state: ErpPostingState; erpShipmentNo?: string | null; errors?: string[] },
  ): Promise<boolean> {
    const rows = (await this.uow.manager.query(
      `UPDATE ful_shipment SET erp_posting = $3, erp_shipment_no = COALESCE($4, erp_shipment_no),
              erp_errors = $5::jsonb, lease_id = NULL, lease_expires_at = NULL, updated_at = now(),
              change_seq = nextval('ful_change_seq'),
              erp_posted_at = CASE WHEN $3 = 'POSTED' THEN now() ELSE erp_posted_at END
        WHERE id = $1 AND lease_id = $2
        RETURNING id`,
      [
        id,
        leaseId,
        outcome.state,
        outcome.erpShipmentNo ?? null,
        JSON.stringify(outcome.errors ?? []),
      ],
    )) as [unknown[], number];
    return rows[1] === 1;
  }

  /** Gives the lease up (a transient failure): the next attempt may claim at once. */
  async releaseLease(id: string, leaseId: string): Promise<void> {
    await this.uow.manager.query(
      `UPDATE ful_shipment SET lease_id = NULL, lease_expires_at = NULL WHERE id = $1 AND lease_id = $2`,
      [id, leaseId],
    );
  }

  /**
   * The ERP's feed shows a shipment the hub posted: it is POSTED with the ERP's number whatever
   * the posting job recorded (its answer may have been lost). Answers whether anything changed.
   */
  async linkErpShipment(shipmentNumber: string, erpShipmentNo: string): Promise<boolean> {
    const rows = (await this.uow.manager.query(
      `UPDATE ful_shipment SET erp_posting = 'POSTED', erp_shipment_no = $2, erp_errors = '[]',
              erp_posted_at = COALESCE(erp_posted_at, now()), updated_at = now(),
              change_seq = nextval('ful_change_seq')
        WHERE shipment_number = $1 AND (erp_posting <> 'POSTED' OR erp_shipment_no IS DISTINCT FROM $2)
        RETURNING id`,
      [shipmentNumber, erpShipmentNo],
    )) as [unknown[], number];
    return rows[1] === 1;
  }

  /** Tracking the ERP added later to a shipment the hub has (carrier, numbers, URL). */
  async updateTracking(
    id: string,
    tracking: {
      carrier: string | null;
      service: string | null;
      trackingNumbers: string[];
      trackingUrl: string | null;
    },
  ): Promise<boolean> {
    const rows = (await this.uow.manager.query(
      `UPDATE ful_shipment SET carrier = $2, service = $3, tracking_numbers = $4::jsonb,
              tracking_url = $5, updated_at = now(), change_seq = nextval('ful_change_seq')
        WHERE id = $1 AND (carrier IS DISTINCT FROM $2 OR service IS DISTINCT FROM $3
          OR tracking_numbers <> $4::jsonb OR tracking_url IS DISTINCT FROM $5)
        RETURNING id`,
      [
        id,
        tracking.carrier,
        tracking.service,
        JSON.stringify(tracking.trackingNumbers),
        tracking.trackingUrl,
      ],
    )) as [unknown[], number];
    return rows[1] === 1;
  }

  private async assemble(rows: ShipmentRow[]): Promise<Shipment[]> {
    if (rows.length === 0) return [];
    const lines = (await this.uow.manager.query(
      `SELECT shipment_id, line_no, order_line_no, line_ref, sku, quantity::text AS quantity, uom,
              base_quantity::text AS base_quantity, base_uom, lot_no, serial_numbers
         FROM ful_shipment_line WHERE shipment_id = ANY($1) ORDER BY shipment_id, line_no`,
      [rows.map((r) => r.id)],
    )) as LineRow[];
    return rows.map((r) => ({
      id: r.id,
      shipmentNumber: r.shipment_number,
      orderId: r.order_id,
      orderNumber: r.order_number,
      externalReference: r.external_reference,
      erpOrderNumber: r.erp_order_number,
      source: r.source,
      sourceDocumentId: r.source_document_id,
      shipDate: r.ship_date,
      carrier: r.carrier,
      service: r.service,
      trackingNumbers: r.tracking_numbers,
      trackingUrl: r.tracking_url,
      warehouse: r.warehouse_code,
      supplierId: r.supplier_id,
      erpPosting: r.erp_posting,
      erpShipmentNo: r.erp_shipment_no,
      erpErrors: r.erp_errors,
      receivedAt: r.received_at,
      erpPostedAt: r.erp_posted_at,
      updatedAt: r.updated_at,
      lines: lines
        .filter((l) => l.shipment_id === r.id)
        .map((l) => ({
          lineNo: l.line_no,
          orderLineNo: l.order_line_no,
          lineRef: l.line_ref,
          sku: l.sku,
          quantity: l.quantity,
          uom: l.uom,
          baseQuantity: l.base_quantity,
          baseUom: l.base_uom,
          lotNo: l.lot_no,
          serialNumbers: l.serial_numbers,
        })),
    }));
  }
}
