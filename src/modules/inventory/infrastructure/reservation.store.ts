import { Injectable } from '@nestjs/common';
import type { Decimal } from 'decimal.js';
import type { EntityManager } from 'typeorm';
import type { ChannelBuffer } from '../domain/channel-rule.js';
import { formatQuantity } from '../domain/quantity.js';
import {
  type PositionDemand,
  type Reservation,
  type ReservationLine,
  type ReservationStatus,
  takeFromLines,
} from '../domain/reservation.js';
import {
  POSITION_COLUMNS,
  positionKey,
  type PositionState,
  toPositionState,
} from './position.store.js';
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
  /**
   * Inserts an ACTIVE reservation and its lines in one statement; false (and nothing written)
   * when the order already holds one. The lines' foreign key is checked at the end of the
   * statement, when the reservation row exists.
   */
  async insertActive(manager: EntityManager, r: NewReservation): Promise<boolean> {
    const inserted = await queryRows<{ id: string }>(
      manager,
      `WITH reservation AS (
         INSERT INTO inv_reservation (id, order_id, channel_id, status, expires_at, correlation_id)
         VALUES ($1, $2, $3, 'ACTIVE', $4, $5)
         ON CONFLICT (order_id) WHERE status = 'ACTIVE' DO NOTHING
         RETURNING id),
       lines AS (
         INSERT INTO inv_reservation_line (reservation_id, line_no, sku, warehouse_code, quantity)
         SELECT reservation.id, u.*
           FROM reservation, unnest($6::int[], $7::text[], $8::text[], $9::numeric[]) AS u)
       SELECT id FROM reservation`,
      [
        r.id,
        r.orderId,
        r.channelId,
        r.expiresAt,
        r.correlationId,
        r.lines.map((l) => l.lineNo),
        r.lines.map((l) => l.sku),
        r.lines.map((l) => l.warehouse),
        r.lines.map((l) => l.quantity),
      ],
    );
    return inserted.length > 0;
  }

  /**
   * Holds every demand at its position if, after the channel's buffer, enough is available at
   * each; null when any position has too little (or does not exist). One statement whatever the
   * number of positions; the caller rolls back (savepoint/transaction) on null, so the positions
   * that did have enough are not held either: all or nothing.
   *
   * Concurrency: still a conditional update, never read-then-write. `locked` only takes the row
   * locks, in (sku, warehouse) order (ORDER BY is applied before FOR UPDATE locks, and the
   * codes are COLLATE "C"), the order every writer of positions uses, so two reservations
   * cannot deadlock, whatever join order the planner picks for the UPDATE. The UPDATE then
   * evaluates the ATP condition on each row as it is once its lock is ours (READ COMMITTED
   * re-checks a row changed since the statement's snapshot on its newest version), so concurrent
   * reservations can never take more than there is. ATP and the buffer are computed exactly as
   * channelAvailable() does.
   *
   * Returns the positions after the update, in the order of `demands`.
   */
  async reserveAtPositions(
    manager: EntityManager,
    demands: readonly PositionDemand[],
    buffer: ChannelBuffer,
  ): Promise<PositionState[] | null> {
    const units = buffer.type === 'UNITS' ? buffer.value : '0';
    const percent = buffer.type === 'PERCENT' ? buffer.value : '0';
    const rows = await queryRows<Parameters<typeof toPositionState>[0]>(
      manager,
      `WITH ${LOCK_DEMANDED_POSITIONS},
       updated AS (
         UPDATE inv_position p SET reserved = p.reserved + d.quantity, updated_at = clock_timestamp()
           FROM locked l JOIN demand d USING (sku, warehouse_code)
          WHERE p.sku = l.sku AND p.warehouse_code = l.warehouse_code
            AND ${channelAvailableSql('$4::numeric', '$5::numeric')} >= d.quantity
          RETURNING p.*)
       SELECT ${POSITION_COLUMNS} FROM updated`,
      [...demandParams(demands), units, percent],
    );
    if (rows.length < demands.length) return null;
    return inDemandOrder(demands, rows);
  }

  /**
   * Gives back reserved stock at the positions (one statement); with `toPending`, moves it to
   * the allocation the ERP has confirmed but not reported yet instead (a handover: ATP does not
   * change). Positions are locked in (sku, warehouse) order first, as in reserveAtPositions.
   * Returns the positions after the update, in the order of `demands` (missing ones left out).
   */
  async unreserveAtPositions(
    manager: EntityManager,
    demands: readonly PositionDemand[],
    toPending: boolean,
  ): Promise<PositionState[]> {
    if (demands.length === 0) return [];
    const rows = await queryRows<Parameters<typeof toPositionState>[0]>(
      manager,
      `WITH ${LOCK_DEMANDED_POSITIONS},
       updated AS (
         UPDATE inv_position p SET
           reserved = p.reserved - d.quantity,
           allocation_pending =
             p.allocation_pending + CASE WHEN $4::boolean THEN d.quantity ELSE 0 END,
           updated_at = clock_timestamp()
           FROM locked l JOIN demand d USING (sku, warehouse_code)
          WHERE p.sku = l.sku AND p.warehouse_code = l.warehouse_code
          RETURNING p.*)
       SELECT ${POSITION_COLUMNS} FROM updated`,
      [...demandParams(demands), toPending],
    );
    return inDemandOrder(demands, rows);
  }

  /**
   * Ends the order's ACTIVE reservation (conditional on its status) and reads its lines, in one
   * statement: null when it has none.
   */
  async closeActive(
    manager: EntityManager,
    orderId: string,
    status: Exclude<ReservationStatus, 'ACTIVE'>,
    reason: string,
  ): Promise<Reservation | null> {
    const rows = await queryRows<ReservationRow & LineColumns>(
      manager,
      `WITH closed AS (
         UPDATE inv_reservation SET status = $2, closed_at = clock_timestamp(), close_reason = $3
          WHERE order_id = $1 AND status = 'ACTIVE'
          RETURNING *)
       ${SELECT_WITH_LINES('closed')}`,
      [orderId, status, reason],
    );
    return groupLines(rows)[0] ?? null;
  }

  /**
   * Ends the order's HANDED_OVER reservation as RELEASED (conditional on its status, so its
   * stock is given back once) and reads its lines: null when the order has none.
   */
  async releaseHandedOver(
    manager: EntityManager,
    orderId: string,
    reason: string,
  ): Promise<Reservation | null> {
    const rows = await queryRows<ReservationRow & LineColumns>(
      manager,
      `WITH released AS (
         UPDATE inv_reservation SET status = 'RELEASED', closed_at = clock_timestamp(),
                close_reason = $2
          WHERE order_id = $1 AND status = 'HANDED_OVER'
          RETURNING *)
       ${SELECT_WITH_LINES('released')}`,
      [orderId, reason],
    );
    return groupLines(rows)[0] ?? null;
  }

  /**
   * Records stock given back that the ERP still reports allocated (see PendingAllocations).
   * `releasedAt`: when the ERP's allocation ended, if it already has (an ERP-side change); null
   * until the ERP confirms a cancel the hub asked for. A position released before (part of the
   * order cut in the ERP, then the rest cancelled) adds up; it counts as released only once
   * every part is.
   */
  async addPendingReleases(
    manager: EntityManager,
    reservationId: string,
    demands: readonly PositionDemand[],
    releasedAt: Date | null = null,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO inv_pending_release AS p (reservation_id, sku, warehouse_code, quantity, released_at)
       SELECT $1, s, w, q, $5 FROM unnest($2::text[], $3::text[], $4::numeric[]) AS u(s, w, q)
       ON CONFLICT (reservation_id, sku, warehouse_code) DO UPDATE SET
         quantity = p.quantity + excluded.quantity,
         released_at = CASE WHEN p.released_at IS NULL OR excluded.released_at IS NULL THEN NULL
                            ELSE GREATEST(p.released_at, excluded.released_at) END`,
      [
        reservationId,
        demands.map((d) => d.sku),
        demands.map((d) => d.warehouse),
        demands.map((d) => (d.quantity as Decimal).toFixed()),
        releasedAt,
      ],
    );
  }

  /**
   * Takes `wanted` out of the order's HANDED_OVER reservation lines (locked; never more than they
   * hold; lines left with nothing are removed), so that a later release of the reservation gives
   * back only what the order still holds. Null when the order has no handed-over reservation.
   */
  async takeFromHandedOver(
    manager: EntityManager,
    orderId: string,
    wanted: readonly PositionDemand[],
  ): Promise<{ reservationId: string; taken: PositionDemand[] } | null> {
    // One round trip (this runs on every shipment confirmation): the reservation row locked, its
    // lines with it; a reservation without lines comes back as one row with a null line.
    const rows = await queryRows<
      Omit<LineRow, 'line_no' | 'sku' | 'warehouse_code' | 'quantity'> & {
        line_no: number | null;
        sku: string | null;
        warehouse_code: string | null;
        quantity: string | null;
      }
    >(
      manager,
      `SELECT r.id AS reservation_id, l.line_no, l.sku, l.warehouse_code,
              l.quantity::text AS quantity
         FROM inv_reservation r
         LEFT JOIN inv_reservation_line l ON l.reservation_id = r.id
        WHERE r.id = (SELECT id FROM inv_reservation WHERE order_id = $1 AND status = 'HANDED_OVER'
                       ORDER BY created_at DESC LIMIT 1)
        ORDER BY l.line_no
        FOR UPDATE OF r`,
      [orderId],
    );
    if (rows.length === 0) return null;
    const reservation = { id: rows[0].reservation_id };
    const lines = rows.filter(
      (r): r is typeof r & LineRow => r.line_no !== null && r.quantity !== null,
    );
    const { remaining, taken } = takeFromLines(
      lines.map((l) => ({
        lineNo: l.line_no,
        sku: l.sku,
        warehouse: l.warehouse_code,
        quantity: l.quantity,
      })),
      wanted,
    );
    const kept = remaining.filter((l) => l.quantity.greaterThan(0));
    const gone = remaining.filter((l) => !l.quantity.greaterThan(0));
    if (kept.length > 0) {
      await manager.query(
        `UPDATE inv_reservation_line l SET quantity = u.q
           FROM unnest($2::int[], $3::numeric[]) AS u(n, q)
          WHERE l.reservation_id = $1 AND l.line_no = u.n`,
        [reservation.id, kept.map((l) => l.lineNo), kept.map((l) => l.quantity.toFixed())],
      );
    }
    if (gone.length > 0) {
      await manager.query(
        `DELETE FROM inv_reservation_line WHERE reservation_id = $1 AND line_no = ANY($2::int[])`,
        [reservation.id, gone.map((l) => l.lineNo)],
      );
    }
    return { reservationId: reservation.id, taken };
  }

  /**
   * The ERP cancelled the order's allocation at `warehouse` at `releasedAt`: from the first
   * sync pass that has read its balances up to then, the pending releases there are dropped.
   */
  async confirmPendingReleases(
    manager: EntityManager,
    orderId: string,
    warehouse: string,
    releasedAt: Date,
  ): Promise<number> {
    const rows = await queryRows<{ n: number }>(
      manager,
      `WITH confirmed AS (
         UPDATE inv_pending_release p SET released_at = $3
           FROM inv_reservation r
          WHERE r.id = p.reservation_id AND r.order_id = $1 AND p.warehouse_code = $2
            AND p.released_at IS NULL
          RETURNING 1)
       SELECT count(*)::int AS n FROM confirmed`,
      [orderId, warehouse, releasedAt],
    );
    return rows[0]?.n ?? 0;
  }

  /** Positions of the order's pending releases at `warehouse`. */
  async pendingReleaseKeys(
    manager: EntityManager,
    orderId: string,
    warehouse: string,
  ): Promise<{ sku: string; warehouse: string }[]> {
    const rows = await queryRows<{ sku: string }>(
      manager,
      `SELECT p.sku FROM inv_pending_release p JOIN inv_reservation r ON r.id = p.reservation_id
        WHERE r.order_id = $1 AND p.warehouse_code = $2`,
      [orderId, warehouse],
    );
    return rows.map((r) => ({ sku: r.sku, warehouse }));
  }

  /** Removes the order's pending releases at `warehouse`; returns their positions. */
  async dropPendingReleases(
    manager: EntityManager,
    orderId: string,
    warehouse: string,
  ): Promise<{ sku: string; warehouse: string }[]> {
    const rows = await queryRows<{ sku: string; warehouse_code: string }>(
      manager,
      `DELETE FROM inv_pending_release p USING inv_reservation r
        WHERE r.id = p.reservation_id AND r.order_id = $1 AND p.warehouse_code = $2
        RETURNING p.sku, p.warehouse_code`,
      [orderId, warehouse],
    );
    return rows.map((r) => ({ sku: r.sku, warehouse: r.warehouse_code }));
  }

  /**
   * Marks up to `limit` reservations past their expiry EXPIRED (skipping ones being changed);
   * returns them with their lines (one statement).
   */
  async expireDue(manager: EntityManager, limit: number): Promise<Reservation[]> {
    const rows = await queryRows<ReservationRow & LineColumns>(
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
       ${SELECT_WITH_LINES('expired')}`,
      [limit],
    );
    return groupLines(rows);
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
    return rows.map((r) => toReservation(r, byReservation.get(r.id) ?? []));
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

/** The line columns of a reservation joined with its lines (null for a reservation without). */
interface LineColumns {
  line_no: number | null;
  sku: string | null;
  warehouse_code: string | null;
  quantity: string | null;
}

/** Rows of the reservations in CTE `name`, one per line, oldest reservation first. */
const SELECT_WITH_LINES = (name: string): string =>
  `SELECT c.id, c.order_id, c.channel_id, c.status, c.expires_at, c.created_at, c.closed_at,
          c.close_reason, l.line_no, l.sku, l.warehouse_code, l.quantity
     FROM ${name} c LEFT JOIN inv_reservation_line l ON l.reservation_id = c.id
    ORDER BY c.created_at, c.id, l.line_no`;

function groupLines(rows: readonly (ReservationRow & LineColumns)[]): Reservation[] {
  const byId = new Map<string, Reservation>();
  for (const r of rows) {
    let reservation = byId.get(r.id);
    if (!reservation) {
      reservation = toReservation(r, []);
      byId.set(r.id, reservation);
    }
    if (r.line_no !== null) {
      reservation.lines.push({
        lineNo: r.line_no,
        sku: r.sku!,
        warehouse: r.warehouse_code!,
        quantity: formatQuantity(r.quantity!),
      });
    }
  }
  return [...byId.values()];
}

function toReservation(r: ReservationRow, lines: ReservationLine[]): Reservation {
  return {
    id: r.id,
    orderId: r.order_id,
    channelId: r.channel_id,
    status: r.status,
    lines,
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    closedAt: r.closed_at,
    closeReason: r.close_reason,
  };
}

/**
 * CTEs `demand` (parameters $1-$3: SKUs, warehouses, quantities, one row per position) and
 * `locked`: the demanded positions that exist, locked FOR UPDATE in (sku, warehouse) order.
 * MATERIALIZED keeps it one step that takes every lock before the UPDATE joins to it (and the
 * UPDATE only touches rows `locked` returned, so no row is ever locked out of order).
 */
const LOCK_DEMANDED_POSITIONS = `demand AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::numeric[])
           AS d(sku, warehouse_code, quantity)),
       locked AS MATERIALIZED (
         SELECT p.sku, p.warehouse_code
           FROM inv_position p JOIN demand d USING (sku, warehouse_code)
          ORDER BY p.sku, p.warehouse_code
          FOR UPDATE OF p)`;

function demandParams(demands: readonly PositionDemand[]): [string[], string[], string[]] {
  return [
    demands.map((d) => d.sku),
    demands.map((d) => d.warehouse),
    demands.map((d) => d.quantity.toFixed()),
  ];
}

/** Position rows (RETURNING order is unspecified) in the order of `demands`; missing ones left out. */
function inDemandOrder(
  demands: readonly PositionDemand[],
  rows: readonly Parameters<typeof toPositionState>[0][],
): PositionState[] {
  const byKey = new Map(rows.map((row) => [positionKey(toPositionState(row)), row]));
  return demands.flatMap((d) => {
    const row = byKey.get(positionKey(d));
    return row ? [toPositionState(row)] : [];
  });
}
