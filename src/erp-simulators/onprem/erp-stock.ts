import type { ErpSql } from './erp-sql.js';

/*
 * How the reference ERP moves stock for its sales documents (in_balance, base UoM). The order
 * import allocates an (item, warehouse) demand on one lot, earliest-expiring first
 * (sales-order-import-processor.ts); releases take allocations off the lots in that same order,
 * never below zero.
 */

/** Gives back `baseQty` allocated for an item at a warehouse. */
export async function releaseAllocation(
  sql: ErpSql,
  itemNo: string,
  warehouseCode: string,
  baseQty: string,
): Promise<void> {
  await sql.query(
    `WITH lots AS (
       SELECT lot_no, allocated_qty,
              COALESCE(sum(allocated_qty) OVER (
                ORDER BY expiry_date NULLS FIRST, lot_no
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
         FROM in_balance WHERE item_no = $1 AND warehouse_code = $2)
     UPDATE in_balance b
        SET allocated_qty = b.allocated_qty - LEAST(l.allocated_qty, $3::numeric - l.before)
       FROM lots l
      WHERE b.item_no = $1 AND b.warehouse_code = $2 AND b.lot_no = l.lot_no
        AND $3::numeric > l.before AND l.allocated_qty > 0`,
    [itemNo, warehouseCode, baseQty],
  );
}

/** Allocates `baseQty` more, on the lot the order import would choose (a backorder row if none). */
export async function allocate(
  sql: ErpSql,
  itemNo: string,
  warehouseCode: string,
  baseQty: string,
): Promise<void> {
  await sql.query(
    `INSERT INTO in_balance (item_no, warehouse_code, lot_no, on_hand_qty, allocated_qty)
     SELECT $1::varchar, $2::varchar, COALESCE((SELECT lot_no FROM in_balance
                               WHERE item_no = $1::varchar AND warehouse_code = $2::varchar
                               ORDER BY expiry_date NULLS FIRST, lot_no LIMIT 1), ''), 0, $3::numeric
     ON CONFLICT (item_no, warehouse_code, lot_no)
     DO UPDATE SET allocated_qty = in_balance.allocated_qty + EXCLUDED.allocated_qty`,
    [itemNo, warehouseCode, baseQty],
  );
}

/**
 * A shipment leaves the warehouse: the allocation is released and the quantity taken off hand,
 * from the lot shipped when one is named, else from the first lot with stock in allocation order.
 */
export async function takeFromStock(
  sql: ErpSql,
  itemNo: string,
  warehouseCode: string,
  lotNo: string | null,
  baseQty: string,
): Promise<void> {
  await releaseAllocation(sql, itemNo, warehouseCode, baseQty);
  await sql.query(
    `UPDATE in_balance b SET on_hand_qty = b.on_hand_qty - $4::numeric
      WHERE (b.item_no, b.warehouse_code, b.lot_no) = (
              SELECT item_no, warehouse_code, lot_no FROM in_balance
               WHERE item_no = $1 AND warehouse_code = $2
               ORDER BY (lot_no = COALESCE($3, '')) DESC, (on_hand_qty > 0) DESC,
                        expiry_date NULLS FIRST, lot_no
               LIMIT 1)`,
    [itemNo, warehouseCode, lotNo, baseQty],
  );
}
