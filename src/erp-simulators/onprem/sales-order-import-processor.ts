import { type ErpSqlTarget, inErpTransaction } from './erp-sql.js';

export interface ProcessSalesOrderImportsOptions {
  /** Most NEW imports handled in one run (default 500). */
  limit?: number;
}

export interface ProcessSalesOrderImportsResult {
  imported: { importId: string; externalReference: string; erpOrderNo: string }[];
  failed: { importId: string; externalReference: string; errorText: string }[];
}

const ADDRESS_FIELDS = [
  'address_line1',
  'address_line2',
  'city',
  'state',
  'postal_code',
  'country_code',
] as const;

/**
 * The ERP side of order import, as an on-prem ERP's import job does it: takes NEW rows of
 * `so_import_header`/`so_import_line` (oldest first, `FOR UPDATE SKIP LOCKED`, so several runs
 * may work side by side), validates them, and in the same transaction either creates
 * `so_order_header`/`so_order_line` (order number from `so_order_no_seq`, status IMPORTED,
 * `erp_order_no` set, stock allocated in `in_balance`) or marks the import ERROR with every
 * problem in `error_text`.
 *
 * Set-based SQL, one transaction per run: the claimed rows go straight from NEW to IMPORTED or
 * ERROR, so PROCESSING is never visible from outside. Lines without a unit price get the
 * base price list's price for the order currency and UoM.
 */
export function processSalesOrderImports(
  target: ErpSqlTarget,
  options: ProcessSalesOrderImportsOptions = {},
): Promise<ProcessSalesOrderImportsResult> {
  const limit = options.limit ?? 500;
  return inErpTransaction(target, async (sql) => {
    const claimed = await sql.query<{ import_id: string; external_reference: string }>(
      `SELECT import_id, external_reference FROM so_import_header
        WHERE status = 'NEW' ORDER BY import_id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    const result: ProcessSalesOrderImportsResult = { imported: [], failed: [] };
    if (claimed.rows.length === 0) return result;
    const ids = claimed.rows.map((r) => r.import_id);
    const refs = new Map(claimed.rows.map((r) => [r.import_id, r.external_reference]));

    const problems = await sql.query<{ import_id: string; error_text: string }>(VALIDATION_SQL, [
      ids,
    ]);
    if (problems.rows.length > 0) {
      await sql.query(
        `UPDATE so_import_header h
            SET status = 'ERROR', error_text = e.error_text, processed_at = now()
           FROM unnest($1::bigint[], $2::text[]) AS e(import_id, error_text)
          WHERE h.import_id = e.import_id`,
        [problems.rows.map((p) => p.import_id), problems.rows.map((p) => p.error_text)],
      );
      for (const p of problems.rows) {
        result.failed.push({
          importId: p.import_id,
          externalReference: refs.get(p.import_id) ?? '',
          errorText: p.error_text,
        });
      }
    }
    const failed = new Set(problems.rows.map((p) => p.import_id));
    const good = ids.filter((id) => !failed.has(id));
    if (good.length === 0) return result;

    const numbered = await sql.query<{
      import_id: string;
      external_reference: string;
      erp_order_no: string;
    }>(
      `UPDATE so_import_header SET erp_order_no = 'SO' || nextval('so_order_no_seq')
        WHERE import_id = ANY($1::bigint[])
        RETURNING import_id, external_reference, erp_order_no`,
      [good],
    );
    await sql.query(INSERT_HEADERS_SQL, [good]);
    await sql.query(INSERT_LINES_SQL, [good]);
    const orderNos = numbered.rows.map((r) => r.erp_order_no);
    await sql.query(
      `UPDATE so_order_header o SET total_amount = t.total
         FROM (SELECT order_no, sum(line_amount) AS total FROM so_order_line
                WHERE order_no = ANY($1::text[]) GROUP BY order_no) t
        WHERE o.order_no = t.order_no`,
      [orderNos],
    );
    await sql.query(ALLOCATE_SQL, [orderNos]);
    await sql.query(
      `UPDATE so_import_header SET status = 'IMPORTED', error_text = NULL, processed_at = now()
        WHERE import_id = ANY($1::bigint[])`,
      [good],
    );
    for (const r of numbered.rows) {
      result.imported.push({
        importId: r.import_id,
        externalReference: r.external_reference,
        erpOrderNo: r.erp_order_no,
      });
    }
    return result;
  });
}

/** One row per import with problems, all of them joined into error_text. */
const VALIDATION_SQL = `
  WITH h AS (
    SELECT h.import_id, h.customer_no, h.ship_to_code, h.currency_code, h.warehouse_code,
           c.customer_no AS known_customer, c.status AS customer_status,
           COALESCE(h.currency_code, c.currency_code) AS order_currency
      FROM so_import_header h
      LEFT JOIN ar_customer c ON c.customer_no = h.customer_no
     WHERE h.import_id = ANY($1::bigint[])
  ),
  l AS (
    SELECT l.import_id, l.line_no, l.item_no, l.uom_code, l.quantity, l.unit_price,
           l.warehouse_code, i.item_no AS known_item, i.status AS item_status,
           COALESCE(l.uom_code, i.base_uom_code) AS line_uom, iu.uom_code AS known_uom,
           w.warehouse_code AS known_warehouse
      FROM so_import_line l
      LEFT JOIN in_item i ON i.item_no = l.item_no
      LEFT JOIN in_item_uom iu
             ON iu.item_no = l.item_no AND iu.uom_code = COALESCE(l.uom_code, i.base_uom_code)
      LEFT JOIN in_warehouse w ON w.warehouse_code = l.warehouse_code
     WHERE l.import_id = ANY($1::bigint[])
  ),
  problems AS (
    SELECT import_id, 0 AS line_no, format('Customer %s does not exist', customer_no) AS message
      FROM h WHERE known_customer IS NULL
    UNION ALL
    SELECT import_id, 0, format('Customer %s is %s', customer_no, customer_status)
      FROM h WHERE customer_status IN ('INACTIVE', 'BLOCKED')
    UNION ALL
    SELECT import_id, 0, format('Ship-to %s does not exist for customer %s', ship_to_code, customer_no)
      FROM h
     WHERE ship_to_code IS NOT NULL AND known_customer IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM ar_ship_to s
                        WHERE s.customer_no = h.customer_no AND s.ship_to_code = h.ship_to_code)
    UNION ALL
    SELECT import_id, 0, format('Currency %s does not exist', currency_code)
      FROM h
     WHERE currency_code IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM sy_currency x WHERE x.currency_code = h.currency_code)
    UNION ALL
    SELECT import_id, 0, format('Warehouse %s does not exist', warehouse_code)
      FROM h
     WHERE warehouse_code IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM in_warehouse w WHERE w.warehouse_code = h.warehouse_code)
    UNION ALL
    SELECT import_id, 0, 'Order has no lines'
      FROM h WHERE NOT EXISTS (SELECT 1 FROM l WHERE l.import_id = h.import_id)
    UNION ALL
    SELECT import_id, line_no, format('Line %s: item %s does not exist', line_no, item_no)
      FROM l WHERE known_item IS NULL
    UNION ALL
    SELECT import_id, line_no, format('Line %s: item %s is BLOCKED', line_no, item_no)
      FROM l WHERE item_status = 'BLOCKED'
    UNION ALL
    SELECT import_id, line_no,
           format('Line %s: unit of measure %s is not defined for item %s', line_no, line_uom, item_no)
      FROM l WHERE known_item IS NOT NULL AND known_uom IS NULL
    UNION ALL
    SELECT import_id, line_no, format('Line %s: quantity must be greater than 0', line_no)
      FROM l WHERE quantity <= 0
    UNION ALL
    SELECT import_id, line_no, format('Line %s: warehouse %s does not exist', line_no, warehouse_code)
      FROM l WHERE warehouse_code IS NOT NULL AND known_warehouse IS NULL
    UNION ALL
    SELECT l.import_id, l.line_no,
           format('Line %s: no price for item %s per %s in %s', l.line_no, l.item_no, l.line_uom,
                  h.order_currency)
      FROM l JOIN h ON h.import_id = l.import_id
     WHERE l.unit_price IS NULL AND l.known_uom IS NOT NULL AND h.known_customer IS NOT NULL
       AND NOT EXISTS (
             SELECT 1 FROM pr_price_list_line pl
               JOIN pr_price_list p ON p.price_list_code = pl.price_list_code
              WHERE p.list_type = 'BASE' AND p.currency_code = h.order_currency
                AND pl.item_no = l.item_no AND pl.uom_code = l.line_uom)
  )
  SELECT import_id::text AS import_id, string_agg(message, '; ' ORDER BY line_no, message) AS error_text
    FROM problems GROUP BY import_id`;

/** The ship-to address: the import's own (one-time / drop-ship address) or the ship-to's. */
const shipToAddress = ADDRESS_FIELDS.map(
  (f) =>
    `CASE WHEN h.ship_to_address_line1 IS NOT NULL THEN h.ship_to_${f} ELSE COALESCE(s.${f}, c.${f}) END`,
).join(',\n           ');

const INSERT_HEADERS_SQL = `
  INSERT INTO so_order_header (
    order_no, external_reference, import_id, customer_no, ship_to_code, ship_to_name,
    ${ADDRESS_FIELDS.join(', ')},
    customer_po, order_date, requested_date, currency_code, warehouse_code, status)
  SELECT h.erp_order_no, h.external_reference, h.import_id, h.customer_no, s.ship_to_code,
         COALESCE(h.ship_to_name, s.name, c.name),
         ${shipToAddress},
         h.customer_po, h.order_date, h.requested_date, COALESCE(h.currency_code, c.currency_code),
         COALESCE(h.warehouse_code, s.warehouse_code, c.default_warehouse_code), 'OPEN'
    FROM so_import_header h
    JOIN ar_customer c ON c.customer_no = h.customer_no
    LEFT JOIN LATERAL (
      SELECT * FROM ar_ship_to st
       WHERE st.customer_no = h.customer_no
         AND (st.ship_to_code = h.ship_to_code OR (h.ship_to_code IS NULL AND st.is_default))
       LIMIT 1) s ON true
   WHERE h.import_id = ANY($1::bigint[])`;

const INSERT_LINES_SQL = `
  INSERT INTO so_order_line (
    order_no, line_no, item_no, uom_code, quantity, conversion_factor, base_quantity,
    unit_price, line_amount, warehouse_code, fulfillment_type, supplier_no,
    external_line_reference, status)
  SELECT o.order_no, l.line_no, l.item_no, iu.uom_code, l.quantity, iu.conversion_factor,
         l.quantity * iu.conversion_factor,
         COALESCE(l.unit_price, bp.unit_price),
         round(l.quantity * COALESCE(l.unit_price, bp.unit_price), 2),
         CASE WHEN i.fulfillment_type = 'DROP_SHIP' THEN NULL
              ELSE COALESCE(l.warehouse_code, o.warehouse_code) END,
         i.fulfillment_type,
         CASE WHEN i.fulfillment_type = 'DROP_SHIP' THEN i.supplier_no END,
         l.external_line_reference, 'OPEN'
    FROM so_order_header o
    JOIN so_import_line l ON l.import_id = o.import_id
    JOIN in_item i ON i.item_no = l.item_no
    JOIN in_item_uom iu ON iu.item_no = l.item_no AND iu.uom_code = COALESCE(l.uom_code, i.base_uom_code)
    LEFT JOIN LATERAL (
      SELECT pl.unit_price FROM pr_price_list_line pl
        JOIN pr_price_list p ON p.price_list_code = pl.price_list_code
       WHERE p.list_type = 'BASE' AND p.currency_code = o.currency_code
         AND pl.item_no = l.item_no AND pl.uom_code = iu.uom_code
       ORDER BY p.valid_from DESC LIMIT 1) bp ON true
   WHERE o.import_id = ANY($1::bigint[])`;

/**
 * Stock lines allocate in their warehouse: earliest-expiring lot first; a backorder (no
 * balance row yet) creates one with nothing on hand.
 */
const ALLOCATE_SQL = `
  WITH demand AS (
    SELECT item_no, warehouse_code, sum(base_quantity) AS qty
      FROM so_order_line
     WHERE order_no = ANY($1::text[]) AND fulfillment_type = 'STOCK'
     GROUP BY item_no, warehouse_code
  ),
  target AS (
    SELECT DISTINCT ON (d.item_no, d.warehouse_code)
           d.item_no, d.warehouse_code, COALESCE(b.lot_no, '') AS lot_no, d.qty
      FROM demand d
      LEFT JOIN in_balance b ON b.item_no = d.item_no AND b.warehouse_code = d.warehouse_code
     ORDER BY d.item_no, d.warehouse_code, b.expiry_date NULLS FIRST, b.lot_no
  )
  INSERT INTO in_balance (item_no, warehouse_code, lot_no, on_hand_qty, allocated_qty)
  SELECT item_no, warehouse_code, lot_no, 0, qty FROM target
  ON CONFLICT (item_no, warehouse_code, lot_no)
  DO UPDATE SET allocated_qty = in_balance.allocated_qty + EXCLUDED.allocated_qty`;
