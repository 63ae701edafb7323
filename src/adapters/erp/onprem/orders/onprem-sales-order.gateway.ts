import { Injectable } from '@nestjs/common';
import {
  type ErpOrderStatus,
  type ErpSalesOrderDocument,
  SalesOrderGateway,
  SalesOrderNotCancellableError,
  SalesOrderRejectedError,
  type SubmitResult,
} from '../../../../modules/orders/index.js';
import { OnPremErpConnection, type OnPremSql } from '../onprem-erp.connection.js';
import {
  IMPORT_HEADER_COLUMNS,
  importHeaderValues,
  importLineColumns,
  importStatus,
  type ImportStateRow,
  isWithdrawn,
  WITHDRAWN_IMPORT_TEXT,
} from './onprem-sales-order.mapper.js';

/** The import row of a reference and its ERP order's status; `lock` = FOR UPDATE of the import. */
const IMPORT_STATE_SQL = `
  SELECT h.import_id::text AS import_id, h.status, h.error_text, h.erp_order_no,
         o.status AS order_status
    FROM so_import_header h
    LEFT JOIN so_order_header o ON o.order_no = h.erp_order_no
   WHERE h.external_reference = $1`;

const HEADER_PLACEHOLDERS = IMPORT_HEADER_COLUMNS.map((_, i) => `$${i + 1}`).join(', ');

const INSERT_HEADER_SQL = `
  INSERT INTO so_import_header (${IMPORT_HEADER_COLUMNS.join(', ')})
  VALUES (${HEADER_PLACEHOLDERS})
  ON CONFLICT (external_reference) DO NOTHING
  RETURNING import_id::text AS import_id`;

/** Replaces a rejected import with the new document and queues it again (contract rule 3). */
const REQUEUE_HEADER_SQL = `
  UPDATE so_import_header
     SET (${IMPORT_HEADER_COLUMNS.join(', ')}) = (${HEADER_PLACEHOLDERS}),
         status = 'NEW', error_text = NULL, erp_order_no = NULL, processed_at = NULL
   WHERE import_id = $${IMPORT_HEADER_COLUMNS.length + 1}`;

const INSERT_LINES_SQL = `
  INSERT INTO so_import_line (import_id, line_no, item_no, uom_code, quantity, unit_price,
                              warehouse_code, external_line_reference)
  SELECT $1::bigint, l.*
    FROM unnest($2::int[], $3::text[], $4::text[], $5::numeric[], $6::numeric[], $7::text[],
                $8::text[]) AS l`;

/**
 * Gives back the stock the ERP's import allocated for an order's stock lines. The import job
 * allocates each (item, warehouse) demand on one lot, earliest-expiring first (the processor's
 * ALLOCATE_SQL) and records no lot on the line, so the release takes the quantity off the lots
 * in that same order, never below zero.
 */
const RELEASE_ALLOCATION_SQL = `
  WITH demand AS (
    SELECT item_no, warehouse_code, sum(base_quantity) AS qty
      FROM so_order_line
     WHERE order_no = $1 AND fulfillment_type = 'STOCK' AND warehouse_code IS NOT NULL
       AND status <> 'CANCELLED'
     GROUP BY item_no, warehouse_code
  ),
  lots AS (
    SELECT b.item_no, b.warehouse_code, b.lot_no, b.allocated_qty, d.qty,
           COALESCE(sum(b.allocated_qty) OVER (
             PARTITION BY b.item_no, b.warehouse_code
             ORDER BY b.expiry_date NULLS FIRST, b.lot_no
             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
      FROM in_balance b
      JOIN demand d ON d.item_no = b.item_no AND d.warehouse_code = b.warehouse_code
  )
  UPDATE in_balance b
     SET allocated_qty = b.allocated_qty - LEAST(l.allocated_qty, l.qty - l.before)
    FROM lots l
   WHERE b.item_no = l.item_no AND b.warehouse_code = l.warehouse_code AND b.lot_no = l.lot_no
     AND l.qty > l.before AND l.allocated_qty > 0`;

/**
 * SalesOrderGateway over the on-prem ERP's import (staging) tables, the way on-prem ERPs are
 * integrated: `submit()` stages `so_import_header`/`so_import_line` keyed by the external
 * reference (UNIQUE), the ERP's own import job validates it later and creates the order or
 * reports ERROR, and the hub reads that back. So submit normally answers PENDING.
 *
 * Exactly once: every write looks the reference up first with the row locked, and a new
 * import goes in with `ON CONFLICT (external_reference) DO NOTHING`, so two submits of one
 * reference racing each other stage one import. The ERP's import job claims NEW rows with
 * `FOR UPDATE SKIP LOCKED`: a row the hub holds locked is never half-replaced under it.
 */
@Injectable()
export class OnPremSalesOrderGateway extends SalesOrderGateway {
  readonly name = 'onprem';

  constructor(private readonly erp: OnPremErpConnection) {
    super();
  }

  async submit(document: ErpSalesOrderDocument, signal?: AbortSignal): Promise<SubmitResult> {
    signal?.throwIfAborted();
    const ref = document.externalReference;
    try {
      return await this.erp.write(async (sql) => {
        let existing = await lockImport(sql, ref);
        if (!existing) {
          const [inserted] = await sql.query<{ import_id: string }>(
            INSERT_HEADER_SQL,
            importHeaderValues(document),
          );
          if (inserted) {
            await sql.query(INSERT_LINES_SQL, [inserted.import_id, ...importLineColumns(document)]);
            return { ...importStatus(ref, pending(inserted.import_id)), created: true };
          }
          // A concurrent submit of the same reference staged it first (our insert waited for
          // its commit, then did nothing): answer with what it staged.
          existing = await lockImport(sql, ref);
          if (!existing) {
            throw new Error(`The on-prem ERP import of ${ref} vanished while it was submitted.`);
          }
        }
        if (existing.status === 'ERROR' && !isWithdrawn(existing)) {
          // Rejected: no ERP order exists for it, so replacing it and queueing it again cannot
          // duplicate anything (contract rule 3). This call wrote the document the ERP will
          // import, so it answers created: true.
          await sql.query(REQUEUE_HEADER_SQL, [
            ...importHeaderValues(document),
            existing.import_id,
          ]);
          await sql.query('DELETE FROM so_import_line WHERE import_id = $1', [existing.import_id]);
          await sql.query(INSERT_LINES_SQL, [existing.import_id, ...importLineColumns(document)]);
          return { ...importStatus(ref, pending(existing.import_id)), created: true };
        }
        return { ...importStatus(ref, existing), created: false };
      });
    } catch (error) {
      throw asRejection(ref, error);
    }
  }

  async status(externalReference: string, signal?: AbortSignal): Promise<ErpOrderStatus> {
    signal?.throwIfAborted();
    const [row] = await this.erp.read((sql) =>
      sql.query<ImportStateRow>(IMPORT_STATE_SQL, [externalReference]),
    );
    return importStatus(externalReference, row);
  }

  /**
   * NEW (or rejected) import → withdrawn (kept as ERROR with WITHDRAWN_IMPORT_TEXT, reads back
   * CANCELLED, and the import job never picks it up); imported order OPEN/RELEASED → order and
   * lines CANCELLED and its stock allocation given back; shipped or invoiced → not cancellable.
   */
  async cancel(externalReference: string, signal?: AbortSignal): Promise<ErpOrderStatus> {
    signal?.throwIfAborted();
    const ref = externalReference;
    return this.erp.write(async (sql) => {
      // Waits while the ERP's import job holds the row, then sees what it made of it.
      const existing = await lockImport(sql, ref);
      if (!existing) return importStatus(ref, undefined);
      switch (existing.status) {
        case 'NEW':
        case 'ERROR':
          if (!isWithdrawn(existing)) {
            await sql.query(
              `UPDATE so_import_header SET status = 'ERROR', error_text = $2, processed_at = now()
                WHERE import_id = $1`,
              [existing.import_id, WITHDRAWN_IMPORT_TEXT],
            );
          }
          return importStatus(ref, {
            ...existing,
            status: 'ERROR',
            error_text: WITHDRAWN_IMPORT_TEXT,
          });
        case 'PROCESSING':
          // An ERP job that claims in one transaction and works in another has it: retry later.
          throw new Error(`The on-prem ERP is importing ${ref} right now; cancel again shortly.`);
        case 'IMPORTED':
          return this.cancelOrder(sql, ref, existing);
        default:
          return importStatus(ref, existing);
      }
    });
  }

  private async cancelOrder(
    sql: OnPremSql,
    ref: string,
    imported: ImportStateRow,
  ): Promise<ErpOrderStatus> {
    const orderNo = imported.erp_order_no;
    const [order] = await sql.query<{ status: string }>(
      'SELECT status FROM so_order_header WHERE order_no = $1 FOR UPDATE',
      [orderNo],
    );
    if (!order) {
      throw new Error(`The on-prem ERP order ${orderNo} of ${ref} does not exist.`);
    }
    const cancelled = { ...imported, order_status: 'CANCELLED' };
    if (order.status === 'CANCELLED') return importStatus(ref, cancelled);
    if (order.status === 'SHIPPED' || order.status === 'INVOICED') {
      throw new SalesOrderNotCancellableError(ref, `ERP order ${orderNo} is ${order.status}`);
    }
    const lines = await sql.query<{ line_no: number; shipped_qty: string; shipped: boolean }>(
      `SELECT line_no, shipped_qty::text AS shipped_qty, shipped_qty > 0 AS shipped
         FROM so_order_line WHERE order_no = $1 ORDER BY line_no FOR UPDATE`,
      [orderNo],
    );
    const partly = lines.filter((l) => l.shipped);
    if (partly.length > 0) {
      throw new SalesOrderNotCancellableError(
        ref,
        `ERP order ${orderNo} has shipped lines (${partly
          .map((l) => `line ${l.line_no}: ${l.shipped_qty}`)
          .join(', ')})`,
      );
    }
    // Lock the balances first (in key order, as ALLOCATE_SQL's upsert meets them), so the
    // release computes from their latest committed figures.
    await sql.query(
      `SELECT 1 FROM in_balance b
        WHERE (b.item_no, b.warehouse_code) IN (
                SELECT item_no, warehouse_code FROM so_order_line
                 WHERE order_no = $1 AND fulfillment_type = 'STOCK' AND warehouse_code IS NOT NULL)
        ORDER BY b.item_no, b.warehouse_code, b.lot_no
        FOR UPDATE`,
      [orderNo],
    );
    await sql.query(RELEASE_ALLOCATION_SQL, [orderNo]);
    await sql.query(
      `UPDATE so_order_line SET status = 'CANCELLED' WHERE order_no = $1 AND status <> 'CANCELLED'`,
      [orderNo],
    );
    await sql.query(`UPDATE so_order_header SET status = 'CANCELLED' WHERE order_no = $1`, [
      orderNo,
    ]);
    return importStatus(ref, cancelled);
  }
}

async function lockImport(sql: OnPremSql, ref: string): Promise<ImportStateRow | undefined> {
  const [row] = await sql.query<ImportStateRow>(`${IMPORT_STATE_SQL} FOR UPDATE OF h`, [ref]);
  return row;
}

function pending(importId: string): ImportStateRow {
  return {
    import_id: importId,
    status: 'NEW',
    error_text: null,
    erp_order_no: null,
    order_status: null,
  };
}

/**
 * The staging tables have no foreign keys, so what PostgreSQL itself refuses is a value that
 * does not fit a column (too long, bad date, a duplicate line number): the same document can
 * never be staged. SQLSTATE class 22 (data exception) and 23 (integrity constraint violation).
 * Anything else (connection, deadlock, timeout) is transient.
 */
function asRejection(ref: string, error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^2[23]/.test(code) && error instanceof Error) {
    return new SalesOrderRejectedError(ref, [`The ERP import tables refused it: ${error.message}`]);
  }
  return error;
}
