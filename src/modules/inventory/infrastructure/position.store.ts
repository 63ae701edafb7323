import { Injectable } from '@nestjs/common';
import { Decimal } from 'decimal.js';
import type { EntityManager } from 'typeorm';
import type { PositionFigures } from '../domain/availability.js';
import { formatQuantity } from '../domain/quantity.js';
import type { EventKey } from '../domain/stock-event.js';
import { queryRows } from './sql.js';

export interface PositionKey {
  sku: string;
  warehouse: string;
}

export interface LotKey extends PositionKey {
  lot: string;
}

export interface PositionState extends PositionKey {
  figures: PositionFigures;
  /** Newest source time of the stock data behind the figures (events, ERP balances). */
  stockEventAt: Date | null;
  updatedAt: Date;
}

/** A lot row as the appliers work on it, in memory, while its position is locked. */
export interface LotState extends LotKey {
  onHand: Decimal;
  allocated: Decimal;
  expiryDate: string | null;
  lastSnapshot: EventKey | null;
  allocatedAt: Date | null;
  stockEventAt: Date | null;
  /**
   * Whether any ADJUSTMENT was ever applied to the lot (this transaction included): when none
   * was, a snapshot needs no look-up of the adjustments after it. Reliable while the position is
   * locked, since every writer of stock events locks it first.
   */
  hasAdjustments: boolean;
  changed: boolean;
}

interface PositionRow {
  sku: string;
  warehouse_code: string;
  on_hand: string;
  allocated: string;
  allocation_pending: string;
  reserved: string;
  safety_stock: string;
  stock_event_at: Date | null;
  updated_at: Date;
}

interface LotRow {
  sku: string;
  warehouse_code: string;
  lot_no: string;
  expiry_date: string | null;
  on_hand: string;
  allocated: string;
  snapshot_at: Date | null;
  snapshot_event_id: string | null;
  allocated_at: Date | null;
  stock_event_at: Date | null;
  has_adjustments: boolean;
}

export const POSITION_COLUMNS = `sku, warehouse_code, on_hand, allocated, allocation_pending,
  reserved, safety_stock, stock_event_at, updated_at`;

export const positionKey = (k: PositionKey): string => `${k.sku}\u0000${k.warehouse}`;
export const lotKey = (k: LotKey): string => `${k.sku}\u0000${k.warehouse}\u0000${k.lot}`;

export function toPositionState(row: PositionRow): PositionState {
  return {
    sku: row.sku,
    warehouse: row.warehouse_code,
    figures: {
      onHand: formatQuantity(row.on_hand),
      allocated: formatQuantity(row.allocated),
      allocationPending: formatQuantity(row.allocation_pending),
      reserved: formatQuantity(row.reserved),
      safetyStock: formatQuantity(row.safety_stock),
    },
    stockEventAt: row.stock_event_at,
    updatedAt: row.updated_at,
  };
}

/**
 * SQL over positions and lots. Every method that writes expects its caller's transaction and
 * the positions it touches locked first (lockPositions), always in (sku, warehouse) order.
 */
@Injectable()
export class PositionStore {
  /** Locks the positions, creating missing ones, in (sku, warehouse) order; keyed by positionKey. */
  async lockPositions(
    manager: EntityManager,
    keys: readonly PositionKey[],
  ): Promise<Map<string, PositionState>> {
    const unique = uniqueSorted(keys, positionKey);
    if (unique.length === 0) return new Map();
    const lock = async (keys: PositionKey[]): Promise<PositionState[]> =>
      (
        await queryRows<PositionRow>(
          manager,
          `SELECT ${POSITION_COLUMNS} FROM inv_position
            WHERE (sku, warehouse_code) IN (SELECT * FROM unnest($1::text[], $2::text[]))
            ORDER BY sku, warehouse_code
            FOR UPDATE`,
          [keys.map((k) => k.sku), keys.map((k) => k.warehouse)],
        )
      ).map(toPositionState);
    const found = new Map((await lock(unique)).map((p) => [positionKey(p), p]));
    const missing = unique.filter((k) => !found.has(positionKey(k)));
    if (missing.length > 0) {
      // New positions: inserted (a concurrent creator of the same one makes us wait for it),
      // then locked like the others.
      await manager.query(
        `INSERT INTO inv_position (sku, warehouse_code)
         SELECT * FROM unnest($1::text[], $2::text[])
         ON CONFLICT DO NOTHING`,
        [missing.map((k) => k.sku), missing.map((k) => k.warehouse)],
      );
      for (const p of await lock(missing)) found.set(positionKey(p), p);
    }
    return found;
  }

  /** Lots of locked positions, created when missing; keyed by lotKey. */
  async loadLots(manager: EntityManager, keys: readonly LotKey[]): Promise<Map<string, LotState>> {
    const unique = uniqueSorted(keys, lotKey);
    if (unique.length === 0) return new Map();
    const select = (keys: LotKey[]): Promise<LotRow[]> =>
      queryRows<LotRow>(
        manager,
        `SELECT sku, warehouse_code, lot_no, to_char(expiry_date, 'YYYY-MM-DD') AS expiry_date,
                on_hand, allocated, snapshot_at, snapshot_event_id, allocated_at, stock_event_at,
                EXISTS (SELECT 1 FROM inv_stock_event e
                         WHERE e.sku = l.sku AND e.warehouse_code = l.warehouse_code
                           AND e.lot_no = l.lot_no
                           AND e.type = 'ADJUSTMENT' AND e.outcome = 'APPLIED') AS has_adjustments
           FROM inv_lot l
          WHERE (sku, warehouse_code, lot_no) IN
                (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))`,
        [keys.map((k) => k.sku), keys.map((k) => k.warehouse), keys.map((k) => k.lot)],
      );
    const rows = await select(unique);
    const have = new Set(
      rows.map((r) => lotKey({ sku: r.sku, warehouse: r.warehouse_code, lot: r.lot_no })),
    );
    const missing = unique.filter((k) => !have.has(lotKey(k)));
    if (missing.length > 0) {
      await manager.query(
        `INSERT INTO inv_lot (sku, warehouse_code, lot_no)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
         ON CONFLICT DO NOTHING`,
        [missing.map((k) => k.sku), missing.map((k) => k.warehouse), missing.map((k) => k.lot)],
      );
      rows.push(...(await select(missing)));
    }
    return new Map(
      rows.map((row) => {
        const lot: LotState = {
          sku: row.sku,
          warehouse: row.warehouse_code,
          lot: row.lot_no,
          onHand: new Decimal(row.on_hand),
          allocated: new Decimal(row.allocated),
          expiryDate: row.expiry_date,
          lastSnapshot:
            row.snapshot_at && row.snapshot_event_id !== null
              ? { at: row.snapshot_at.getTime(), id: row.snapshot_event_id }
              : null,
          allocatedAt: row.allocated_at,
          stockEventAt: row.stock_event_at,
          hasAdjustments: row.has_adjustments,
          changed: false,
        };
        return [lotKey(lot), lot];
      }),
    );
  }

  /** Writes back the lots marked changed, in one statement. */
  async saveLots(manager: EntityManager, lots: Iterable<LotState>): Promise<void> {
    const changed = [...lots].filter((l) => l.changed);
    if (changed.length === 0) return;
    await manager.query(
      `UPDATE inv_lot l SET
         on_hand = u.on_hand, allocated = u.allocated, expiry_date = u.expiry_date,
         snapshot_at = u.snapshot_at, snapshot_event_id = u.snapshot_event_id,
         allocated_at = u.allocated_at, stock_event_at = u.stock_event_at,
         updated_at = clock_timestamp()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::numeric[], $6::date[],
                   $7::timestamptz[], $8::text[], $9::timestamptz[], $10::timestamptz[])
         AS u(sku, warehouse_code, lot_no, on_hand, allocated, expiry_date,
              snapshot_at, snapshot_event_id, allocated_at, stock_event_at)
       WHERE l.sku = u.sku AND l.warehouse_code = u.warehouse_code AND l.lot_no = u.lot_no`,
      [
        changed.map((l) => l.sku),
        changed.map((l) => l.warehouse),
        changed.map((l) => l.lot),
        changed.map((l) => l.onHand.toFixed()),
        changed.map((l) => l.allocated.toFixed()),
        changed.map((l) => l.expiryDate),
        changed.map((l) => (l.lastSnapshot ? new Date(l.lastSnapshot.at) : null)),
        changed.map((l) => l.lastSnapshot?.id ?? null),
        changed.map((l) => l.allocatedAt),
        changed.map((l) => l.stockEventAt),
      ],
    );
  }

  /**
   * Recomputes on hand and ERP allocation of locked positions from their lots, and the pending
   * allocation from inv_pending_allocation less inv_pending_release (net: negative while the ERP
   * still reports stock the hub gave back); returns the positions as they now are.
   */
  async refreshTotals(
    manager: EntityManager,
    keys: readonly PositionKey[],
  ): Promise<Map<string, PositionState>> {
    const unique = uniqueSorted(keys, positionKey);
    if (unique.length === 0) return new Map();
    const rows = await queryRows<PositionRow>(
      manager,
      `WITH k AS (SELECT * FROM unnest($1::text[], $2::text[]) AS k(sku, warehouse_code)),
       lots AS (
         SELECT l.sku, l.warehouse_code, sum(l.on_hand) AS on_hand, sum(l.allocated) AS allocated,
                max(l.stock_event_at) AS stock_event_at
           FROM inv_lot l JOIN k USING (sku, warehouse_code)
          GROUP BY l.sku, l.warehouse_code),
       pending AS (
         SELECT a.sku, a.warehouse_code, sum(a.quantity) AS quantity
           FROM (SELECT sku, warehouse_code, quantity FROM inv_pending_allocation
                 UNION ALL
                 SELECT sku, warehouse_code, -quantity FROM inv_pending_release) a
           JOIN k USING (sku, warehouse_code)
          GROUP BY a.sku, a.warehouse_code),
       updated AS (
         UPDATE inv_position p SET
           on_hand = COALESCE(lots.on_hand, 0),
           allocated = COALESCE(lots.allocated, 0),
           allocation_pending = COALESCE(pending.quantity, 0),
           stock_event_at = GREATEST(p.stock_event_at, lots.stock_event_at),
           updated_at = clock_timestamp()
         FROM k
         LEFT JOIN lots USING (sku, warehouse_code)
         LEFT JOIN pending USING (sku, warehouse_code)
         WHERE p.sku = k.sku AND p.warehouse_code = k.warehouse_code
         RETURNING p.*)
       SELECT ${POSITION_COLUMNS} FROM updated`,
      [unique.map((k) => k.sku), unique.map((k) => k.warehouse)],
    );
    return new Map(rows.map((row) => [positionKey(toPositionState(row)), toPositionState(row)]));
  }

  /** Applied adjustments of a lot after `key` (inside the transaction: this batch's included). */
  async adjustmentsAfter(manager: EntityManager, lot: LotState, key: EventKey): Promise<Decimal> {
    if (!lot.hasAdjustments) return new Decimal(0);
    const [row] = await queryRows<{ total: string | null }>(
      manager,
      `SELECT sum(quantity) AS total FROM inv_stock_event
        WHERE sku = $1 AND warehouse_code = $2 AND lot_no = $3
          AND type = 'ADJUSTMENT' AND outcome = 'APPLIED'
          AND (occurred_at, event_id) > ($4::timestamptz, $5::text COLLATE "C")`,
      [lot.sku, lot.warehouse, lot.lot, new Date(key.at), key.id],
    );
    return new Decimal(row?.total ?? 0);
  }

  /** Positions of these SKUs (and warehouse), in (sku, warehouse) order; no locks. */
  async find(
    manager: EntityManager,
    skus: readonly string[],
    warehouse?: string,
  ): Promise<PositionState[]> {
    const rows = await queryRows<PositionRow>(
      manager,
      `SELECT ${POSITION_COLUMNS} FROM inv_position
        WHERE sku = ANY($1::text[]) ${warehouse !== undefined ? 'AND warehouse_code = $2' : ''}
        ORDER BY sku, warehouse_code`,
      warehouse !== undefined ? [skus, warehouse] : [skus],
    );
    return rows.map(toPositionState);
  }
}

function uniqueSorted<K extends PositionKey>(keys: readonly K[], keyOf: (k: K) => string): K[] {
  const byKey = new Map<string, K>();
  for (const k of keys) byKey.set(keyOf(k), k);
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, k]) => k);
}
