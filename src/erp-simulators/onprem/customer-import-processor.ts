import { type ErpSqlTarget, inErpTransaction } from './erp-sql.js';

export interface ProcessCustomerImportsOptions {
  /** Most NEW rows handled in one run (default 500). */
  limit?: number;
}

export interface ProcessCustomerImportsResult {
  imported: { importId: string; changeId: string }[];
  failed: { importId: string; changeId: string; errorText: string }[];
}

/** Columns of ar_customer an import may set. */
const CUSTOMER_COLUMNS = new Set(['name', 'email', 'phone']);
/** Columns of ar_ship_to an import may set. */
const SHIP_TO_COLUMNS = new Set([
  'name',
  'contact',
  'phone',
  'address_line1',
  'address_line2',
  'city',
  'state',
  'postal_code',
  'country_code',
  'tax_area_code',
  'warehouse_code',
]);

interface ClaimedImport {
  import_id: string;
  change_id: string;
  customer_no: string;
  ship_to_code: string | null;
  changes: Record<string, unknown>;
}

/**
 * The ERP side of customer updates, as an on-prem ERP's import job does it: takes NEW rows of
 * `ar_customer_import` (oldest first, `FOR UPDATE SKIP LOCKED`) and, one savepoint each, applies
 * the changed columns to `ar_customer` (no ship_to_code) or creates/updates the `ar_ship_to` row,
 * then marks the row IMPORTED — or ERROR with the reason (unknown customer, unknown column, a
 * code the ERP does not know, a value too long), leaving the master data untouched.
 */
export function processCustomerImports(
  target: ErpSqlTarget,
  options: ProcessCustomerImportsOptions = {},
): Promise<ProcessCustomerImportsResult> {
  const limit = options.limit ?? 500;
  return inErpTransaction(target, async (sql) => {
    const claimed = await sql.query<ClaimedImport>(
      `SELECT import_id, change_id, customer_no, ship_to_code, changes FROM ar_customer_import
        WHERE status = 'NEW' ORDER BY import_id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    const result: ProcessCustomerImportsResult = { imported: [], failed: [] };
    for (const row of claimed.rows) {
      let errorText: string | null = null;
      await sql.query('SAVEPOINT customer_import');
      try {
        errorText = await apply(sql, row);
      } catch (error) {
        errorText = error instanceof Error ? error.message : String(error);
      }
      if (errorText === null) {
        await sql.query('RELEASE SAVEPOINT customer_import');
        await sql.query(
          `UPDATE ar_customer_import SET status = 'IMPORTED', processed_at = now()
            WHERE import_id = $1`,
          [row.import_id],
        );
        result.imported.push({ importId: row.import_id, changeId: row.change_id });
      } else {
        await sql.query('ROLLBACK TO SAVEPOINT customer_import');
        await sql.query(
          `UPDATE ar_customer_import SET status = 'ERROR', error_text = $2, processed_at = now()
            WHERE import_id = $1`,
          [row.import_id, errorText],
        );
        result.failed.push({ importId: row.import_id, changeId: row.change_id, errorText });
      }
    }
    return result;
  });
}

/** Applies one import; a business problem is returned as text, a database error is thrown. */
async function apply(
  sql: { query: (text: string, params?: unknown[]) => Promise<{ rowCount: number }> },
  row: ClaimedImport,
): Promise<string | null> {
  const customer = await sql.query('SELECT 1 FROM ar_customer WHERE customer_no = $1', [
    row.customer_no,
  ]);
  if (customer.rowCount === 0) return `customer ${row.customer_no} does not exist`;
  const allowed = row.ship_to_code === null ? CUSTOMER_COLUMNS : SHIP_TO_COLUMNS;
  const columns = Object.keys(row.changes);
  const unknown = columns.filter((c) => !allowed.has(c));
  if (unknown.length > 0) return `columns not importable: ${unknown.join(', ')}`;
  if (columns.length === 0) return null;
  const values = columns.map((c) => {
    const v = row.changes[c];
    return v === null || v === undefined ? null : String(v);
  });
  if (row.ship_to_code === null) {
    const set = columns.map((c, i) => `${c} = $${i + 2}`).join(', ');
    await sql.query(`UPDATE ar_customer SET ${set} WHERE customer_no = $1`, [
      row.customer_no,
      ...values,
    ]);
    return null;
  }
  const exists = await sql.query(
    'SELECT 1 FROM ar_ship_to WHERE customer_no = $1 AND ship_to_code = $2',
    [row.customer_no, row.ship_to_code],
  );
  if (exists.rowCount === 0) {
    if (!columns.includes('name')) return 'a new ship-to needs a name';
    const list = columns.join(', ');
    const params = columns.map((_, i) => `$${i + 3}`).join(', ');
    await sql.query(
      `INSERT INTO ar_ship_to (customer_no, ship_to_code, ${list}) VALUES ($1, $2, ${params})`,
      [row.customer_no, row.ship_to_code, ...values],
    );
  } else {
    const set = columns.map((c, i) => `${c} = $${i + 3}`).join(', ');
    await sql.query(`UPDATE ar_ship_to SET ${set} WHERE customer_no = $1 AND ship_to_code = $2`, [
      row.customer_no,
      row.ship_to_code,
      ...values,
    ]);
  }
  return null;
}
