import { Injectable } from '@nestjs/common';
import type { Decimal } from 'decimal.js';
import type { EntityManager } from 'typeorm';
import type { ChannelBuffer } from '../domain/channel-rule.js';
import { formatQuantity } from '../domain/quantity.js';
import type {
  PositionDemand,
  Reservation,
  ReservationLine,
  ReservationStatus,
} from '../domain/reservation.js';
import { POSITION_COLUMNS, type PositionState, toPositionState } from './position.store.js';
import { queryRows } from './sql.js';

interface ReservationRow {
  id: string;
  order_id: string;
  channel_id: string | null;
  status: ReservationStatus;
  expires_at: Date;
  created_at: Date;
  closed_at: Date | null;
  close_reason: string | null;
}

interface LineRow {
  reservation_id: string;
  line_no: number;
  sku: string;
  warehouse_code: string;
  quantity: string;
}

const RESERVATION_COLUMNS = `id, order_id, channel_id, status, expires_at, created_at, closed_at,
  close_reason`;

export interface NewReservation {
  id: string;
  orderId: string;
  channelId: string | null;
  expiresAt: Date;
  lines: ReservationLine[];
  correlationId: string | null;
}

/** Reservations, their lines and handed-over allocations; position updates are conditional. */
@Injectable()
export class ReservationStore {
  /** Inserts an ACTIVE reservation; false when the order already holds one. */
  async insertActive(manager: EntityManager, r: NewReservation): Promise<boolean> {
    const inserted = await queryRows<{ id: string }>(
      manager,
      `INSERT INTO inv_reservation (id, order_id, channel_id, status, expires_at, correlation_id)
       VALUES ($1, $2, $3, 'ACTIVE', $4, $5)
       ON CONFLICT (order_id) WHERE status = 'ACTIVE' DO NOTHING
       RETURNING id`,
      [r.id, r.orderId, r.channelId, r.expiresAt, r.correlationId],
    );
    if (inserted.length === 0) return false;
    await manager.query(
      `INSERT INTO inv_reservation_line (reservation_id, line_no, sku, warehouse_code, quantity)
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::numeric[])`,
      [
        r.id,
        r.lines.map((l) => l.lineNo),
        r.lines.map((l) => l.sku),
        r.lines.map((l) => l.warehouse),
        r.lines.map((l) => l.quantity),
      ],
    );
    return true;
  }

  /**
   * Holds `demand` at its position if, after the channel's buffer, enough is available: one
   * conditional UPDATE, evaluated on the row as it is once its lock is ours, so concurrent
   * reservations can never take more than there is. Null when there is not enough (or no
   * position). ATP and the buffer are computed exactly as channelAvailable() does.
   */
  async reserveAtPosition(
    manager: EntityManager,
    demand: PositionDemand,
    buffer: ChannelBuffer,
  ): Promise<PositionState | null> {
    const units = buffer.type === 'UNITS' ? buffer.value : '0';
    const percent = buffer.type === 'PERCENT' ? buffer.value : '0';
    const rows = await queryRows<Parameters<typeof toPositionState>[0]>(
      manager,
      `WITH updated AS (
         UPDATE inv_position SET reserved = reserved + $3::numeric, updated_at = clock_timestamp()
          WHERE sku = $1 AND warehouse_code = $2
            AND ${channelAvailableSql('$4::numeric', '$5::numeric')} >= $3::numeric
          RETURNING *)
       SELECT ${POSITION_COLUMNS} FROM updated`,
      [demand.sku, demand.warehouse, demand.quantity.toFixed(), units, percent],
    );
    return rows[0] ? toPositionState(rows[0]) : null;
  }

  /**
   * Gives back reserved stock at a position; with `toPending`, moves it to the allocation the
   * ERP has confirmed but not reported yet instead (a handover: ATP does not change).
   */
  async unreserveAtPosition(
    manager: EntityManager,
    demand: PositionDemand,
    toPending: boolean,
  ): Promise<PositionState | null> {
    const rows = await queryRows<Parameters<typeof toPositionState>[0]>(
      manager,
      `WITH updated AS (
         UPDATE inv_position SET
           reserved = reserved - $3::numeric,
           allocation_pending = allocation_pending + CASE WHEN $4::boolean THEN $3::numeric ELSE 0 END,
           updated_at = clock_timestamp()
          WHERE sku = $1 AND warehouse_code = $2
          RETURNING *)
       SELECT ${POSITION_COLUMNS} FROM updated`,
      [demand.sku, demand.warehouse, demand.quantity.toFixed(), toPending],
    );
    return rows[0] ? toPositionState(rows[0]) : null;
  }

  /** Ends the order's ACTIVE reservation (conditional on its status): null when it has none. */
  async closeActive(
    manager: EntityManager,
    orderId: string,
    status: Exclude<ReservationStatus, 'ACTIVE'>,
    reason: string,
  ): Promise<Reservation | null> {
    const rows = await queryRows<ReservationRow>(
      manager,
      `WITH closed AS (
         UPDATE inv_reservation SET status = $2, closed_at = clock_timestamp(), close_reason = $3
          WHERE order_id = $1 AND status = 'ACTIVE'
          RETURNING *)
       SELECT ${RESERVATION_COLUMNS} FROM closed`,
      [orderId, status, reason],
    );
    return (await this.withLines(manager, rows))[0] ?? null;
  }

  /** Marks up to `limit` reservations past their expiry EXPIRED (skipping ones being changed). */
  async expireDue(manager: EntityManager, limit: number): Promise<Reservation[]> {
    const rows = await queryRows<ReservationRow>(
      manager,
      `WITH due AS (
         SELECT id FROM inv_reservation
          WHERE status = 'ACTIVE' AND expires_at <= clock_timestamp()
          ORDER BY expires_at
          LIMIT $1
          FOR UPDATE SKIP LOCKED),
       expired AS (
         UPDATE inv_reservation r SET status = 'EXPIRED', closed_at = clock_timestamp(),
                close_reason = 'reservation TTL expired'
           FROM due WHERE r.id = due.id
         RETURNING r.*)
       SELECT ${RESERVATION_COLUMNS} FROM expired`,
      [limit],
    );
    return this.withLines(manager, rows);
  }

  async findActiveByOrder(manager: EntityManager, orderId: string): Promise<Reservation | null> {
    const rows = await queryRows<ReservationRow>(
      manager,
      `SELECT ${RESERVATION_COLUMNS} FROM inv_reservation WHERE order_id = $1 AND status = 'ACTIVE'`,
      [orderId],
    );
    return (await this.withLines(manager, rows))[0] ?? null;
  }

  /** Every reservation of the order, oldest first. */
  async findByOrder(manager: EntityManager, orderId: string): Promise<Reservation[]> {
    const rows = await queryRows<ReservationRow>(
      manager,
      `SELECT ${RESERVATION_COLUMNS} FROM inv_reservation WHERE order_id = $1
        ORDER BY created_at, id`,
      [orderId],
    );
    return this.withLines(manager, rows);
  }

  /** Records a handover: the ERP allocated this stock at `allocatedAt` (see PendingAllocations). */
  async addPendingAllocations(
    manager: EntityManager,
    reservationId: string,
    demands: readonly PositionDemand[],
    allocatedAt: Date,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO inv_pending_allocation (reservation_id, sku, warehouse_code, quantity, allocated_at)
       SELECT $1, s, w, q, $5 FROM unnest($2::text[], $3::text[], $4::numeric[]) AS u(s, w, q)`,
      [
        reservationId,
        demands.map((d) => d.sku),
        demands.map((d) => d.warehouse),
        demands.map((d) => (d.quantity as Decimal).toFixed()),
        allocatedAt,
      ],
    );
  }

  private async withLines(manager: EntityManager, rows: ReservationRow[]): Promise<Reservation[]> {
    if (rows.length === 0) return [];
    const lines = await queryRows<LineRow>(
      manager,
      `SELECT reservation_id, line_no, sku, warehouse_code, quantity FROM inv_reservation_line
        WHERE reservation_id = ANY($1::uuid[]) ORDER BY reservation_id, line_no`,
      [rows.map((r) => r.id)],
    );
    const byReservation = new Map<string, ReservationLine[]>();
    for (const l of lines) {
      const list = byReservation.get(l.reservation_id) ?? [];
      list.push({
        lineNo: l.line_no,
        sku: l.sku,
        warehouse: l.warehouse_code,
        quantity: formatQuantity(l.quantity),
      });
      byReservation.set(l.reservation_id, list);
    }
    return rows.map((r) => ({
      id: r.id,
      orderId: r.order_id,
      channelId: r.channel_id,
      status: r.status,
      lines: byReservation.get(r.id) ?? [],
      expiresAt: r.expires_at,
      createdAt: r.created_at,
      closedAt: r.closed_at,
      closeReason: r.close_reason,
    }));
  }
}

/**
 * SQL of channelAvailable() on an inv_position row: ATP (never below zero) less the buffer,
 * a percentage rounded up to a whole unit, never below zero.
 */
export function channelAvailableSql(units: string, percent: string): string {
  const atp = `GREATEST(on_hand - allocated - allocation_pending - reserved - safety_stock, 0)`;
  return `GREATEST(${atp} - ${units} - CEIL(${atp} * ${percent} / 100), 0)`;
}
