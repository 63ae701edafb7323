import { type ErpSql, type ErpSqlTarget, inErpTransaction } from './erp-sql.js';
import { postSalesShipment, type SalesShipmentLineInput } from './sales-shipment-posting.js';

export interface ProcessShipmentImportsOptions {
  /** Most NEW imports handled in one run (default 200). */
  limit?: number;
  /** Who the ERP records as having posted them (default the import job). */
  postedBy?: string;
}

export interface ProcessShipmentImportsResult {
  imported: { importId: string; shipmentReference: string; erpShipmentNo: string }[];
  failed: { importId: string; shipmentReference: string; errorText: string }[];
}

interface ImportHeaderRow {
  import_id: string;
  shipment_reference: string;
  order_no: string | null;
  external_reference: string | null;
  ship_date: string;
  shipping_agent_code: string | null;
  shipping_service_code: string | null;
  tracking_numbers: string[];
  tracking_url: string | null;
}

interface ImportLineRow {
  order_line_no: number;
  item_no: string | null;
  uom_code: string | null;
  quantity: string;
  lot_no: string | null;
  serial_nos: string[];
}

export const SHIPMENT_IMPORT_JOB_USER = 'SHIP-IMPORT';

/**
 * The ERP side of shipment import (shipments a WMS/3PL or drop-ship supplier confirmed, which the
 * hub stages in `sh_shipment_import_header/line` keyed by its shipment reference): takes NEW rows
 * oldest first (`FOR UPDATE SKIP LOCKED`) and, one savepoint each, posts the shipment
 * (`postSalesShipment`: order exists and is open, each order line exists and is not cancelled,
 * item/unit match, quantity ≤ open = quantity − shipped) and sets IMPORTED + erp_shipment_no, or
 * ERROR with every problem in error_text ('; ' between them). The order is found by
 * `order_no`, else by `external_reference`; when both are given they must agree.
 */
export function processShipmentImports(
  target: ErpSqlTarget,
  options: ProcessShipmentImportsOptions = {},
): Promise<ProcessShipmentImportsResult> {
  const limit = options.limit ?? 200;
  const postedBy = options.postedBy ?? SHIPMENT_IMPORT_JOB_USER;
  return inErpTransaction(target, async (sql) => {
    const { rows: claimed } = await sql.query<ImportHeaderRow>(
      `SELECT import_id::text AS import_id, shipment_reference, order_no, external_reference,
              to_char(ship_date, 'YYYY-MM-DD') AS ship_date, shipping_agent_code,
              shipping_service_code, tracking_numbers, tracking_url
         FROM sh_shipment_import_header
        WHERE status = 'NEW' ORDER BY import_id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    const result: ProcessShipmentImportsResult = { imported: [], failed: [] };
    for (const header of claimed) {
      const fail = async (errorText: string): Promise<void> => {
        await sql.query(
          `UPDATE sh_shipment_import_header
              SET status = 'ERROR', error_text = $2, erp_shipment_no = NULL, processed_at = now()
            WHERE import_id = $1`,
          [header.import_id, errorText],
        );
        result.failed.push({
          importId: header.import_id,
          shipmentReference: header.shipment_reference,
          errorText,
        });
      };
      const order = await findOrder(sql, header);
      if ('problem' in order) {
        await fail(order.problem);
        continue;
      }
      const { rows: lines } = await sql.query<ImportLineRow>(
        `SELECT order_line_no, item_no, uom_code, quantity::text AS quantity, lot_no, serial_nos
           FROM sh_shipment_import_line WHERE import_id = $1 ORDER BY line_no`,
        [header.import_id],
      );
      await sql.query('SAVEPOINT shipment_import');
      try {
        const posted = await postSalesShipment(sql, {
          orderNo: order.orderNo,
          shipDate: header.ship_date,
          carrier: header.shipping_agent_code,
          service: header.shipping_service_code,
          trackingNumbers: header.tracking_numbers,
          trackingUrl: header.tracking_url,
          hubShipmentReference: header.shipment_reference,
          importId: header.import_id,
          postedBy,
          lines: lines.map((l): SalesShipmentLineInput => ({
            orderLineNo: l.order_line_no,
            itemNo: l.item_no,
            uomCode: l.uom_code,
            quantity: l.quantity,
            lotNo: l.lot_no,
            serialNos: l.serial_nos,
          })),
        });
        if (!posted.posted) {
          await sql.query('ROLLBACK TO SAVEPOINT shipment_import');
          await fail(posted.problems.join('; '));
          continue;
        }
        await sql.query(
          `UPDATE sh_shipment_import_header
              SET status = 'IMPORTED', error_text = NULL, erp_shipment_no = $2,
                  processed_at = now()
            WHERE import_id = $1`,
          [header.import_id, posted.shipmentNo],
        );
        result.imported.push({
          importId: header.import_id,
          shipmentReference: header.shipment_reference,
          erpShipmentNo: posted.shipmentNo,
        });
      } catch (error) {
        // What PostgreSQL refuses as data (class 22/23: a value that does not fit, a duplicate
        // hub reference) can never post: recorded on the row. Anything else fails the run,
        // which the next run retries.
        const code = (error as { code?: unknown }).code;
        if (!(typeof code === 'string' && /^2[23]/.test(code) && error instanceof Error)) {
          throw error;
        }
        await sql.query('ROLLBACK TO SAVEPOINT shipment_import');
        await fail(`The ERP could not post the shipment: ${error.message}`);
      }
    }
    return result;
  });
}

async function findOrder(
  sql: ErpSql,
  header: ImportHeaderRow,
): Promise<{ orderNo: string } | { problem: string }> {
  const { rows } = await sql.query<{ order_no: string; external_reference: string | null }>(
    header.order_no !== null
      ? `SELECT order_no, external_reference FROM so_order_header WHERE order_no = $1`
      : `SELECT order_no, external_reference FROM so_order_header WHERE external_reference = $1`,
    [header.order_no ?? header.external_reference],
  );
  const order = rows[0];
  if (!order) {
    return {
      problem:
        header.order_no !== null || header.external_reference !== null
          ? `Order ${header.order_no ?? `with external reference ${header.external_reference}`} does not exist`
          : 'Shipment names no order',
    };
  }
  if (
    header.order_no !== null &&
    header.external_reference !== null &&
    order.external_reference !== header.external_reference
  ) {
    return {
      problem: `Order ${order.order_no} does not carry external reference ${header.external_reference}`,
    };
  }
  return { orderNo: order.order_no };
}
